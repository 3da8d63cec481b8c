import { afterEach, describe, expect, it, vi } from 'vitest';
import { BufferPool } from '../../app/recording/buffer-pool.js';

afterEach(() => void vi.useRealTimers());

describe('BufferPool', () => {
  it('keeps a slow writer at the minimum size, its written buffers shared within the bound', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const pool = new BufferPool(1024, 8192, 2, 2);
    const a = pool.writer();
    const b = pool.writer();
    const first = a.take(10);
    expect(first.byteLength).toBe(1024);
    vi.advanceTimersByTime(500); // filled slowly
    a.filled(first);
    expect(a.nextSize).toBe(1024);
    const taken = [a.take(10), b.take(10), b.take(10)];
    for (const buf of [first, ...taken]) a.give(buf);
    // Two kept for every writer, and another writer gets one of them back.
    expect(taken).toContain(b.take(1));
    expect(taken.concat(first)).toContain(a.take(1));
    expect([first, ...taken]).not.toContain(a.take(1));
  });

  it('doubles a fast writer up to the maximum, keeps its own large buffers, and drops those a growth made too small', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const pool = new BufferPool(1024, 4096, 4, 2);
    const w = pool.writer();
    let buf = w.take(0);
    const sizes: number[] = [];
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(10); // filled within FAST_FILL_MS
      w.filled(buf);
      buf = w.take(0);
      sizes.push(buf.byteLength);
    }
    expect(sizes).toEqual([2048, 4096, 4096, 4096]);
    const big = buf;
    w.give(big);
    expect(w.take(0)).toBe(big);
    // A tag larger than the writer's size gets a buffer of its size, kept only while it is at least the size.
    expect(w.take(10_000).byteLength).toBe(10_000);
  });

  it('forgets kept buffers smaller than a grown size, making room for the larger ones', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const pool = new BufferPool(1024, 8192, 4, 1);
    const w = pool.writer();
    vi.advanceTimersByTime(10);
    w.filled(w.take(0)); // fast: 2048 from now on
    const small = w.take(0);
    const next = w.take(0);
    w.give(small); // kept: the one slot
    vi.advanceTimersByTime(10);
    w.filled(next); // fast again: 4096, and the kept 2048 one goes
    expect(w.nextSize).toBe(4096);
    const big = w.take(0);
    w.give(big);
    expect(w.take(0)).toBe(big);
  });
});
