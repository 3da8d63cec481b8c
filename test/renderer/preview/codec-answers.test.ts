import { beforeEach, describe, expect, it, vi } from 'vitest';

/** The module as a freshly loaded page sees it (its page-wide answers empty; the tab's storage as it is). */
const newPage = async () => {
  vi.resetModules();
  return import('../../../renderer/src/preview/codec-answers.js');
};

describe("WebCodecs' answers kept for the tab (no isConfigSupported wait after a reload)", () => {
  beforeEach(() => sessionStorage.clear());

  it('gives the next page of the tab the answer this one got, for that codec string only', async () => {
    const first = await newPage();
    expect(first.knownAnswer('avc1.64001f')).toBeUndefined();
    first.keepAnswer('avc1.64001f', true);
    first.keepAnswer('hvc1.1.6.L93.B0', false);
    const next = await newPage();
    expect(next.knownAnswer('avc1.64001f')).toBe(true);
    expect(next.knownAnswer('hvc1.1.6.L93.B0')).toBe(false);
    expect(next.knownAnswer('avc1.42c01e')).toBeUndefined();
  });

  it('keeps at most ANSWERS_MAX answers, the newest, and no absurdly long codec string', async () => {
    const m = await newPage();
    for (let i = 0; i < 20; i++) m.keepAnswer(`avc1.6400${i.toString(16).padStart(2, '0')}`, true);
    m.keepAnswer('x'.repeat(5000), true);
    expect(JSON.parse(sessionStorage.getItem('intake:webcodecs-answers')!)).toHaveLength(m.ANSWERS_MAX);
    const next = await newPage();
    expect(next.knownAnswer('avc1.640013')).toBe(true);
    expect(next.knownAnswer('avc1.640000')).toBeUndefined();
    expect(next.knownAnswer('x'.repeat(5000))).toBeUndefined();
  });

  it('takes whatever else is under its key as nothing kept', async () => {
    for (const junk of ['not json', '{"avc1.64001f": true}', '[["avc1.64001f", "yes"], 7, null]']) {
      sessionStorage.setItem('intake:webcodecs-answers', junk);
      const m = await newPage();
      expect(m.knownAnswer('avc1.64001f')).toBeUndefined();
      m.keepAnswer('avc1.64001f', true);
      expect((await newPage()).knownAnswer('avc1.64001f')).toBe(true);
    }
  });
});
