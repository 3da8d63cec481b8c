/**
 * The MP4 recorder's frame arena (app/recording/frame-arena.ts): copies
 * frames into shared chunks, and reuses a chunk only once the disk has taken
 * every fragment holding one of its frames.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FrameArena } from '../../app/recording/frame-arena.js';

const frame = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);
/** Two of these fill a slow stream's 128 kB chunk. */
const HALF = 64 * 1024;

describe('FrameArena', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('copies frames into one chunk, and a large frame into its own buffer', () => {
    const arena = new FrameArena(() => 0);
    const src = frame(1000, 7);
    const a = arena.keep(src);
    const b = arena.keep(frame(2000, 8));
    src.fill(0);
    expect(a.every((x) => x === 7)).toBe(true);
    expect(a.buffer).toBe(b.buffer);
    expect(b.byteOffset).toBe(a.byteOffset + 1000);
    const big = arena.keep(frame(300 * 1024, 9));
    expect(big.buffer).not.toBe(a.buffer);
  });

  it('reuses a full chunk only after the disk has passed the end of the fragment its frames went into', () => {
    let written = 0;
    const arena = new FrameArena(() => written);
    const first = arena.keep(frame(HALF, 1));
    arena.keep(frame(HALF, 1)); // the first chunk is full
    vi.advanceTimersByTime(200); // a slow stream: chunks stay 128 kB
    arena.keep(frame(HALF, 2)); // second chunk; the first retires inside fragment 0
    arena.cut(5_000_000); // fragment 0 ends at byte 5,000,000
    arena.keep(frame(HALF, 2));
    vi.advanceTimersByTime(200);
    written = 4_999_999;
    const third = arena.keep(frame(HALF, 3)); // the disk has not reached the end of fragment 0: a new chunk
    expect(third.buffer).not.toBe(first.buffer);
    expect(first.every((x) => x === 1)).toBe(true);
    arena.keep(frame(HALF, 3));
    vi.advanceTimersByTime(200);
    written = 5_000_000;
    const fourth = arena.keep(frame(HALF, 4)); // now the first chunk is free again
    expect(fourth.buffer).toBe(first.buffer);
  });

  it('a chunk retired in a fragment not yet cut is not reused, however far the disk is', () => {
    const arena = new FrameArena(() => Number.MAX_SAFE_INTEGER);
    const first = arena.keep(frame(HALF, 1));
    arena.keep(frame(HALF, 1));
    vi.advanceTimersByTime(200);
    const second = arena.keep(frame(HALF, 2)); // the first retires; its fragment is still open
    arena.keep(frame(HALF, 2));
    vi.advanceTimersByTime(200);
    const third = arena.keep(frame(HALF, 3)); // the second retires: neither is free
    expect(second.buffer).not.toBe(first.buffer);
    expect(third.buffer).not.toBe(first.buffer);
    expect(third.buffer).not.toBe(second.buffer);
  });

  it('a fast stream gets bigger chunks, up to 1 MB', () => {
    const arena = new FrameArena(() => 0);
    const sizes = new Set<number>();
    for (let i = 0; i < 64; i++) sizes.add(arena.keep(frame(HALF, i)).buffer.byteLength);
    expect([...sizes]).toEqual([128 * 1024, 256 * 1024, 512 * 1024, 1024 * 1024]);
  });
});
