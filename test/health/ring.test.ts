import { describe, expect, it } from 'vitest';
import { NumberRing, RecordRing } from '../../app/health/ring.js';

/** The entries a ring holds, oldest first. */
const held = (r: NumberRing): number[] => Array.from({ length: r.length }, (_, i) => r.at(i));

describe('NumberRing', () => {
  it('keeps every entry in order while it grows, then only the newest `capacity`', () => {
    const r = new NumberRing(600);
    for (let i = 0; i < 1500; i++) {
      r.push(i);
      // Checked at every size it passes through (16, 32, ... 512, 600) and after wrapping.
      if (i < 40 || i % 97 === 0 || i > 1490) expect(held(r)).toEqual(Array.from({ length: Math.min(i + 1, 600) }, (_, k) => Math.max(0, i + 1 - 600) + k));
    }
    expect(r.length).toBe(600);
    expect(r.total).toBe(1500);
    expect(r.latest()).toBe(1499);
  });

  it('a capacity below its first allocation is still its bound', () => {
    const r = new NumberRing(5);
    for (let i = 1; i <= 12; i++) r.push(i);
    expect(held(r)).toEqual([8, 9, 10, 11, 12]);
  });

  it('summary reads the entries held after growing and wrapping', () => {
    const r = new NumberRing(64);
    for (let i = 0; i < 100; i++) r.push((i * 37) % 100);
    const xs = held(r).sort((a, b) => a - b);
    expect(r.summary()).toEqual({ min: xs[0], median: xs[32], max: xs[63], latest: (99 * 37) % 100 });
    r.clear();
    expect(r.summary()).toBeNull();
    r.push(3);
    expect(r.summary()).toEqual({ min: 3, median: 3, max: 3, latest: 3 });
  });
});

describe('RecordRing', () => {
  it('keeps its fields in step as they grow', () => {
    const r = new RecordRing(100, ['a', 'b'] as const);
    for (let i = 0; i < 250; i++) r.push({ a: i, b: -i });
    expect(r.length).toBe(100);
    expect(r.last(3)).toEqual([{ a: 247, b: -247 }, { a: 248, b: -248 }, { a: 249, b: -249 }]);
  });
});
