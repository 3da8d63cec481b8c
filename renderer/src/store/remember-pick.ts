/**
 * A tab keeps the stream the user picked through a reload (sessionStorage,
 * per tab): before, a reload went back to following the newest stream, so
 * a user watching an older one lost it, and the preview could not be asked
 * for before the snapshot (early-preview.ts) because which stream the page
 * would show was not known until then. The pick is restored before the
 * first snapshot; the snapshot keeps it if that stream is still live
 * (selectionFromSnapshot), else the page follows the newest again and the
 * pick is forgotten.
 */
import type { IntakeStore } from './store.js';
import { tabStorage } from '../util/tab-storage.js';

const KEY = 'intake:picked-stream';

/** Restore this tab's pick into `store`, then remember each new pick; returns the unsubscribe. */
export function rememberPick(store: IntakeStore): () => void {
  const st = tabStorage();
  const picked = st?.getItem(KEY) ?? null;
  if (picked && picked.length <= 1024 && store.getState().selectedPath === null) store.setState({ selectedPath: picked, followNewest: false });
  let last: string | null = picked;
  return store.subscribe((s) => {
    const now = s.followNewest ? null : s.selectedPath;
    if (now === last) return;
    last = now;
    try {
      if (now === null) st?.removeItem(KEY);
      else st?.setItem(KEY, now);
    } catch {
      // quota or blocked storage: the pick lasts this page only
    }
  });
}
