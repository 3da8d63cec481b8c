import { describe, expect, it } from 'vitest';
import { reduceStreams, streamsFromSnapshot } from '../../../../renderer/src/store/slices/streams.js';
import { ENDED_STREAMS_CAP } from '../../../../app/contract/ui.js';
import { batch, publish, snapshot, stats, stream } from '../../helpers/payloads.js';

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
    // #8: the ended record also keeps the stream as it was live, so its row keeps the encoder and address.
    expect(s.ended['live/a']).toEqual({ connectionId: 1, reason: 'FCUnpublish', at: 2000, info: stream('live/a', 1) });
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

  it('an ended stream keeps its last stats (from the same batch, else the ones it had) and learns how its connection closed', () => {
    const a = start();
    const last = stats('live/a', 1, 900, 900);
    const s = reduceStreams(
      { ...a, stats: { 'live/a': stats('live/a', 1, 10, 10) } },
      batch({ stats: [last], streamsEnded: [{ path: 'live/a', connectionId: 1, reason: 'connection reset by the client' }] }),
      2000,
    );
    expect(s.ended['live/a'].stats).toBe(last);
    const closed = reduceStreams(s, batch({ closed: [{ connectionId: 1, by: 'client', reason: 'connection reset by the client', atMs: 5, bytesIn: 1, bytesOut: 1 }] }), 2100);
    expect(closed.ended['live/a'].closed).toEqual({ by: 'client', reason: 'connection reset by the client' });
    const withOld = reduceStreams({ ...start(), stats: { 'live/a': last } }, batch({ streamsEnded: [{ path: 'live/a', connectionId: 1, reason: 'deleteStream' }] }), 2000);
    expect(withOld.ended['live/a'].stats).toBe(last);
  });

  it('keeps at most ENDED_STREAMS_CAP ended streams, forgetting the oldest', () => {
    let s = streamsFromSnapshot(snapshot());
    for (let i = 1; i <= ENDED_STREAMS_CAP + 3; i++) {
      s = reduceStreams(s, publish(`live/k${i}`, i), i * 10);
      s = reduceStreams(s, batch({ streamsEnded: [{ path: `live/k${i}`, connectionId: i, reason: 'FCUnpublish' }] }), i * 10 + 1);
    }
    expect(Object.keys(s.ended)).toHaveLength(ENDED_STREAMS_CAP);
    expect(s.ended['live/k1']).toBeUndefined();
    expect(s.ended[`live/k${ENDED_STREAMS_CAP + 3}`]).toBeDefined();
  });

  it("takes the snapshot's ended streams (a reload keeps them), with what they had, except a path live again", () => {
    const last = stats('live/old', 3);
    const s = streamsFromSnapshot(
      snapshot({
        streams: [stream('live/a', 5)],
        ended: [
          { info: stream('live/old', 3), stats: last, reason: 'client closed the connection', endedAt: 77, closed: { by: 'client', reason: 'client closed the connection' } },
          { info: stream('live/a', 1), reason: 'FCUnpublish', endedAt: 50 },
        ],
      }),
    );
    expect(s.ended).toEqual({
      'live/old': { connectionId: 3, reason: 'client closed the connection', at: 77, info: stream('live/old', 3), stats: last, closed: { by: 'client', reason: 'client closed the connection' } },
    });
  });
});
