/**
 * The renderer's one formatting module. Sizes and rates come from the
 * contract (the CLI prints the same units); the rest is the UI's own. Each
 * function returns a string of a stable width class for its range (digits
 * are tabular in the CSS), so a value that changes ten times a second never
 * moves its neighbours. Distinct meanings have distinct names: a duration
 * ("1:23") is not a time of day ("14:03:07") nor a time since the accept
 * ("0:08.301"); a count for scripts ("300000") is not one for reading
 * ("300 000").
 */
import { NONE, percentFigure } from '../../../app/contract/format.js';

export { NONE, formatBitrate, formatBytes } from '../../../app/contract/format.js';

/** "100.0 %" (floored to one decimal, so 99.96 % never rounds up to a passing 100.0 %). */
export function formatPercent(p: number | null | undefined): string {
  const figure = percentFigure(p);
  return figure === null ? NONE : `${figure} %`;
}

/** A duration in whole seconds: "0:42", "12:05", "1:02:03". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return NONE;
  return formatElapsedClock(ms, 0);
}

/** Frames per second: "29.97" / "30" / "—". */
export function formatFps(fps: number | null | undefined): string {
  if (fps === null || fps === undefined || !Number.isFinite(fps) || fps <= 0) return NONE;
  return Number.isInteger(fps) ? String(fps) : fps.toFixed(2);
}

/** A count as plain digits (tests and scripts parse these), or the placeholder. */
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? NONE : String(n);
}

/** A count for reading, thousands separated by a thin space: 300 000 reads faster than 300000 in a dense table. */
export function formatThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
}

/** The wall-clock time of day of `at` (ms since epoch): "14:03:07". */
export function formatTimeOfDay(at: number): string {
  const d = new Date(at);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((x) => String(x).padStart(2, '0')).join(':');
}

/** Time since the TCP accept, for the protocol flow: "0 ms", "840 ms", "8.30 s", "2:05.4". */
export function formatElapsed(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return NONE;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return formatElapsedClock(ms, 1);
}

/**
 * Time since the accept as a clock, for the timeline: "0:08.301" (minutes,
 * seconds and `decimals` fractional digits), with hours when there are any
 * ("1:02:03.5").
 */
export function formatElapsedClock(ms: number, decimals = 3): string {
  if (!Number.isFinite(ms) || ms < 0) return NONE;
  const scale = 10 ** decimals;
  const total = Math.floor((ms / 1000) * scale) / scale;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = s.toFixed(decimals).padStart(decimals > 0 ? decimals + 3 : 2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const VIDEO_NAMES: [string, string][] = [['avc1', 'H.264'], ['avc3', 'H.264'], ['hvc1', 'HEVC'], ['hev1', 'HEVC'], ['av01', 'AV1'], ['vp09', 'VP9'], ['vp08', 'VP8']];
const AUDIO_NAMES: [string, string][] = [['mp4a.40.2', 'AAC-LC'], ['mp4a.40.5', 'HE-AAC'], ['mp4a.40.29', 'HE-AAC v2'], ['mp4a', 'AAC'], ['opus', 'Opus'], ['flac', 'FLAC'], ['mp3', 'MP3'], ['ac-3', 'AC-3'], ['ec-3', 'E-AC-3']];

/** A codec string's common name ("avc1.64001f" → "H.264"); the string itself when unknown. */
export function codecName(codec: string | null | undefined): string {
  if (!codec) return NONE;
  const lower = codec.toLowerCase();
  for (const [prefix, name] of [...VIDEO_NAMES, ...AUDIO_NAMES]) if (lower.startsWith(prefix)) return name;
  return codec;
}
