/**
 * A stream's health history as the window keeps it: the per-second samples
 * and the GOPs each stats event carries (the latest ten of each), merged
 * into longer, bounded series for the charts. Pure: a new history per merge,
 * the old one unchanged (the store compares references).
 */
import type { HealthSummary } from '../../../app/contract/index.js';

/** Seconds of chart history per stream (ten minutes) and GOPs kept. */
export const HEALTH_SECONDS = 600;
export const HEALTH_GOPS = 256;

/** Column arrays, oldest first, as uPlot takes them (null: no value). */
export interface HealthHistory {
  /** Seconds since the stream started. */
  t: number[];
  videoKbps: number[];
  audioKbps: number[];
  keyframes: number[];
  intervalMin: (number | null)[];
  intervalMax: (number | null)[];
  avOffset: (number | null)[];
  /** Per GOP: when it completed (s since the stream started), its duration in s, closed or not. */
  gopAt: number[];
  gopSeconds: number[];
  gopClosed: (boolean | null)[];
}

export function emptyHealthHistory(): HealthHistory {
  return { t: [], videoKbps: [], audioKbps: [], keyframes: [], intervalMin: [], intervalMax: [], avOffset: [], gopAt: [], gopSeconds: [], gopClosed: [] };
}

function capped<T>(list: T[], add: T[], cap: number): T[] {
  const next = list.concat(add);
  return next.length > cap ? next.slice(next.length - cap) : next;
}

/** `h` with the seconds and GOPs of `s` it does not have yet; `h` itself when there are none. */
export function mergeHealth(h: HealthHistory, s: HealthSummary): HealthHistory {
  const lastSecond = h.t.length ? h.t[h.t.length - 1] : -1;
  const secs = s.seconds.filter((x) => x.second > lastSecond);
  const lastGop = h.gopAt.length ? h.gopAt[h.gopAt.length - 1] : -1;
  const gops = s.gops.filter((g) => g.atMs / 1000 > lastGop);
  if (secs.length === 0 && gops.length === 0) return h;
  const cap = <T,>(list: T[], add: T[]): T[] => capped(list, add, HEALTH_SECONDS);
  const capG = <T,>(list: T[], add: T[]): T[] => capped(list, add, HEALTH_GOPS);
  return {
    t: cap(h.t, secs.map((x) => x.second)),
    videoKbps: cap(h.videoKbps, secs.map((x) => x.videoBps / 1000)),
    audioKbps: cap(h.audioKbps, secs.map((x) => x.audioBps / 1000)),
    keyframes: cap(h.keyframes, secs.map((x) => x.keyframes)),
    intervalMin: cap(h.intervalMin, secs.map((x) => x.intervalMinMs)),
    intervalMax: cap(h.intervalMax, secs.map((x) => x.intervalMaxMs)),
    avOffset: cap(h.avOffset, secs.map((x) => x.avOffsetMs)),
    gopAt: capG(h.gopAt, gops.map((g) => g.atMs / 1000)),
    gopSeconds: capG(h.gopSeconds, gops.map((g) => g.seconds)),
    gopClosed: capG(h.gopClosed, gops.map((g) => g.closed)),
  };
}
