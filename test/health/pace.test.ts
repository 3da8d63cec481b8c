/**
 * The pace finding (ingest faster than real time) on a synthetic clock: the
 * frame that first puts media 3 s ahead of the wall clock stamps the
 * finding's first moment; a lead that keeps growing is reported by the stats
 * tick, not per frame, and after the last tick the finding holds the largest
 * lead. The end-to-end case (ffmpeg without -re) is in check-cli.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { StreamHealth } from '../../app/health/stream-health.js';
import { TrackCounters } from '../../app/streams/track-stats.js';

const FRAME_MS = 33;
const DATA = new Uint8Array(100);

/** `frames` video frames 33 ms apart by their timestamps, `wallPerFrame` ms apart in arrival; a stats tick each wall second. */
function run(frames: number, wallPerFrame: number, onTick?: (h: StreamHealth, now: number) => void): { health: StreamHealth; end: number } {
  const video = new TrackCounters();
  const health = new StreamHealth(video, new TrackCounters(), 0);
  let nextTick = 1000;
  let now = 0;
  for (let i = 0; i < frames; i++) {
    now = i * wallPerFrame;
    while (now >= nextTick) {
      health.advance(nextTick);
      onTick?.(health, nextTick);
      nextTick += 1000;
    }
    video.frame(i * FRAME_MS, DATA.length, i % 60 === 0, now);
    health.frame('video', video, 0, DATA, i % 60 === 0, now);
  }
  health.advance(now);
  return { health, end: now };
}

const ahead = (h: StreamHealth) => h.book.list('generic').find((f) => f.id === 'ingest-faster-than-realtime');

describe('pace: faster than real time', () => {
  it('ten times real time: first seen when the lead passed 3 s, the largest lead after the last tick, reported once a tick at most', () => {
    const values: number[] = [];
    const { health, end } = run(3000, FRAME_MS / 10, (h) => values.push(ahead(h)?.value ?? 0));
    const f = ahead(health)!;
    expect(f.severity).toBe('warning');
    // Lead = media - wall = 0.9 x media: past 3 s at media 3.33 s, the 102nd frame, 0.34 s of wall clock in.
    const crossing = Math.ceil(3000 / 0.9 / FRAME_MS) * (FRAME_MS / 10);
    expect(f.firstAtMs).toBeCloseTo(crossing, 0);
    // The last frame: media 2999 x 33 ms, wall 2999 x 3.3 ms.
    expect(f.value).toBeCloseTo((2999 * FRAME_MS - end) / 1000, 1);
    expect(f.lastAtMs).toBeCloseTo(end, 0);
    expect(f.measured).toBe(`media ${f.value.toFixed(1)} s ahead of the wall clock`);
    // Once at the crossing and at most once per tick after it (9 ticks and the last advance), not once per 1.5 s of lead (~60).
    expect(f.count).toBeLessThanOrEqual(11);
    // Between ticks the value grows with the lead; it never goes down.
    expect(values.every((v, i) => i === 0 || v >= values[i - 1])).toBe(true);
    expect(new Set(values.filter((v) => v > 0)).size).toBeGreaterThan(5);
  });

  it('real time: no finding', () => {
    expect(ahead(run(600, FRAME_MS).health)).toBeUndefined();
  });

  it('a lead that stops growing is reported once more, at the next tick, then no more', () => {
    // 4 s ahead in the first 100 frames (sent at once), then real time for 20 s.
    const video = new TrackCounters();
    const health = new StreamHealth(video, new TrackCounters(), 0);
    for (let i = 0; i < 700; i++) {
      const now = i < 130 ? 0 : (i - 130) * FRAME_MS;
      video.frame(i * FRAME_MS, DATA.length, false, now);
      health.frame('video', video, 0, DATA, false, now);
      // A stats tick about once a wall second, the first after the burst.
      if (i >= 130 && (i - 130) % 30 === 0) health.advance(now);
    }
    const f = ahead(health)!;
    expect(f.value).toBeCloseTo((129 * FRAME_MS) / 1000, 1);
    // The crossing (frame 91, 3.003 s), then the first tick, which saw 4.257 s.
    expect(f.count).toBe(2);
    expect(f.firstAtMs).toBe(0);
  });
});
