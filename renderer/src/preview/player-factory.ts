/**
 * mpegts.js set up for a live preview fed by the bridge. Kept apart from the
 * controller so tests can hand the controller a stand-in player (jsdom has
 * no MediaSource).
 */
import mpegts from 'mpegts.js';
import { feedLoaderClass } from './feed-loader.js';
import type { MediaFeed } from './media-feed.js';

/** The part of mpegts.js's Player the preview uses. */
export interface PreviewPlayer {
  attachMediaElement(el: HTMLMediaElement): void;
  load(): void;
  play(): Promise<void> | void;
  unload(): void;
  detachMediaElement(): void;
  destroy(): void;
  /** Called with (errorType, errorDetail, errorInfo) on any player error. */
  onError(fn: (type: string, detail: string, info: { msg?: string } | undefined) => void): void;
}

/** Makes a player that reads one feed. */
export type CreatePreviewPlayer = (feed: MediaFeed, opts: { hasAudio?: boolean }) => PreviewPlayer;

/**
 * Live tuning: no stash buffer (bytes reach the demuxer as they arrive), no
 * lazy loading, mpegts.js's own live sync off (live-catch-up.ts steers the
 * rate instead, on small excesses too), its latency chasing kept only as a
 * backstop past our seek threshold, and a source buffer that is trimmed,
 * because the preview may run all day. The worker stays off: the page's CSP
 * allows no blob: scripts from mpegts.js's bundle.
 */
export const LIVE_CONFIG = {
  type: 'flv',
  enableWorker: false,
  enableWorkerForMSE: false,
  enableStashBuffer: false,
  isLive: true,
  lazyLoad: false,
  liveSync: false,
  liveBufferLatencyChasing: true,
  liveBufferLatencyMaxLatency: 1.5,
  liveBufferLatencyMinRemain: 0.1,
  autoCleanupSourceBuffer: true,
  autoCleanupMaxBackwardDuration: 30,
  autoCleanupMinBackwardDuration: 10,
} as const;

/** The real player: mpegts.js with a {@link feedLoaderClass} loader. */
export const createMpegtsPlayer: CreatePreviewPlayer = (feed, opts) => {
  const { type, ...config } = LIVE_CONFIG;
  const player = mpegts.createPlayer(
    { type, isLive: true, ...(opts.hasAudio === false ? { hasAudio: false } : {}) },
    { ...config, customLoader: feedLoaderClass(feed) },
  );
  return {
    attachMediaElement: (el) => player.attachMediaElement(el),
    load: () => player.load(),
    play: () => player.play(),
    unload: () => player.unload(),
    detachMediaElement: () => player.detachMediaElement(),
    destroy: () => player.destroy(),
    onError: (fn) => player.on(mpegts.Events.ERROR, fn),
  };
};

/** mpegts.js's error details that mean "this media cannot be decoded here". */
export const CODEC_ERROR_DETAILS = new Set(['MediaMSEError', 'FormatUnsupported', 'CodecUnsupported']);
