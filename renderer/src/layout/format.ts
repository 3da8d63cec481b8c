/**
 * Number and time formatting shared by the panels. Every function returns a
 * string of a predictable width class (digits are tabular in the CSS), so a
 * value that changes ten times a second never moves its neighbours.
 */

/** Placeholder for a value that is not known yet; the same width budget as a short number. */
export const NONE = '—';

/** "100.0 %" (one decimal, so 99.96 % never rounds up to a passing 100.0 %). */
export function formatPercent(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return NONE;
  const floored = Math.floor(p * 10) / 10;
  return `${floored.toFixed(1)} %`;
}

/** Bits per second as "4.52 Mb/s" / "128 kb/s". */
export function formatBitrate(bps: number | null | undefined): string {
  if (bps === null || bps === undefined || !Number.isFinite(bps)) return NONE;
  if (bps >= 1_000_000) return `${(bps / 1_000_000).toFixed(2)} Mb/s`;
  return `${Math.round(bps / 1000)} kb/s`;
}

/** Bytes as "812 B", "12.3 MB", "1.02 GB". */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return NONE;
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  if (n < 1_000_000_000) return `${(n / 1_000_000).toFixed(1)} MB`;
  return `${(n / 1_000_000_000).toFixed(2)} GB`;
}

/** Milliseconds as "0:42", "12:05", "1:02:03". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return NONE;
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
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

/** Wall-clock time of day, "14:03:07". */
export function formatClock(at: number): string {
  const d = new Date(at);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((x) => String(x).padStart(2, '0')).join(':');
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
