import { describe, expect, it } from 'vitest';
import { atTail, maxScrollTop, visibleRange } from '../../../renderer/src/timeline/virtual-window.js';

describe('visibleRange: the rows drawn for a scroll position', () => {
  it.each([
    // scrollTop, height, rowHeight, rows, overscan, [start, end)
    [0, 220, 22, 300_000, 0, [0, 10]],
    [0, 220, 22, 300_000, 5, [0, 15]],
    [22 * 1000, 220, 22, 300_000, 5, [995, 1015]],
    [22 * 1000 + 11, 220, 22, 300_000, 0, [1000, 1011]],
    [22 * 300_000, 220, 22, 300_000, 5, [299_985, 300_000]],
    [0, 660, 22, 12, 10, [0, 12]],
    [-50, 220, 22, 100, 0, [0, 10]],
    [0, 220, 22, 0, 10, [0, 0]],
  ] as const)('scrollTop %i, height %i, row %i, %i rows, overscan %i', (top, h, rh, n, over, [start, end]) => {
    expect(visibleRange(top, h, rh, n, over)).toEqual({ start, end });
  });

  it('draws a window, never the whole list', () => {
    const { start, end } = visibleRange(3_000_000, 800, 22, 300_000);
    expect(end - start).toBeLessThan(80);
  });
});

describe('tail following', () => {
  it.each([
    [0, 600, 600, 22, true],
    [1400, 600, 2000, 22, true],
    [1390, 600, 2000, 22, true],
    [1380, 600, 2000, 22, false],
    [0, 600, 2000, 22, false],
  ])('scrollTop %i of %i/%i px', (top, h, sh, rh, expected) => {
    expect(atTail(top, h, sh, rh)).toBe(expected);
  });

  it('maxScrollTop puts the last row at the bottom', () => {
    expect(maxScrollTop(100, 22, 600)).toBe(1600);
    expect(maxScrollTop(10, 22, 600)).toBe(0);
  });
});
