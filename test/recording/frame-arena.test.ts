/**
 * The MP4 recorder's frame arena (app/recording/frame-arena.ts): copies
 * frames into shared chunks, and reuses a chunk only once the disk has taken
 * every fragment holding one of its frames.
 */
import { describe, expect, it } from 'vitest';
import { FrameArena } from '../../app/recording/frame-arena.js';

const frame = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);

describe('FrameArena', () => {
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
    const part = 200 * 1024;
    const first = arena.keep(frame(part, 1));
    for (let i = 0; i < 4; i++) arena.keep(frame(part, 1)); // 1000 kB: the first chunk is full
    arena.keep(frame(part, 2)); // second chunk; the first retires inside fragment 0
    arena.cut(5_000_000); // fragment 0 ends at byte 5,000,000
    for (let i = 0; i < 4; i++) arena.keep(frame(part, 2));
    written = 4_999_999;
    const third = arena.keep(frame(part, 3)); // the disk has not reached the end of fragment 0: a new chunk
    expect(third.buffer).not.toBe(first.buffer);
    expect(first.every((x) => x === 1)).toBe(true);
    for (let i = 0; i < 4; i++) arena.keep(frame(part, 3));
    written = 5_000_000;
    const fourth = arena.keep(frame(part, 4)); // now the first chunk is free again
    expect(fourth.buffer).toBe(first.buffer);
  });

  it('a chunk retired in a fragment not yet cut is not reused, however far the disk is', () => {
    const arena = new FrameArena(() => Number.MAX_SAFE_INTEGER);
    const first = arena.keep(frame(600 * 1024 - 1, 1));
    arena.keep(frame(200 * 1024, 1));
    arena.keep(frame(250 * 1024, 2)); // the first chunk retires; its fragment is still open
    const next = arena.keep(frame(250 * 1024, 2));
    arena.keep(frame(250 * 1024, 2));
    arena.keep(frame(250 * 1024, 2));
    const after = arena.keep(frame(250 * 1024, 3)); // the second retires: the first is still not free
    expect(after.buffer).not.toBe(first.buffer);
    expect(next.buffer).not.toBe(first.buffer);
  });
});
