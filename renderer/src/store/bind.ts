import { type IntakeApi, TIMELINE_UI_CAP } from '../../../app/contract/index.js';
import type { IntakeStore } from './store.js';
import { afterFirstPreview } from '../preview/preview-first.js';
import { pageMark } from '../preview/start-marks.js';

/** Connections whose timelines are fetched after a (re)connect, newest first. */
export const BACKFILL_CONNECTIONS = 8;
/** With a stream live, the timelines wait for the preview's first picture, at most this long (ms): preview-first.ts. */
export const BACKFILL_WAIT_MS = 1500;

/**
 * Feed the store from the host: the snapshot first, then batches and status
 * events. When the WebSocket reconnects, the snapshot is read again, so a
 * restarted `intake serve` or a dropped network never leaves a stale UI.
 * Returns the function that stops it.
 */
export function bindStore(api: IntakeApi, store: IntakeStore): () => void {
  const s = store.getState;
  let generation = 0;
  const load = async (): Promise<void> => {
    const mine = ++generation;
    try {
      const snap = await api.request('snapshot', undefined);
      if (mine !== generation) return;
      s().applySnapshot(snap);
      pageMark('snapshot');
      // The snapshot names each connection's message count, not the messages: fetch the recent connections' timelines.
      const recent = snap.connections.filter((c) => c.messageCount > 0).slice(-BACKFILL_CONNECTIONS);
      if (recent.length > 0 && snap.streams.length > 0) await afterFirstPreview(BACKFILL_WAIT_MS);
      if (mine !== generation) return;
      for (const c of recent.reverse()) {
        // The newest range only: the panel pages older ones in when asked.
        const page = await api.request('timeline', { connectionId: c.info.connectionId, count: TIMELINE_UI_CAP }).catch(() => null);
        if (mine !== generation) return;
        if (page) s().timelineBackfilled(page);
      }
    } catch (err) {
      console.warn('intake: snapshot failed', err);
    }
  };
  const offs = [
    api.on('batch', (b) => s().applyBatch(b)),
    api.on('status', (st) => s().setStatus(st)),
    api.on('settings', (st) => s().setSettings(st)),
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
