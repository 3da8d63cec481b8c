/**
 * WebCodecs' answers to "can you decode this codec string", kept for the
 * tab (sessionStorage) as well as the page. Why: after a reload the first
 * preview asked `VideoDecoder.isConfigSupported` again, and waited for its
 * promise between `preview:show` and `preview:engine`: 15–21 ms of the
 * time to picture (bench/RESULTS.md, wt-reload). The answer for a codec
 * string does not change while the browser runs, so the tab's last answer
 * is taken at once; a page without storage asks, as before.
 */
import { tabStorage } from '../util/tab-storage.js';

const KEY = 'intake:webcodecs-answers';
/** Answers kept, at most (a stream that changes codec strings cannot grow the storage). */
export const ANSWERS_MAX = 8;
/** Longer strings are not kept (real ones are like `avc1.64001f`, `av01.0.08M.08`). */
const CODEC_MAX = 64;

const page = new Map<string, boolean>();

function stored(): [string, boolean][] {
  try {
    const v: unknown = JSON.parse(tabStorage()?.getItem(KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((e): e is [string, boolean] => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'boolean').slice(-ANSWERS_MAX) : [];
  } catch {
    return []; // not ours, or not JSON: as if nothing were kept
  }
}

/** The answer for `codec` given on this page or earlier in this tab, if any. */
export function knownAnswer(codec: string): boolean | undefined {
  const here = page.get(codec);
  if (here !== undefined) return here;
  const kept = stored().find(([c]) => c === codec)?.[1];
  if (kept !== undefined) page.set(codec, kept);
  return kept;
}

/** Keep WebCodecs' answer for `codec`, for this page and the tab's next loads. */
export function keepAnswer(codec: string, ok: boolean): void {
  page.set(codec, ok);
  if (codec.length > CODEC_MAX) return;
  try {
    const rest = stored().filter(([c]) => c !== codec);
    tabStorage()?.setItem(KEY, JSON.stringify([...rest, [codec, ok]].slice(-ANSWERS_MAX)));
  } catch {
    // quota or blocked storage: the next load asks again
  }
}
