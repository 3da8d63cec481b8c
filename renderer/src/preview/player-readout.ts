/**
 * The player's fast numbers (decoded and dropped frames, latency), kept in a
 * plain object rather than the store: they change every animation frame, and
 * a store update would re-render every subscriber that often (zustand's
 * "transient updates"). Readers poll it from requestAnimationFrame.
 */

/** What the preview's player reports, sampled per animation frame. */
export interface PlayerReadout {
  /** The stream being played, or null. */
  path: string | null;
  /** Frames the player's decoder handled (HTMLVideoElement playback quality). */
  decoded: number | null;
  dropped: number | null;
  /** Buffered end minus current time, in ms. */
  latencyMs: number | null;
  currentTime: number;
}

/** The one readout of the app's one preview. */
export const playerReadout: PlayerReadout = { path: null, decoded: null, dropped: null, latencyMs: null, currentTime: 0 };

/** Forget the numbers (player stopped or switched streams). */
export function resetReadout(path: string | null): void {
  playerReadout.path = path;
  playerReadout.decoded = null;
  playerReadout.dropped = null;
  playerReadout.latencyMs = null;
  playerReadout.currentTime = 0;
}

/** Read the video element's figures into the readout. */
export function sampleVideo(video: HTMLVideoElement): void {
  const q = typeof video.getVideoPlaybackQuality === 'function' ? video.getVideoPlaybackQuality() : null;
  if (q) {
    playerReadout.decoded = q.totalVideoFrames;
    playerReadout.dropped = q.droppedVideoFrames;
  }
  const b = video.buffered;
  playerReadout.latencyMs = b.length > 0 ? Math.max(0, Math.round((b.end(b.length - 1) - video.currentTime) * 1000)) : null;
  playerReadout.currentTime = video.currentTime;
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
