import { describe, expect, it } from 'vitest';
import { figures, slope, soakMarkdown, soakSection, withSoakSection } from '../../bench/soak-report.js';

describe('the soak report', () => {
  it('fits slopes by least squares, over the whole run and its last half', () => {
    expect(slope([0, 1, 2, 3], [10, 12, 14, 16])).toBeCloseTo(2);
    expect(slope([0], [5])).toBe(0);
    // Rises for 5 minutes, then flat: the last half says flat, the whole run does not.
    const samples = Array.from({ length: 61 }, (_, i) => ({ min: i / 6, intakeMB: Math.min(i / 6, 5) * 10 + 50, rendererMB: 200 }));
    const fig = figures(samples, (s) => s.intakeMB);
    expect(fig.slopeAll).toBeGreaterThan(1);
    expect(fig.slopeLastHalf).toBeCloseTo(0);
    expect(fig.maxMB).toBe(100);
    const md = soakMarkdown({ command: 'x', streams: 20, minutes: 10, when: 'now', commit: 'abc', samples, notes: [] });
    expect(md).toMatch(/\| intake serve \| 50\.0 \| 100\.0 \| 100\.0 \| [\d.]+ \| -?0\.00 \| met \(< 150 MB\); flat/);
  });

  it('keeps one section per run length in RESULTS.md, and a run of the other scenarios keeps them all', () => {
    let doc = '# Results\n\nother scenarios\n';
    doc = withSoakSection(doc, 'ten A\n', 10);
    doc = withSoakSection(doc, 'sixty\n', 60);
    doc = withSoakSection(doc, 'ten B\n', 10);
    expect(doc).toContain('ten B');
    expect(doc).not.toContain('ten A');
    expect(doc).toContain('sixty');
    const kept = soakSection(doc);
    expect(kept).toContain('ten B');
    expect(kept).toContain('sixty');
    expect(kept).not.toContain('other scenarios');
  });
});
