import { describe, expect, it } from 'vitest';
import { GOP_MAX_BYTES, GOP_MAX_TAGS, GopCache, keepTag } from '../../app/streams/gop-cache.js';
import type { MediaTag } from '../../app/streams/media-tag.js';

function frame(type: 8 | 9, timestamp: number, keyframe = false, size = 4): MediaTag {
  return { type, timestamp, body: Buffer.alloc(size, timestamp & 0xff), frame: true, keyframe, sequenceHeader: false };
}

const held = (g: GopCache): [number, number][] => {
  const out: [number, number][] = [];
  g.forEach((t) => out.push([t.type, t.timestamp]));
  return out;
};

describe('GopCache', () => {
  it('keeps nothing before the first keyframe, then everything since the latest keyframe, audio included', () => {
    const g = new GopCache(true);
    expect(g.add(frame(8, 0))).toBeNull();
    expect(g.add(frame(9, 10))).toBeNull();
    g.add(frame(9, 33, true));
    g.add(frame(8, 40));
    g.add(frame(9, 66));
    expect(held(g)).toEqual([[9, 33], [8, 40], [9, 66]]);
    g.add(frame(9, 100, true));
    g.add(frame(9, 133));
    expect(held(g)).toEqual([[9, 100], [9, 133]]);
    expect(g.size).toBe(2);
    expect(g.byteLength).toBe(8);
  });

  it('copies a body the engine will reuse, once, and keeps a stable one as it is', () => {
    const g = new GopCache(true);
    const reused = frame(9, 0, true);
    const kept = g.add(reused);
    expect(kept).not.toBeNull();
    expect(kept!.stable).toBe(true);
    expect(kept!.body).not.toBe(reused.body);
    reused.body.fill(0xee);
    expect(kept!.body[0]).toBe(0);
    const own = { ...frame(9, 33), stable: true };
    expect(g.add(own)!.body).toBe(own.body);
    expect(keepTag(own).body).toBe(own.body);
  });

  it('drops a GOP that outgrows its caps, says so once per overflow, and starts again at the next keyframe', () => {
    let overflows = 0;
    const g = new GopCache(true, () => overflows++);
    g.add(frame(9, 0, true, GOP_MAX_BYTES - 10));
    expect(g.add(frame(9, 33, false, 20))).toBeNull();
    expect(overflows).toBe(1);
    expect(g.size).toBe(0);
    expect(g.add(frame(9, 66))).toBeNull(); // waits for a keyframe
    g.add(frame(9, 100, true));
    for (let i = 1; i < GOP_MAX_TAGS; i++) g.add(frame(8, 100 + i, false, 1));
    expect(g.size).toBe(GOP_MAX_TAGS);
    expect(g.add(frame(8, 99_999, false, 1))).toBeNull();
    expect(overflows).toBe(2);
  });

  it('keeps nothing when disabled, and forgets on clear', () => {
    const off = new GopCache(false);
    expect(off.add(frame(9, 0, true))).toBeNull();
    expect(off.size).toBe(0);
    const on = new GopCache(true);
    on.add(frame(9, 0, true));
    on.clear();
    expect(held(on)).toEqual([]);
  });
});
