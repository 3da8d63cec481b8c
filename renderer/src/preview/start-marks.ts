/**
 * Marks on the way from "show this stream" to its first picture, as
 * `performance.mark('preview:<step>')`: DevTools' Performance panel shows
 * them, and the latency bench reads them back (`npm run bench -- --only
 * ttp`) to say where the time to picture goes. Each step is marked once per
 * preview, and a new preview clears the last one's marks, so the page's
 * performance timeline holds at most one preview's worth however often the
 * user switches streams.
 */

/** The steps, in the order they happen on the way to a picture. */
export const START_STEPS = ['show', 'engine', 'request', 'first-chunk', 'answer', 'configured', 'first-decode', 'first-frame', 'playing'] as const;
/** One of {@link START_STEPS}. */
export type StartStep = (typeof START_STEPS)[number];

const done = new Set<StartStep>();
const perf = (): Performance | null => (typeof performance !== 'undefined' && typeof performance.mark === 'function' ? performance : null);

/** A new preview begins: forget the last one's marks, and mark `show`. */
export function beginStartMarks(): void {
  const p = perf();
  done.clear();
  if (p) for (const s of START_STEPS) p.clearMarks(`preview:${s}`);
  startMark('show');
}

/** Mark a step of the current preview's start (only its first time). */
export function startMark(step: StartStep): void {
  if (done.has(step)) return;
  done.add(step);
  perf()?.mark(`preview:${step}`);
}

/** Mark a step of the page's own start (once a page load: bounded). */
export function pageMark(step: 'boot' | 'link-open' | 'snapshot' | 'early-media' | 'early-taken'): void {
  const p = perf();
  if (p && p.getEntriesByName(`page:${step}`).length === 0) p.mark(`page:${step}`);
}
