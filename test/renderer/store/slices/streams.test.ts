import { describe, expect, it } from 'vitest';
import { reduceStreams, streamsFromSnapshot } from '../../../../renderer/src/store/slices/streams.js';
import { batch, publish, snapshot, stream } from '../../helpers/payloads.js';

const start = () => reduceStreams(streamsFromSnapshot(snapshot()), publish('live/a', 1), 1000);

describe('reduceStreams', () => {
  it('adds a started stream in order of start, and returns the same state when no stream changes', () => {
    const s = reduceStreams(start(), publish('live/b', 2), 2000);
    expect(s.streamPaths).toEqual(['live/a', 'live/b']);
    expect(s.streams['live/b'].connectionId).toBe(2);
    expect(reduceStreams(s, batch({ logs: [{ level: 'info', message: 'x', at: 1 }] }), 3000)).toBe(s);
  });

  it('applies updates to live streams only', () => {
    const s = reduceStreams(start(), batch({ streamsUpdated: [stream('live/a', 1, { encoder: 'obs-output module (libobs version 30.0.0)' }), stream('live/zz', 9)] }), 2000);
    expect(s.streams['live/a'].encoder).toContain('obs-output');
    expect(s.streams['live/zz']).toBeUndefined();
  });

  it('ends a stream with its reason and time, only for the publisher that is live on the path', () => {
    const a = start();
    const late = reduceStreams(a, batch({ streamsEnded: [{ path: 'live/a', connectionId: 7, reason: 'stale' }] }), 2000);
    expect(late).toBe(a);
    const s = reduceStreams(a, batch({ streamsEnded: [{ path: 'live/a', connectionId: 1, reason: 'FCUnpublish' }] }), 2000);
    expect(s.streamPaths).toEqual([]);
    expect(s.ended['live/a']).toEqual({ connectionId: 1, reason: 'FCUnpublish', at: 2000 });
    // A republish revives it.
    const again = reduceStreams(s, publish('live/a', 2), 3000);
    expect(again.ended['live/a']).toBeUndefined();
    expect(again.streams['live/a'].connectionId).toBe(2);
  });

  it('starts from the snapshot’s live streams with nothing ended', () => {
    const s = streamsFromSnapshot(snapshot({ streams: [stream('live/a', 1), stream('live/b', 2)] }));
    expect(s.streamPaths).toEqual(['live/a', 'live/b']);
    expect(s.ended).toEqual({});
  });
});
