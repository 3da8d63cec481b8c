import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../app/contract/engine.js';
import { TIMELINE_UI_CAP } from '../../../app/contract/limits.js';
import { bindStore } from '../../../renderer/src/store/bind.js';
import { createIntakeStore } from '../../../renderer/src/store/store.js';
import { FakeApi } from '../helpers/fake-api.js';
import { batch, conn, snapshot, stream } from '../helpers/payloads.js';

function entry(connectionId: number, seq: number): TimelineEntry {
  return { connectionId, seq, direction: 'in', atMs: seq, typeId: 20, typeName: 'Command (AMF0)', kind: 'command', csid: 3, streamId: 0, timestamp: 0, length: 10, command: { name: `c${seq}`, args: [] } };
}

const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('bindStore: the timeline after a reload or reconnect', () => {
  it("fetches a connection's messages the snapshot only counted, without duplicating what a batch repeats", async () => {
    const api = new FakeApi(snapshot({ connections: [{ info: conn(4), steps: [], messageCount: 3 }] }));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    api.handle('timeline', async () => {
      await held;
      return { connectionId: 4, from: 0, total: 3, dropped: 0, entries: [entry(4, 0), entry(4, 1), entry(4, 2)] };
    });
    const store = createIntakeStore();
    const stop = bindStore(api, store);
    const { timeline } = store.getState();
    await flush();
    // A batch lands while the full copy is on its way; it overlaps the copy's end.
    api.emit('batch', batch({ messages: [entry(4, 2), entry(4, 3)] }));
    release();
    await flush();
    await flush();
    // The newest range only, never the whole timeline in one answer.
    expect(api.requests('timeline')).toEqual([{ connectionId: 4, count: TIMELINE_UI_CAP }]);
    expect(timeline.entries(4).map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    expect(store.getState().connections[4].messageCount).toBe(4);
    api.emit('batch', batch({ messages: [entry(4, 3), entry(4, 4)] }));
    expect(timeline.entries(4).map((e) => e.seq)).toEqual([0, 1, 2, 3, 4]);
    stop();
  });

  it('follows live only the connection the panels show, and switches (forgetting the old one) when another is picked', async () => {
    const api = new FakeApi(snapshot({ connections: [{ info: conn(4), steps: [], messageCount: 2 }, { info: conn(5), steps: [], messageCount: 2 }] }));
    api.handle('timeline', ({ connectionId }) => ({ connectionId, from: 0, total: 2, dropped: 0, entries: [entry(connectionId, 0), entry(connectionId, 1)] }));
    const store = createIntakeStore();
    const stop = bindStore(api, store);
    const { timeline } = store.getState();
    await flush();
    await flush();
    // Nothing selected: the panels show the newest connection, so that is the one followed and fetched.
    expect(api.requests('follow')).toEqual([{ connectionIds: [5] }]);
    expect(api.requests('timeline')).toEqual([{ connectionId: 5, count: TIMELINE_UI_CAP }]);
    expect(timeline.entries(5).map((e) => e.seq)).toEqual([0, 1]);
    store.getState().selectConnection(4);
    await flush();
    await flush();
    expect(api.requests('follow')).toEqual([{ connectionIds: [5] }, { connectionIds: [4] }]);
    expect(api.requests('timeline')).toEqual([{ connectionId: 5, count: TIMELINE_UI_CAP }, { connectionId: 4, count: TIMELINE_UI_CAP }]);
    expect(timeline.entries(4).map((e) => e.seq)).toEqual([0, 1]);
    // What the window held of the connection it no longer follows is gone (it would go stale).
    expect(timeline.entries(5)).toHaveLength(0);
    // A batch that changes nothing shown asks nothing more.
    api.emit('batch', batch({ messages: [entry(4, 2)] }));
    await flush();
    expect(api.requests('follow')).toHaveLength(2);
    expect(timeline.entries(4).map((e) => e.seq)).toEqual([0, 1, 2]);
    stop();
  });

  it("also follows the previewed stream's connection when the panels show another one (its health feeds the Health panel)", async () => {
    const api = new FakeApi(snapshot({ connections: [{ info: conn(4), steps: [], messageCount: 0 }, { info: conn(5), steps: [], messageCount: 0 }], streams: [stream('live/a', 4)] }));
    api.handle('timeline', ({ connectionId }) => ({ connectionId, from: 0, total: 0, dropped: 0, entries: [] }));
    const store = createIntakeStore();
    const stop = bindStore(api, store);
    await flush();
    await flush();
    expect(store.getState().selectedPath).toBe('live/a');
    expect(api.requests('follow').pop()).toEqual({ connectionIds: [4] });
    // A connection without a stream picked in the protocol drop-down: the preview (and its health) stays on live/a.
    store.getState().selectConnection(5);
    await flush();
    await flush();
    expect(store.getState().selectedPath).toBe('live/a');
    expect(api.requests('follow').pop()).toEqual({ connectionIds: [5, 4] });
    expect(api.requests('timeline').pop()).toEqual({ connectionId: 5, count: TIMELINE_UI_CAP });
    stop();
  });
});
