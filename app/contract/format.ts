/**
 * Units shared by every UI (the CLI's lines and the renderer's panels), so
 * the same number reads the same everywhere. SI throughout, as encoders and
 * OBS quote rates: 1 kB = 1000 bytes, 1 Mbit/s = 10^6 bits a second.
 * Pure functions with no imports (the renderer may import only the contract).
 */

/** Placeholder for a value that is not known (yet). */
export const NONE = '—';

const unknown = (n: number | null | undefined): n is null | undefined => n === null || n === undefined || !Number.isFinite(n) || n < 0;

/** A size in bytes: "812 B", "12.3 kB", "12.3 MB", "1.02 GB"; the placeholder when unknown. */
export function formatBytes(n: number | null | undefined): string {
  if (unknown(n)) return NONE;
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

/** A rate in bits per second: "2.48 Mbit/s", "128 kbit/s"; the placeholder when unknown. */
export function formatBitrate(bps: number | null | undefined): string {
  if (unknown(bps)) return NONE;
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(2)} Mbit/s`;
  return `${Math.round(bps / 1e3)} kbit/s`;
}

/**
 * A percentage's figure, floored to one decimal ("99.9" for 99.96), so a
 * capture short of 100 % never reads as a passing "100.0" in the CLI or in
 * the window; null when unknown. Each UI adds its own spacing of the sign.
 */
export function percentFigure(p: number | null | undefined): string | null {
  if (p === null || p === undefined || !Number.isFinite(p)) return null;
  return (Math.floor(p * 10) / 10).toFixed(1);
}
