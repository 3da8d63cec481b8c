/**
 * Keeps an MSE <video> close to the live edge: the element's buffered-ahead
 * time (buffered end − currentTime) is steered towards a small target by
 * playback rate, and a large excess is skipped by a seek.
 *
 * Why our own and not mpegts.js's liveSync: that acts only past
 * liveSyncMaxLatency and then plays at one fixed rate, and does nothing
 * while the element's clock runs slower than real time (measured 0.988–
 * 0.999x under CPU load, issue 11), so the lag grew by half a second a
 * minute. Here the rate is proportional to the excess, every animation
 * frame, so a slow clock is made up as it happens, in steps too small to see.
 */

/** Catch-up settings (seconds, and a playback-rate ceiling). */
export const CATCH_UP = {
  /** Buffered-ahead time aimed for: below about two frames Chromium stalls waiting for data. */
  targetS: 0.08,
  /** Past this, seek to target instead of speeding up (a stall, a hidden tab). */
  seekS: 0.6,
  /** Rate added per second of excess, up to maxRate. */
  gain: 2,
  maxRate: 1.5,
} as const;

/** The part of an HTMLMediaElement catch-up uses (a stand-in in tests). */
export interface CatchUpMedia {
  readonly buffered: { length: number; end(i: number): number; start(i: number): number };
  currentTime: number;
  playbackRate: number;
  readonly paused: boolean;
}

/** One step: look at the element and set its rate (or seek). Returns the buffered-ahead time in s, or null without data. */
export function catchUp(media: CatchUpMedia, c: { targetS: number; seekS: number; gain: number; maxRate: number } = CATCH_UP): number | null {
  const b = media.buffered;
  if (b.length === 0) return null;
  const end = b.end(b.length - 1);
  const ahead = end - media.currentTime;
  if (media.paused) return ahead;
  if (ahead > c.seekS) {
    media.currentTime = Math.max(b.start(b.length - 1), end - c.targetS);
    media.playbackRate = 1;
    return ahead;
  }
  const excess = ahead - c.targetS;
  const rate = excess > 0 ? Math.min(c.maxRate, 1 + excess * c.gain) : 1;
  // Only a change worth making: setting playbackRate costs a trip through the media pipeline.
  if (Math.abs(rate - media.playbackRate) > 0.01) media.playbackRate = rate;
  return ahead;
}
