import { describe, expect, it } from 'vitest';
import { HISTORY_LENGTH } from '../../../renderer/src/store/history.js';
import { CLOSED_CONNECTIONS_CAP, LOG_CAP, createIntakeStore } from '../../../renderer/src/store/store.js';
import { batch, conn, publish, snapshot, stats, stream } from '../helpers/payloads.js';

describe('store: snapshot and batches', () => {
  it('selects the newest stream of a snapshot and keeps a still-live selection on reload', () => {
    const store = createIntakeStore();
    store.getState().applySnapshot(snapshot({ connections: [{ info: conn(1), steps: [], messageCount: 0 }, { info: conn(2), steps: [], messageCount: 0 }], streams: [stream('live/a', 1), stream('live/b', 2)] }));
    expect(store.getState().selectedPath).toBe('live/b');
    expect(store.getState().selectedConnectionId).toBe(2);
    store.getState().selectStream('live/a');
    store.getState().applySnapshot(snapshot({ streams: [stream('live/a', 1), stream('live/b', 2), stream('live/c', 3)] }));
    expect(store.getState().selectedPath).toBe('live/a');
  });

  it('follows the newest publisher until the user picks one', () => {
    const store = createIntakeStore();
    store.getState().applySnapshot(snapshot());
    store.getState().applyBatch(publish('live/first', 1));
    expect(store.getState().selectedPath).toBe('live/first');
    store.getState().applyBatch(publish('live/second', 2));
    expect(store.getState().selectedPath).toBe('live/second');
    expect(store.getState().selectedConnectionId).toBe(2);
    store.getState().selectStream('live/first');
    store.getState().applyBatch(publish('live/third', 3));
    expect(store.getState().selectedPath).toBe('live/first');
    expect(store.getState().selectedConnectionId).toBe(1);
    expect(store.getState().streamPaths).toEqual(['live/first', 'live/second', 'live/third']);
  });

  it('keeps an ended stream with its reason and its last stats; a republish revives it', () => {
    const store = createIntakeStore();
    store.getState().applySnapshot(snapshot());
    store.getState().applyBatch(publish('live/a', 1));
    store.getState().applyBatch(batch({ stats: [stats('live/a', 1, 420)] }));
    store.getState().applyBatch(batch({ streamsEnded: [{ path: 'live/a', connectionId: 1, reason: 'FCUnpublish' }], closed: [{ connectionId: 1, by: 'client', reason: 'socket closed', atMs: 14000, bytesIn: 1e6, bytesOut: 3000 }] }));
    const s = store.getState();
    expect(s.streamPaths).toEqual([]);
    expect(s.ended['live/a']).toMatchObject({ connectionId: 1, reason: 'FCUnpublish' });
    expect(s.stats['live/a'].video.received).toBe(420);
    expect(s.connections[1].closed?.by).toBe('client');
    // A late end of an older publisher on the same path does not end the new one.
    store.getState().applyBatch(publish('live/a', 2));
    store.getState().applyBatch(batch({ streamsEnded: [{ path: 'live/a', connectionId: 1, reason: 'stale' }] }));
    expect(store.getState().ended['live/a']).toBeUndefined();
    expect(store.getState().streams['live/a'].connectionId).toBe(2);
  });

  it('selecting an ended stream shows its connection', () => {
    const store = createIntakeStore();
    store.getState().applySnapshot(snapshot());
    store.getState().applyBatch(publish('live/a', 1));
    store.getState().applyBatch(publish('live/b', 2));
    store.getState().applyBatch(batch({ streamsEnded: [{ path: 'live/a', connectionId: 1, reason: 'deleteStream' }] }));
    store.getState().selectStream('live/a');
    expect(store.getState().selectedConnectionId).toBe(1);
  });

  it('caps the sparkline history and the log', () => {
    const store = createIntakeStore();
    store.getState().applySnapshot(snapshot());
    store.getState().applyBatch(publish('live/a', 1));
    for (let i = 0; i < HISTORY_LENGTH + 30; i++) {
      store.getState().applyBatch(batch({ stats: [stats('live/a', 1, i, i, {})], logs: [{ level: 'info', message: `m${i}`, at: i }, { level: 'info', message: `n${i}`, at: i }, { level: 'info', message: `o${i}`, at: i }, { level: 'info', message: `p${i}`, at: i }] }));
    }
    const h = store.getState().history['live/a'];
    expect(h.videoFps).toHaveLength(HISTORY_LENGTH);
    expect(h.at).toHaveLength(HISTORY_LENGTH);
    expect(store.getState().logs).toHaveLength(LOG_CAP);
    expect(store.getState().logs.at(-1)?.message).toBe(`p${HISTORY_LENGTH + 29}`);
  });

  it('forgets the oldest closed connections beyond the cap but never the selected one', () => {
    const store = createIntakeStore();
    store.getState().applySnapshot(snapshot());
    const n = CLOSED_CONNECTIONS_CAP + 5;
    for (let id = 1; id <= n; id++) store.getState().applyBatch(batch({ opened: [conn(id)] }));
    store.getState().selectConnection(2);
    for (let id = 1; id <= n; id++) store.getState().applyBatch(batch({ closed: [{ connectionId: id, by: 'server', reason: 'bad', atMs: 5, bytesIn: 10, bytesOut: 0 }] }));
    const ids = store.getState().connectionIds;
    expect(ids).toContain(2);
    expect(ids).not.toContain(1);
    expect(ids).toContain(n);
    expect(ids.length).toBe(CLOSED_CONNECTIONS_CAP + 1);
  });

  it('notes a recording a request answered before the batch says so', () => {
    const store = createIntakeStore();
    store.getState().noteRecording({ path: 'live/a', file: '/r/a.flv', bytes: 0, durationMs: 0, videoFrames: 0, audioFrames: 0, state: 'recording' });
    expect(store.getState().recordings['/r/a.flv'].state).toBe('recording');
  });
});
