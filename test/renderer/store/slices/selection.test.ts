import { describe, expect, it } from 'vitest';
import { reduceSelection, selectionFromSnapshot } from '../../../../renderer/src/store/slices/selection.js';
import { streamsFromSnapshot } from '../../../../renderer/src/store/slices/streams.js';
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
