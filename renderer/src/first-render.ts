/**
 * The page's first render waits for the snapshot, a bounded while. Why:
 * after a reload the snapshot comes tens of ms after the bundle starts
 * (the early link asked for it, renderer/early-link.js), and a first render
 * of the empty window (~25 ms of main thread here) held the link's open
 * event, the preview's GOP and the snapshot's answer behind it, only to be
 * rendered again at once. With no answer within FIRST_RENDER_WAIT_MS (no
 * Intake yet, a slow link) the window renders as it is, and fills in later.
 */
import type { IntakeStore } from './store/store.js';

/** How long the first render waits for the snapshot, at most (ms). */
export const FIRST_RENDER_WAIT_MS = 250;

/** Call `render` once: when the store holds the snapshot, or after FIRST_RENDER_WAIT_MS. */
export function firstRenderWithSnapshot(store: IntakeStore, render: () => void, waitMs = FIRST_RENDER_WAIT_MS): void {
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    off();
    clearTimeout(timer);
    render();
  };
  const off = store.subscribe((s) => {
    if (s.host !== null) once();
  });
  const timer = setTimeout(once, waitMs);
  if (store.getState().host !== null) once();
}
