import { describe, expect, it } from 'vitest';
import { MAIN_END, MAIN_START, withMainSection } from '../../bench/results-doc.js';

describe('RESULTS.md: a bench run replaces its own section only', () => {
  it('keeps hand-written notes and other runs\' sections around the marked main section', () => {
    let doc = withMainSection('', '# Results\n\ntables one\n');
    doc += '\n## Recording format: notes by hand\n\nkept\n\n<!-- soak:10min:start -->\nsoak\n<!-- soak:10min:end -->\n';
    doc = withMainSection(doc, '# Results\n\ntables two\n');
    expect(doc).toContain('tables two');
    expect(doc).not.toContain('tables one');
    expect(doc).toContain('## Recording format: notes by hand\n\nkept');
    expect(doc).toContain('<!-- soak:10min:start -->\nsoak');
    expect(doc.indexOf(MAIN_START)).toBe(0);
    expect(doc.match(new RegExp(MAIN_END, 'g'))).toHaveLength(1);
  });

  it('marks an older, unmarked file: its generated beginning is replaced, the hand-written sections after it stay', () => {
    const old = '# Results\n\nold tables\n\n## Stream health analyser: what it costs\n\nby hand\n\n<!-- latency:start -->\nlat\n<!-- latency:end -->\n';
    const doc = withMainSection(old, '# Results\n\nnew tables\n');
    expect(doc).toBe(`${MAIN_START}\n# Results\n\nnew tables\n${MAIN_END}\n\n## Stream health analyser: what it costs\n\nby hand\n\n<!-- latency:start -->\nlat\n<!-- latency:end -->\n`);
  });
});
