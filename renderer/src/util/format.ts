/**
 * Number formats shared by the protocol and timeline panels. Each returns a
 * string of stable width for its range, so columns of times and sizes do not
 * jitter as values grow.
 */

/** Time since the TCP accept, for the protocol flow: "0 ms", "840 ms", "8.30 s", "2:05.4". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return formatClock(ms, 1);
}

/**
 * A clock since the accept, for the timeline: "0:08.301" (minutes, seconds
 * and `decimals` fractional digits), with hours when there are any ("1:02:03.5").
 */
export function formatClock(ms: number, decimals = 3): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const scale = 10 ** decimals;
  const total = Math.floor((ms / 1000) * scale) / scale;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = s.toFixed(decimals).padStart(decimals > 0 ? decimals + 3 : 2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Byte counts: "312 B", "4.1 kB", "1.2 MB", "3.40 GB" (decimal units, as encoders quote bitrates). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

/** Thousands separated by a thin space: 300 000 reads faster than 300000 in a dense table. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
}
