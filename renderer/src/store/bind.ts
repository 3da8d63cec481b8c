import { type IntakeApi, TIMELINE_UI_CAP } from '../../../app/contract/index.js';
import { afterFirstPreview } from '../preview/preview-first.js';
import { pageMark } from '../preview/start-marks.js';
import { shownConnectionId } from '../util/use-shown-connection.js';
import type { IntakeStore } from './store.js';

/** With a stream live, the timeline waits for the preview's first picture, at most this long (ms): preview-first.ts. */
export const BACKFILL_WAIT_MS = 1500;

/**
 * Feed the store from the host: the snapshot first, then batches and status
 * events. When the WebSocket reconnects, the snapshot is read again, so a
 * restarted `intake serve` or a dropped network never leaves a stale UI.
 *
 * The window follows in detail (`follow`) only the connection its panels
 * show and the previewed stream's: their messages come live and their
 * stats carry the health summary; it fetches the shown connection's newest
 * range each time that one changes. Every other connection's messages stay
 * with the host until asked for. Returns the function that stops it.
 */
export function bindStore(api: IntakeApi, store: IntakeStore): () => void {
  const s = store.getState;
  let generation = 0;
  /** The connections the host was told to follow (undefined until told, after each (re)load), and of them the one the panels show. */
  let following: number[] | undefined;
  let shownFollowed: number | null = null;
  /** What to follow: the connection the panels show, and the previewed stream's (its health summary feeds the Health panel). */
  const wanted = (): { shown: number | null; ids: number[] } => {
    const st = s();
    const shown = shownConnectionId(st);
    const previewed = st.selectedPath ? (st.streams[st.selectedPath]?.connectionId ?? null) : null;
    return { shown, ids: [...new Set([shown, previewed].filter((id): id is number => id !== null))] };
  };
  const same = (a: readonly number[] | undefined, b: readonly number[]): boolean => a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
  const follow = async (waitForPreview = false): Promise<void> => {
    const { shown, ids } = wanted();
    if (same(following, ids) && shown === shownFollowed) return;
    const mine = generation;
    const before = following ?? [];
    const shownBefore = following === undefined ? null : shownFollowed;
    // Set first: forgetting changes the store, whose listener calls this again.
    following = ids;
    shownFollowed = shown;
    for (const id of before) if (!ids.includes(id)) s().timelineUnfollowed(id);
    await api.request('follow', { connectionIds: ids }).catch(() => null);
    if (shown === null || shown === shownBefore || mine !== generation || shownFollowed !== shown) return;
    if (waitForPreview) await afterFirstPreview(BACKFILL_WAIT_MS);
    if (mine !== generation || shownFollowed !== shown) return;
    // The newest range only: the panel pages older ones in when asked.
    const page = await api.request('timeline', { connectionId: shown, count: TIMELINE_UI_CAP }).catch(() => null);
    if (page && mine === generation && shownFollowed === shown) s().timelineBackfilled(page);
  };
  const load = async (): Promise<void> => {
    const mine = ++generation;
    try {
      const snap = await api.request('snapshot', undefined);
      if (mine !== generation) return;
      s().applySnapshot(snap);
      pageMark('snapshot');
      // A new link has a new session on the host, following everything: say again which connection this window shows.
      following = undefined;
      // With a stream live, its picture comes first: the timeline's range waits for it (at most BACKFILL_WAIT_MS).
      await follow(snap.streams.length > 0);
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
      if (following === undefined) return;
      const { shown, ids } = wanted();
      if (!same(following, ids) || shown !== shownFollowed) void follow();
    }),
  ];
  if (api.followLink) {
    // A link that can drop (the WebSocket): read the snapshot again each time it opens.
    offs.push(
      api.followLink((link) => {
        s().setLink(link);
        if (link === 'open') {
          pageMark('link-open');
          void load();
        }
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
