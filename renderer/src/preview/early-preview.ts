/**
 * The preview asked for as the page starts, before the snapshot: after a
 * reload the request used to wait for the script, the WebSocket and the
 * snapshot (~280 of the ~400 ms to a picture at load average 9,
 * bench/RESULTS.md), then a round trip to the host for the cached GOP. The
 * stream the tab previewed last is remembered (sessionStorage, per tab), so
 * its request leaves the moment the link opens, its GOP travels while the
 * snapshot is read, and the controller takes the running session over when
 * it shows that stream. Shown anything else (another stream, none), the
 * early session is closed, and the controller's own request replaces it at
 * the host as any switch does.
 */
import type { IntakeApi } from '../../../app/contract/index.js';
import { PreviewSession } from './preview-session.js';
import { pageMark } from './start-marks.js';
import { tabStorage } from '../util/tab-storage.js';

const KEY = 'intake:preview-path';
/** An early session nobody took within this long (ms) is closed: its media would otherwise pile up in its feed. */
const UNCLAIMED_MS = 5000;

/** A session started early, and its request's answer (the preview id). */
export interface EarlyPreview {
  session: PreviewSession;
  started: Promise<number | null>;
}

let early: EarlyPreview | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;

/** Remember the stream this tab previews (null: none), for the next load's early request. */
export function rememberPreviewPath(path: string | null): void {
  try {
    if (path === null) tabStorage()?.removeItem(KEY);
    else tabStorage()?.setItem(KEY, path);
  } catch {
    // quota or blocked storage: the next load simply asks after the snapshot
  }
}

/** Ask for the stream this tab previewed last, if any (call once, as the page starts, before the snapshot is asked for). */
export function startEarlyPreview(api: IntakeApi): void {
  const path = tabStorage()?.getItem(KEY) ?? null;
  if (!path || path.length > 1024 || early) return;
  const session = new PreviewSession(api, path, () => {});
  const started = session.start();
  started.catch(() => {}); // the controller that takes it over reports a refusal
  // Page marks (a preview's own are cleared when the controller shows it): the bench and the reload test read them.
  session.feed.observer = () => pageMark('early-media');
  early = { session, started };
  timer = setTimeout(() => takeEarlyPreview(null), UNCLAIMED_MS);
}

/**
 * The early session if it is for `path`; any other early session is closed
 * (null: close whatever there is). Only the first call can get one.
 */
export function takeEarlyPreview(path: string | null): EarlyPreview | null {
  const e = early;
  early = null;
  if (timer) clearTimeout(timer);
  timer = null;
  if (!e) return null;
  if (path !== null && e.session.path === path) {
    pageMark('early-taken');
    return e;
  }
  e.session.close();
  return null;
}
