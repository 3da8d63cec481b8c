/**
 * Which player the preview uses. The real-time player (WebCodecs, painting
 * each frame as it is decoded) is the default wherever the browser's
 * WebCodecs decodes the stream's video codec: it met issue 11's targets
 * where MSE could not (bench/RESULTS.md). mpegts.js through MSE is the
 * fallback (no WebCodecs, a codec it lacks, no codec string yet).
 */
import { webCodecsCanDecode } from './realtime-player.js';
import { keepAnswer, knownAnswer } from './codec-answers.js';

/** What the user (or the bench) asked for: `?preview=mse` or `?preview=webcodecs` on the page's URL; 'auto' otherwise. */
export type PreviewMode = 'auto' | 'mse' | 'webcodecs';
/** The player actually used. */
export type PreviewEngine = 'webcodecs' | 'mse';

/** The mode named by a page URL's `?preview=` ('auto' for anything else). */
export function modeFromUrl(search: string): PreviewMode {
  const m = new URLSearchParams(search).get('preview');
  return m === 'mse' || m === 'webcodecs' ? m : 'auto';
}

/**
 * The engine for a stream: synchronous when the answer is already known
 * (MSE forced, no WebCodecs, no canvas, a codec asked about before), else
 * a promise of it.
 */
export function chooseEngine(mode: PreviewMode, videoCodec: string | null | undefined, hasCanvas: boolean): PreviewEngine | Promise<PreviewEngine> {
  if (mode === 'mse' || !hasCanvas || !videoCodec || typeof VideoDecoder === 'undefined') return 'mse';
  // isConfigSupported answers, per codec string, asked once a tab (codec-answers.ts): the answer does not change.
  const cached = knownAnswer(videoCodec);
  if (cached !== undefined) return cached ? 'webcodecs' : 'mse';
  return webCodecsCanDecode(videoCodec).then((ok) => {
    keepAnswer(videoCodec, ok);
    return ok ? 'webcodecs' : 'mse';
  });
}
