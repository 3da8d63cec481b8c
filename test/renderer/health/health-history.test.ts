import { describe, expect, it } from 'vitest';
import type { HealthSecond, HealthSummary } from '../../../app/contract/index.js';
import { HEALTH_SECONDS, emptyHealthHistory, mergeHealth } from '../../../renderer/src/health/health-history.js';
import { chartData } from '../../../renderer/src/health/charts.js';

const second = (n: number): HealthSecond => ({ second: n, videoBps: n * 1000, audioBps: 128_000, videoFrames: 30, keyframes: n % 2, intervalMinMs: 33, intervalMaxMs: 34, avOffsetMs: n === 3 ? null : 10 });
const summary = (from: number, to: number, gops: number[] = []): HealthSummary =>
  ({ seconds: Array.from({ length: to - from + 1 }, (_, i) => second(from + i)), gops: gops.map((at) => ({ atMs: at * 1000, mediaMs: at * 1000, seconds: 2, frames: 60, bytes: 1, closed: true })) }) as unknown as HealthSummary;

describe('health history', () => {
  it('merges the seconds and GOPs each stats event carries, once each, oldest first', () => {
    let h = mergeHealth(emptyHealthHistory(), summary(0, 9, [2, 4]));
    h = mergeHealth(h, summary(5, 12, [4, 6]));
    expect(h.t).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(h.videoKbps[12]).toBe(12);
    expect(h.avOffset[3]).toBeNull();
    expect(h.gopAt).toEqual([2, 4, 6]);
    expect(mergeHealth(h, summary(3, 12, [6]))).toBe(h);
  });

  it('keeps at most ten minutes', () => {
    let h = emptyHealthHistory();
    for (let s = 0; s < 700; s += 10) h = mergeHealth(h, summary(s, s + 9));
    expect(h.t.length).toBe(HEALTH_SECONDS);
    expect(h.t[0]).toBe(100);
  });

  it('cuts each chart to the time window, keyframes as points on the video line', () => {
    const h = mergeHealth(emptyHealthHistory(), summary(0, 99, [10, 50, 98]));
    const d = chartData(h, 60);
    expect(d.bitrate[0][0]).toBe(40);
    expect(d.bitrate[0].length).toBe(60);
    expect(d.bitrate[3][1]).toBe(41);
    expect(d.bitrate[3][0]).toBeNull();
    expect(d.gop[0]).toEqual([50, 98]);
  });
});
