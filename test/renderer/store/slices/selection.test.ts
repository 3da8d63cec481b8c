import { describe, expect, it } from 'vitest';
import { reduceSelection, selectionFromSnapshot } from '../../../../renderer/src/store/slices/selection.js';
import { streamsFromSnapshot } from '../../../../renderer/src/store/slices/streams.js';
import { createIntakeStore } from '../../../../renderer/src/store/store.js';
import { batch, conn, publish, snapshot, stream } from '../../helpers/payloads.js';

const following = { selectedPath: null, selectedConnectionId: null, followNewest: true };

describe('reduceSelection', () => {
  it('follows the newest started stream and its connection', () => {
    const s = reduceSelection(following, batch({ streamsStarted: [stream('live/a', 1), stream('live/b', 2)] }));
    expect(s).toEqual({ selectedPath: 'live/b', selectedConnectionId: 2, followNewest: true });
  });

  it('keeps the user’s pick, unless nothing is picked', () => {
    const picked = { selectedPath: 'live/a', selectedConnectionId: 1, followNewest: false };
    expect(reduceSelection(picked, publish('live/b', 2))).toBe(picked);
    const none = { selectedPath: null, selectedConnectionId: null, followNewest: false };
    expect(reduceSelection(none, batch({ streamsStarted: [stream('live/a', 1), stream('live/b', 2)] }))).toMatchObject({ selectedPath: 'live/a', selectedConnectionId: 1 });
  });

  it('returns the same state for a batch with no stream start', () => {
    expect(reduceSelection(following, batch({ opened: [conn(1)] }))).toBe(following);
  });
});

describe('selectionFromSnapshot', () => {
  const snap = snapshot({ connections: [{ info: conn(1), steps: [], messageCount: 0 }, { info: conn(2), steps: [], messageCount: 0 }], streams: [stream('live/a', 1), stream('live/b', 2)] });

  it('keeps a still-live pick, else selects the newest stream and follows again', () => {
    const picked = { selectedPath: 'live/a', selectedConnectionId: 1, followNewest: false };
    expect(selectionFromSnapshot(snap, picked, streamsFromSnapshot(snap))).toEqual(picked);
    const gone = { selectedPath: 'live/x', selectedConnectionId: 9, followNewest: false };
    expect(selectionFromSnapshot(snap, gone, streamsFromSnapshot(snap))).toEqual({ selectedPath: 'live/b', selectedConnectionId: 2, followNewest: true });
  });

  it('with nothing live, shows the newest connection', () => {
    const idle = snapshot({ connections: [{ info: conn(4), steps: [], messageCount: 0 }] });
    expect(selectionFromSnapshot(idle, following, streamsFromSnapshot(idle))).toEqual({ selectedPath: null, selectedConnectionId: 4, followNewest: true });
  });
});

describe('selection and ended streams (#8)', () => {
  const end = (path: string, connectionId: number) => batch({ streamsEnded: [{ path, connectionId, reason: 'client closed the connection' }] });

  it('a selected stream that ends while another is live moves the selection to the live one', () => {
    const store = createIntakeStore();
    store.getState().applySnapshot(snapshot());
    store.getState().applyBatch(publish('live/a', 1));
    store.getState().applyBatch(publish('live/b', 2));
    store.getState().selectStream('live/a');
    store.getState().applyBatch(end('live/a', 1));
    expect(store.getState()).toMatchObject({ selectedPath: 'live/b', selectedConnectionId: 2 });
  });

  it('with nothing else live it stays on the ended stream, and moves when a stream starts', () => {
    const store = createIntakeStore();
    store.getState().applySnapshot(snapshot());
    store.getState().applyBatch(publish('live/a', 1));
    store.getState().selectStream('live/a');
    store.getState().applyBatch(end('live/a', 1));
    expect(store.getState().selectedPath).toBe('live/a');
    store.getState().applyBatch(publish('live/c', 3));
    expect(store.getState()).toMatchObject({ selectedPath: 'live/c', selectedConnectionId: 3 });
  });

  it('an ended stream the user picked after it ended stays selected while others are live, through a reload too', () => {
    const store = createIntakeStore();
    store.getState().applySnapshot(snapshot());
    store.getState().applyBatch(publish('live/a', 1));
    store.getState().applyBatch(end('live/a', 1));
    store.getState().applyBatch(publish('live/b', 2));
    expect(store.getState().selectedPath).toBe('live/b');
    store.getState().selectStream('live/a');
    store.getState().applyBatch(publish('live/c', 3));
    expect(store.getState()).toMatchObject({ selectedPath: 'live/a', selectedConnectionId: 1 });
    const reload = snapshot({ streams: [stream('live/b', 2), stream('live/c', 3)], ended: [{ info: stream('live/a', 1), reason: 'deleteStream', endedAt: 5 }] });
    store.getState().applySnapshot(reload);
    expect(store.getState()).toMatchObject({ selectedPath: 'live/a', selectedConnectionId: 1 });
    // Not pinned: a reload with streams live shows the newest live one.
    store.getState().selectStream('live/b');
    store.getState().applyBatch(end('live/b', 2));
    expect(store.getState().selectedPath).toBe('live/c');
  });

  it('picking a connection selects its stream (live or ended); one that published nothing leaves the stream as it was', () => {
    const store = createIntakeStore();
    store.getState().applySnapshot(snapshot());
    store.getState().applyBatch(publish('live/a', 1));
    store.getState().applyBatch(publish('live/b', 2));
    store.getState().applyBatch(end('live/a', 1));
    store.getState().applyBatch(batch({ opened: [conn(3)] }));
    store.getState().selectConnection(1);
    expect(store.getState()).toMatchObject({ selectedPath: 'live/a', selectedConnectionId: 1 });
    store.getState().selectConnection(2);
    expect(store.getState()).toMatchObject({ selectedPath: 'live/b', selectedConnectionId: 2 });
    store.getState().selectConnection(3);
    expect(store.getState()).toMatchObject({ selectedPath: 'live/b', selectedConnectionId: 3 });
  });
});
