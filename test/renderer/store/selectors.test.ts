import { describe, expect, it } from 'vitest';
import {
  recordingOf,
  selectBrokenCloses,
  selectEndedPaths,
  selectLivePathsNewestFirst,
  selectProblems,
  selectSelectedStats,
  selectSelectedVideoCodec,
} from '../../../renderer/src/store/selectors.js';
import { createIntakeStore } from '../../../renderer/src/store/store.js';
import { recording } from '../helpers/fake-api.js';
import { batch, conn, publish, snapshot, stats } from '../helpers/payloads.js';

function withTwoStreams() {
  const store = createIntakeStore();
  store.getState().applySnapshot(snapshot());
  store.getState().applyBatch(publish('live/a', 1));
  store.getState().applyBatch(publish('live/b', 2));
  return store;
}

describe('selectors', () => {
  it('lists live streams newest first, with a stable array while nothing changes', () => {
    const store = withTwoStreams();
    const first = selectLivePathsNewestFirst(store.getState());
    expect(first).toEqual(['live/b', 'live/a']);
    store.getState().applyBatch(batch({ stats: [stats('live/a', 1, 10)] }));
    expect(selectLivePathsNewestFirst(store.getState())).toBe(first);
    store.getState().applyBatch(publish('live/c', 3));
    expect(selectLivePathsNewestFirst(store.getState())).toEqual(['live/c', 'live/b', 'live/a']);
  });

  it('lists ended streams most recent first', () => {
    const store = withTwoStreams();
    store.getState().applyBatch(batch({ streamsEnded: [{ path: 'live/a', connectionId: 1, reason: 'x' }] }));
    const ended = store.getState().ended;
    store.setState({ ended: { ...ended, 'live/b': { connectionId: 2, reason: 'y', at: ended['live/a'].at + 10 } } });
    expect(selectEndedPaths(store.getState())).toEqual(['live/b', 'live/a']);
  });

  it('reads the selected stream’s stats and codec', () => {
    const store = withTwoStreams();
    expect(selectSelectedStats(store.getState())?.path).toBe('live/b');
    expect(selectSelectedVideoCodec(store.getState())).toBe('avc1.64001f');
    store.getState().selectStream(null);
    expect(selectSelectedVideoCodec(store.getState())).toBeNull();
  });

  it('finds the recording in progress, else the latest one of the stream', () => {
    const store = withTwoStreams();
    expect(recordingOf(store.getState(), 'live/a')).toBeUndefined();
    const older = recording('live/a', 'finished', { file: '/rec/a-1.flv' });
    const live = recording('live/a', 'recording', { file: '/rec/a-2.flv', bytes: 5 });
    store.getState().applyBatch(batch({ recordings: [older, recording('live/b', 'recording')] }));
    expect(recordingOf(store.getState(), 'live/a')?.file).toBe('/rec/a-1.flv');
    store.getState().applyBatch(batch({ stats: [stats('live/a', 1, 10, 10, { recording: live })] }));
    expect(recordingOf(store.getState(), 'live/a')?.file).toBe('/rec/a-2.flv');
    // The recordings map has the newer state of the same file (stopped).
    store.getState().applyBatch(batch({ recordings: [{ ...live, state: 'finished', bytes: 9 }] }));
    expect(recordingOf(store.getState(), 'live/a')).toMatchObject({ file: '/rec/a-2.flv', state: 'finished', bytes: 9 });
  });

  it('keeps warnings and errors, and the closes that broke a rule', () => {
    const store = createIntakeStore();
    store.getState().applySnapshot(snapshot());
    store.getState().applyBatch(batch({ opened: [conn(1), conn(2), conn(3)], logs: [{ level: 'info', message: 'hello', at: 1 }, { level: 'warn', message: 'slow disk', at: 2 }, { level: 'error', message: 'bad chunk', at: 3 }] }));
    store.getState().applyBatch(batch({
      closed: [
        { connectionId: 1, by: 'client', reason: 'eof', atMs: 1, bytesIn: 1, bytesOut: 1 },
        { connectionId: 3, by: 'server', reason: 'protocol error', error: { code: 'chunk-size', message: 'chunk size 2147483647 over the limit' }, atMs: 5, bytesIn: 100, bytesOut: 3073 },
      ],
    }));
    expect(selectProblems(store.getState()).map((l) => l.message)).toEqual(['slow disk', 'bad chunk']);
    const broken = selectBrokenCloses(store.getState());
    expect(broken.map((c) => c.error?.code)).toEqual(['chunk-size']);
    expect(selectBrokenCloses(store.getState())).toBe(broken);
  });
});
