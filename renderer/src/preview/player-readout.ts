/**
 * The player's fast numbers (decoded and dropped frames, how far behind it
 * shows), kept in a plain object rather than the store: they change every
 * animation frame, and a store update would re-render every subscriber that
 * often (zustand's "transient updates"). Readers poll it from
 * requestAnimationFrame.
 */
import type { ArrivalLog } from './arrivals.js';
import type { VideoCounts } from './realtime-video.js';

/** What the preview's player reports, sampled per animation frame. */
export interface PlayerReadout {
  /** The stream being played, or null. */
  path: string | null;
  /** Which player: WebCodecs painting to a canvas, or mpegts.js through MSE. */
  engine: 'webcodecs' | 'mse' | null;
  /** Frames the player decoded (WebCodecs: painted; MSE: HTMLVideoElement playback quality). */
  decoded: number | null;
  /** Frames the player dropped (skipped to catch up, or the element's own drops). */
  dropped: number | null;
  /**
   * Intake's own share of the delay: now minus when the frame on screen
   * reached the engine (ms), or null before there is one.
   */
  lagMs: number | null;
  /** MSE only: media buffered ahead of what is shown (ms); a detail, not the delay. */
  bufferedMs: number | null;
  /** When the preview session started (epoch ms), for the funnel's "preview started at". */
  startedAt: number | null;
  /** Of `dropped`, those dropped while the page was hidden (a hidden tab gets little time). */
  droppedWhileHidden: number;
  currentTime: number;
}

/** The one readout of the app's one preview. */
export const playerReadout: PlayerReadout = { path: null, engine: null, decoded: null, dropped: null, lagMs: null, bufferedMs: null, startedAt: null, droppedWhileHidden: 0, currentTime: 0 };

/** Forget the numbers (player stopped or switched streams). */
export function resetReadout(path: string | null, now = Date.now()): void {
  playerReadout.path = path;
  playerReadout.engine = null;
  playerReadout.decoded = null;
  playerReadout.dropped = null;
  playerReadout.lagMs = null;
  playerReadout.bufferedMs = null;
  playerReadout.startedAt = path === null ? null : now;
  playerReadout.droppedWhileHidden = 0;
  playerReadout.currentTime = 0;
}

/** Intake's share for a frame that arrived at `arrival` (epoch ms): never negative (clocks of host and page may differ by a ms). */
const lag = (arrival: number | null, now: number): number | null => (arrival === null ? null : Math.max(0, Math.round(now - arrival)));

/**
 * Read the MSE video element's figures into the readout. The frame on
 * screen is found by media time: mpegts.js puts the first frame it is given
 * at media time 0, so its FLV timestamp is the arrival log's first plus
 * currentTime.
 */
export function sampleVideo(video: HTMLVideoElement, arrivals?: ArrivalLog, now = Date.now()): void {
  playerReadout.engine = 'mse';
  const q = typeof video.getVideoPlaybackQuality === 'function' ? video.getVideoPlaybackQuality() : null;
  if (q) {
    playerReadout.decoded = q.totalVideoFrames;
    playerReadout.dropped = q.droppedVideoFrames;
  }
  const b = video.buffered;
  playerReadout.bufferedMs = b && b.length > 0 ? Math.max(0, Math.round((b.end(b.length - 1) - video.currentTime) * 1000)) : null;
  playerReadout.currentTime = video.currentTime;
  const first = arrivals?.first() ?? null;
  if (arrivals && first !== null && video.readyState >= 2) playerReadout.lagMs = lag(arrivals.lookup(first + video.currentTime * 1000), now);
}

/** Read the real-time player's exact counts into the readout. */
export function sampleRealtime(counts: VideoCounts, now = Date.now()): void {
  playerReadout.engine = 'webcodecs';
  playerReadout.decoded = counts.decoded;
  playerReadout.dropped = counts.dropped;
  playerReadout.bufferedMs = null;
  playerReadout.lagMs = lag(counts.shownArrival, now);
}

/** requestAnimationFrame where there is one, a 60 Hz timer where there is not (tests). */
export function onEachFrame(fn: () => void): () => void {
  let stopped = false;
  const raf = typeof requestAnimationFrame === 'function';
  let handle: number | ReturnType<typeof setTimeout> = 0;
  const tick = (): void => {
    if (stopped) return;
    fn();
    handle = raf ? requestAnimationFrame(tick) : setTimeout(tick, 16);
  };
  tick();
  return () => {
    stopped = true;
    if (raf) cancelAnimationFrame(handle as number);
    else clearTimeout(handle as ReturnType<typeof setTimeout>);
  };
}
