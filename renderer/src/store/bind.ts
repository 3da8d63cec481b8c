import { type IntakeApi, TIMELINE_UI_CAP } from '../../../app/contract/index.js';
import { shownConnectionId } from '../util/use-shown-connection.js';
import type { IntakeStore } from './store.js';

/**
 * Feed the store from the host: the snapshot first, then batches and status
 * events. When the WebSocket reconnects, the snapshot is read again, so a
 * restarted `intake serve` or a dropped network never leaves a stale UI.
 *
 * Timelines: the window follows live only the connection its panels show
 * (`follow-timeline`), fetching that connection's newest range each time
 * the shown one changes; every other connection's messages stay with the
 * host until asked for. Returns the function that stops it.
 */
export function bindStore(api: IntakeApi, store: IntakeStore): () => void {
  const s = store.getState;
  let generation = 0;
  /** The connection followed now (null: none); undefined until the host has been told, after each (re)load. */
  let followed: number | null | undefined;
  const follow = async (): Promise<void> => {
    const id = shownConnectionId(s());
    if (id === followed) return;
    const mine = generation;
    const before = followed;
    // Set first: forgetting changes the store, whose listener calls this again.
    followed = id;
    if (before !== undefined && before !== null) s().timelineUnfollowed(before);
    await api.request('follow-timeline', { connectionIds: id === null ? [] : [id] }).catch(() => null);
    if (id === null || mine !== generation || followed !== id) return;
    // The newest range only: the panel pages older ones in when asked.
    const page = await api.request('timeline', { connectionId: id, count: TIMELINE_UI_CAP }).catch(() => null);
    if (page && mine === generation && followed === id) s().timelineBackfilled(page);
  };
  const load = async (): Promise<void> => {
    const mine = ++generation;
    try {
      const snap = await api.request('snapshot', undefined);
      if (mine !== generation) return;
      s().applySnapshot(snap);
      // A new link has a new session on the host, following everything: say again which connection this window shows.
      followed = undefined;
      await follow();
    } catch (err) {
      console.warn('intake: snapshot failed', err);
    }
  };
  const offs = [
    api.on('batch', (b) => s().applyBatch(b)),
    api.on('status', (st) => s().setStatus(st)),
    api.on('settings', (st) => s().setSettings(st)),
    // Any change may change the shown connection (a selection, a new connection); following it is a no-op otherwise.
    store.subscribe(() => {
      if (followed !== undefined && shownConnectionId(s()) !== followed) void follow();
    }),
  ];
  if (api.followLink) {
    // A link that can drop (the WebSocket): read the snapshot again each time it opens.
    offs.push(
      api.followLink((link) => {
        s().setLink(link);
        if (link === 'open') void load();
      }),
    );
  } else {
    s().setLink('open');
    void load();
  }
  return () => {
    generation++;
    for (const off of offs) off();
  };
}
