import { beforeEach, describe, expect, it } from 'vitest';
import { rememberPick } from '../../../renderer/src/store/remember-pick.js';
import { createIntakeStore } from '../../../renderer/src/store/store.js';
import { snapshot, stream } from '../helpers/payloads.js';

describe('a tab keeps the stream the user picked through a reload', () => {
  beforeEach(() => sessionStorage.clear());

  it('restores the pick before the snapshot, and the snapshot keeps it while that stream is live', () => {
    const before = createIntakeStore();
    const stop = rememberPick(before);
    before.getState().applySnapshot(snapshot({ streams: [stream('live/a', 1), stream('live/b', 2)] }));
    expect(before.getState().selectedPath).toBe('live/b'); // the newest, until a pick
    before.getState().selectStream('live/a');
    stop();
    // The reload: a new store, the same tab.
    const after = createIntakeStore();
    rememberPick(after);
    expect(after.getState()).toMatchObject({ selectedPath: 'live/a', followNewest: false });
    after.getState().applySnapshot(snapshot({ streams: [stream('live/a', 1), stream('live/b', 2)] }));
    expect(after.getState()).toMatchObject({ selectedPath: 'live/a', selectedConnectionId: 1, followNewest: false });
  });

  it('follows the newest again, and forgets the pick, when the picked stream is gone', () => {
    sessionStorage.setItem('intake:picked-stream', 'live/gone');
    const store = createIntakeStore();
    rememberPick(store);
    store.getState().applySnapshot(snapshot({ streams: [stream('live/b', 2)] }));
    expect(store.getState()).toMatchObject({ selectedPath: 'live/b', followNewest: true });
    expect(sessionStorage.getItem('intake:picked-stream')).toBeNull();
  });
});
