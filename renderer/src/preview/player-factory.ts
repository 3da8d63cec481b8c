/**
 * mpegts.js set up for a live preview fed by the bridge. Kept apart from the
 * controller so tests can hand the controller a stand-in player (jsdom has
 * no MediaSource).
 */
import type Mpegts from 'mpegts.js';
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

/**
 * The real player: mpegts.js with a {@link feedLoaderClass} loader, loaded
 * the first time a preview needs it. mpegts.js is 275 kB of the page's
 * 605 kB script, and the real-time player, the default where WebCodecs
 * decodes the stream, never uses it: parsing it on every page load held
 * the first picture after a reload back (`npm run bench -- --only ttp`).
 * Calls made before it has loaded are replayed in order once it has; a
 * player destroyed before then is never made.
 */
export const createMpegtsPlayer: CreatePreviewPlayer = (feed, opts) => {
  const calls: ((p: PreviewPlayer) => void)[] = [];
  let player: PreviewPlayer | null = null;
  let destroyed = false;
  const errorFns: Parameters<PreviewPlayer['onError']>[0][] = [];
  void import('mpegts.js').then(
    ({ default: mpegts }) => {
      if (destroyed) return;
      try {
        player = makeMpegtsPlayer(mpegts, feed, opts);
        for (const call of calls) call(player);
      } catch (err) {
        for (const fn of errorFns) fn('MediaError', 'PlayerError', { msg: (err as Error).message });
      }
      calls.length = 0;
    },
    (err: Error) => {
      for (const fn of errorFns) fn('NetworkError', 'PlayerLoadError', { msg: `the MSE player could not be loaded: ${err.message}` });
    },
  );
  const later = (call: (p: PreviewPlayer) => void): void => {
    if (player) call(player);
    else if (!destroyed) calls.push(call);
  };
  return {
    attachMediaElement: (el) => later((p) => p.attachMediaElement(el)),
    load: () => later((p) => p.load()),
    play: () => later((p) => void Promise.resolve(p.play()).catch(() => {})),
    unload: () => later((p) => p.unload()),
    detachMediaElement: () => later((p) => p.detachMediaElement()),
    destroy: () => {
      later((p) => p.destroy());
      destroyed = true;
      calls.length = 0;
    },
    onError: (fn) => {
      errorFns.push(fn);
      later((p) => p.onError(fn));
    },
  };
};

function makeMpegtsPlayer(mpegts: typeof Mpegts, feed: MediaFeed, opts: { hasAudio?: boolean }): PreviewPlayer {
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
}

/** mpegts.js's error details that mean "this media cannot be decoded here". */
export const CODEC_ERROR_DETAILS = new Set(['MediaMSEError', 'FormatUnsupported', 'CodecUnsupported']);
