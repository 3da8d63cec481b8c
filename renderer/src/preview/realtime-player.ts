/**
 * The real-time preview player: reads the preview's FLV bytes from its
 * {@link MediaFeed}, picture through {@link RealtimeVideo} onto a canvas,
 * sound through {@link RealtimeAudio}. It has the shape of the MSE player
 * (PreviewPlayer), so the controller runs either the same way; the <video>
 * it is attached to only lends its volume and mute.
 */
import { FlvTagReader, parseAudio, parseVideo } from './flv-demux.js';
import type { ChunkMeta, MediaFeed } from './media-feed.js';
import type { PreviewPlayer } from './player-factory.js';
import { RealtimeAudio } from './realtime-audio.js';
import { RealtimeVideo, type VideoCounts } from './realtime-video.js';

/** What the real-time player needs besides the feed. */
export interface RealtimeOptions {
  canvas: HTMLCanvasElement;
  /** The stream's video codec string from the stats (avc1.…, hvc1.…, av01.…, vp09.…). */
  videoCodec?: string | null;
  hasAudio?: boolean;
  /** Called once, as soon as the first frame is painted. */
  onPicture?: () => void;
}

/** A PreviewPlayer that paints with WebCodecs; `counts` are its exact frame figures. */
export interface RealtimePlayer extends PreviewPlayer {
  readonly counts: VideoCounts;
  readonly audio: () => RealtimeAudio | null;
  /** The media time (ms) the picture shows now (RealtimeVideo.pictureMediaMs). */
  pictureMediaMs(): number | null;
}

/** Whether this browser's WebCodecs can decode `codec` (a codec string), asked without decoding anything. */
export async function webCodecsCanDecode(codec: string | null | undefined): Promise<boolean> {
  if (!codec || typeof VideoDecoder === 'undefined') return false;
  try {
    return (await VideoDecoder.isConfigSupported({ codec, optimizeForLatency: true })).supported === true;
  } catch {
    return false;
  }
}

/** Make a real-time player for one feed. */
export function createRealtimePlayer(feed: MediaFeed, opts: RealtimeOptions): RealtimePlayer {
  const errorFns: ((type: string, detail: string, info: { msg?: string } | undefined) => void)[] = [];
  const fail = (why: string): void => {
    for (const fn of errorFns) fn('MediaError', 'DecodeError', { msg: why });
  };
  const video = new RealtimeVideo(opts.canvas, opts.videoCodec, fail);
  video.onFirstPicture = opts.onPicture ?? null;
  const reader = new FlvTagReader();
  let audio: RealtimeAudio | null = null;
  let media: HTMLMediaElement | null = null;
  // While the sound is heard the picture waits for it (picture-sync.ts); muted, frames are painted as decoded.
  video.syncTo = () => (audio?.audible() ? audio.audibleMediaMs() : null);

  const data = (chunk: ArrayBuffer, meta?: ChunkMeta): void => {
    const arrivedAt = meta?.arrivedAt;
    let tags;
    try {
      tags = reader.push(new Uint8Array(chunk));
    } catch (err) {
      fail((err as Error).message);
      return;
    }
    const frames = tags.filter((t) => t.type === 9);
    const newest = frames.length ? frames[frames.length - 1].timestamp : 0;
    for (const t of tags) {
      // Frames before the newest in one chunk (the late-join start) arrived earlier by their timestamps.
      const at = arrivedAt !== undefined && Number.isFinite(arrivedAt) ? arrivedAt - Math.max(0, newest - t.timestamp) : null;
      if (t.type === 9) video.packet(parseVideo(t.body), t.timestamp, at, frames.length > 1);
      else if (t.type === 8 && audio) {
        const a = parseAudio(t.body);
        if (a.kind === 'config') audio.configure(a.description);
        else if (a.kind === 'frame') audio.frame(a.data, t.timestamp, at);
      }
    }
  };

  return {
    counts: video.counts,
    audio: () => audio,
    pictureMediaMs: () => video.pictureMediaMs(),
    attachMediaElement(el) {
      media = el;
    },
    load() {
      if (media && opts.hasAudio !== false) audio = new RealtimeAudio(media);
      feed.attach({ data, end: () => {} });
    },
    play() {},
    unload() {
      feed.detach();
    },
    detachMediaElement() {
      media = null;
    },
    destroy() {
      video.close();
      audio?.close();
      audio = null;
    },
    onError(fn) {
      errorFns.push(fn);
    },
  };
}
