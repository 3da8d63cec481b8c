/**
 * Lets other work on a page's start wait until the preview has its first
 * picture. After a reload the store fetches the recent connections'
 * timelines (thousands of entries each); sent before the preview's own
 * request, they were answered first and parsed and rendered on the main
 * thread while the first frame waited: the `preview:first-chunk` step
 * came ~130 ms after the request on a reload against ~25 ms on a switch
 * (`npm run bench -- --only ttp`). The timelines are not what a user looks
 * at first; the picture is.
 */

let settled = false;
const waiting = new Set<() => void>();

/** The preview has shown its first picture, or failed, or there is none to show: release whoever waits. */
export function previewSettled(): void {
  if (settled) return;
  settled = true;
  for (const fn of waiting) fn();
  waiting.clear();
}

/**
 * Resolves once the page's first preview has settled, or after `maxMs`
 * (a preview that never shows a picture must not hold the rest back).
 */
export function afterFirstPreview(maxMs: number): Promise<void> {
  if (settled) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      waiting.delete(done);
      resolve();
    };
    const timer = setTimeout(done, maxMs);
    waiting.add(done);
  });
}
