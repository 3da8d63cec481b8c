import { describe, expect, it } from 'vitest';
import { reduceStats, statsFromSnapshot } from '../../../../renderer/src/store/slices/stats.js';
import { batch, publish, snapshot, stats, stream } from '../../helpers/payloads.js';

const none = { stats: {}, history: {}, streams: {} };

describe('reduceStats', () => {
  it('takes the stats of a stream started in the same batch, as a first history sample in kbit/s', () => {
    const s = reduceStats(none, publish('live/a', 1), 5000);
    expect(s.stats['live/a'].video.received).toBe(0);
    expect(s.history['live/a']).toEqual({ at: [5000], videoFps: [30], videoKbps: [2500], audioKbps: [128] });
  });

  it('ignores stats of a stream it has never heard of, returning the same state', () => {
    expect(reduceStats(none, batch({ stats: [stats('live/ghost', 9)] }), 1)).toBe(none);
  });

  it('adds a sample per batch for a live stream, and for one that has stats but has ended', () => {
    const live = { ...none, streams: { 'live/a': stream('live/a', 1) } };
    const one = reduceStats(live, batch({ stats: [stats('live/a', 1, 30)] }), 1000);
    const two = reduceStats({ ...one, streams: live.streams }, batch({ stats: [stats('live/a', 1, 60)] }), 2000);
    expect(two.history['live/a'].at).toEqual([1000, 2000]);
    const ended = reduceStats({ ...two, streams: {} }, batch({ stats: [stats('live/a', 1, 61)] }), 3000);
    expect(ended.stats['live/a'].video.received).toBe(61);
  });

  it('starts each snapshot stream’s history with one sample', () => {
    const s = statsFromSnapshot(snapshot({ stats: [stats('live/a', 1, 300)] }), 42);
    expect(s.history['live/a'].at).toEqual([42]);
    expect(s.stats['live/a'].video.received).toBe(300);
  });
});

describe('statsFromSnapshot and ended streams (#8)', () => {
  it("keeps an ended stream's last stats from the snapshot, so a reload still shows its capture", () => {
    const last = stats('live/old', 3, 420, 420);
    const s = statsFromSnapshot(snapshot({ stats: [stats('live/a', 1, 30)], ended: [{ info: stream('live/old', 3), stats: last, reason: 'FCUnpublish', endedAt: 9 }] }), 42);
    expect(s.stats['live/old']).toBe(last);
    expect(s.stats['live/a'].video.received).toBe(30);
  });
});
