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
  /** WebCodecs: of `decoded`, frames never painted because a newer one was ready for the same screen refresh. */
  unpainted?: number;
  /**
   * Intake's own share of the delay: now minus when the frame on screen
   * reached the engine (ms), or null before there is one.
   */
  lagMs: number | null;
  /**
   * WebCodecs with sound: the media time of the sound heard now minus that
   * of the picture shown (ms); positive when the sound is ahead of the
   * picture. Null without both.
   */
  avMs?: number | null;
  /** MSE only: media buffered ahead of what is shown (ms); a detail, not the delay. */
  bufferedMs: number | null;
  /** When the preview session started (epoch ms), for the funnel's "preview started at". */
  startedAt: number | null;
  /** The preview session's window, as of the newest chunk the player was given: MediaChunk.offered (null before one). */
  offered: number | null;
  /** MediaChunk.forwarded of the same chunk: frames the host sent this page. */
  forwarded: number | null;
  /** Of `dropped`, those dropped while the page was hidden (a hidden tab gets little time). */
  droppedWhileHidden: number;
  currentTime: number;
}

/** The one readout of the app's one preview. */
export const playerReadout: PlayerReadout = { path: null, engine: null, decoded: null, dropped: null, lagMs: null, bufferedMs: null, startedAt: null, offered: null, forwarded: null, droppedWhileHidden: 0, currentTime: 0 };

/** Forget the numbers (player stopped or switched streams). */
export function resetReadout(path: string | null, now = Date.now()): void {
  playerReadout.path = path;
  playerReadout.engine = null;
  playerReadout.decoded = null;
  playerReadout.dropped = null;
  playerReadout.unpainted = 0;
  playerReadout.avMs = null;
  playerReadout.lagMs = null;
  playerReadout.bufferedMs = null;
  playerReadout.startedAt = path === null ? null : now;
  playerReadout.offered = null;
  playerReadout.forwarded = null;
  playerReadout.droppedWhileHidden = 0;
  playerReadout.currentTime = 0;
}

/**
 * Note the host's counts of a chunk as it is handed to the player. Taken
 * from the chunk, not the stats batches, so they describe the same frames
 * the player has: decoded + dropped can never pass forwarded.
 */
export function noteChunk(meta: { offered?: number; forwarded?: number } | undefined): void {
  if (meta?.offered !== undefined) playerReadout.offered = meta.offered;
  if (meta?.forwarded !== undefined) playerReadout.forwarded = meta.forwarded;
}

/** Intake's share for a frame that arrived at `arrival` (epoch ms): never negative (clocks of host and page may differ by a ms). */
const lag = (arrival: number | null, now: number): number | null => (arrival === null ? null : Math.max(0, Math.round(now - arrival)));

/**
 * Read the MSE video element's figures into the readout. The frame on
 * screen is found by media time: mpegts.js puts the first frame it is given
 * at media time 0, so its FLV timestamp is the arrival log's first plus
 * currentTime.
 */
export function sampleVideo(video: HTMLVideoElement, arrivals?: ArrivalLog, base: QualityBase = { total: 0, dropped: 0 }, now = Date.now()): void {
  playerReadout.engine = 'mse';
  const q = typeof video.getVideoPlaybackQuality === 'function' ? video.getVideoPlaybackQuality() : null;
  if (q) {
    // The element outlives previews: count from this preview's start (a reload of the element resets its counts).
    if (q.totalVideoFrames < base.total) base.total = base.dropped = 0;
    const total = q.totalVideoFrames - base.total;
    const dropped = q.droppedVideoFrames - base.dropped;
    // totalVideoFrames includes the dropped ones: decoded is the rest.
    playerReadout.decoded = Math.max(0, total - dropped);
    playerReadout.dropped = dropped;
  }
  const b = video.buffered;
  playerReadout.bufferedMs = b && b.length > 0 ? Math.max(0, Math.round((b.end(b.length - 1) - video.currentTime) * 1000)) : null;
  playerReadout.currentTime = video.currentTime;
  const first = arrivals?.first() ?? null;
  if (arrivals && first !== null && video.readyState >= 2) playerReadout.lagMs = lag(arrivals.lookup(first + video.currentTime * 1000), now);
}

/** The element's playback-quality counts when a preview began (an MSE preview counts from there). */
export interface QualityBase {
  total: number;
  dropped: number;
}

/** The element's counts now, as the base of a preview starting on it. */
export function qualityBase(video: HTMLVideoElement): QualityBase {
  const q = typeof video.getVideoPlaybackQuality === 'function' ? video.getVideoPlaybackQuality() : null;
  return { total: q?.totalVideoFrames ?? 0, dropped: q?.droppedVideoFrames ?? 0 };
}

/** Read the real-time player's exact counts into the readout; `audibleMediaMs` and `pictureMediaMs`: the sound's and the picture's media time now, if they play. */
export function sampleRealtime(counts: VideoCounts, now = Date.now(), audibleMediaMs: number | null = null, pictureMediaMs: number | null = null): void {
  playerReadout.avMs = audibleMediaMs !== null && pictureMediaMs !== null ? Math.round(audibleMediaMs - pictureMediaMs) : null;
  playerReadout.engine = 'webcodecs';
  playerReadout.decoded = counts.decoded;
  playerReadout.dropped = counts.dropped;
  playerReadout.unpainted = counts.unpainted;
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
