/**
 * The real-time preview's picture: WebCodecs' VideoDecoder, each frame
 * painted to a canvas the moment it is decoded. No media element, so no
 * jitter buffer: Chromium's MSE pipeline holds frames (≥140 ms behind on
 * this machine, 240–290 ms median under load, bench/RESULTS.md), while
 * here a frame is on screen a decode and a paint after it arrives.
 *
 * It never slows the engine: when the decoder falls hopelessly behind (more
 * than MAX_DECODE_QUEUE frames waiting) it drops frames up to the next
 * keyframe, and counts them.
 */
import type { VideoPacket } from './flv-demux.js';
import { FramePainter } from './frame-painter.js';
import { dueFrame } from './picture-sync.js';
import { startMark } from './start-marks.js';

/**
 * Frames waiting in the decoder past which the preview skips to the next
 * keyframe. Not a handful: a skip freezes the picture until that keyframe
 * (2 s for a 60-frame GOP), which is worse than a few frames of lag during
 * a load spike (a limit of 6 froze the picture for 2 s every few seconds
 * at load average 19 on 2 cores). About a second of 30 fps video.
 */
export const MAX_DECODE_QUEUE = 30;
/**
 * Also skip when the picture is this far behind Intake (ms) with frames
 * still queued: at a low frame rate 30 queued frames are seconds.
 */
export const MAX_BEHIND_MS = 1000;

/** Decoded frames held for their sound at most (the oldest is skipped past it): 60 ms at 60 fps is 4. */
const MAX_HELD = 8;

/** No frame painted for this long (ms): the picture has stopped, and there is no A/V figure. */
const PICTURE_STALL_MS = 500;
/** A frame stands for at most this long (ms) when the picture's media time is read between frames (24 fps is 42 ms). */
const PICTURE_ADVANCE_MS = 50;

/** The picture's exact counts and the arrival of the frame on screen. */
export interface VideoCounts {
  /** Frames the decoder gave back (painted, or superseded before a screen refresh: `unpainted`). */
  decoded: number;
  dropped: number;
  /** Decoded frames never painted: a newer one was ready for the same screen refresh (or the tab was hidden). */
  unpainted: number;
  /** Engine arrival (epoch ms) of the frame on the canvas, or null before the first. */
  shownArrival: number | null;
  /** Media time (ms, the stream's presentation timestamp) of the frame on the canvas: the picture's side of the A/V offset. */
  shownMediaMs?: number;
}

/** WebCodecs' codec string for a stream: the stats' string, or for H.264 the avcC's profile and level. */
export function webCodecsString(codec: 'avc' | 'hevc' | 'av1' | 'vp9', description: Uint8Array, fromStats: string | null | undefined): string | null {
  if (fromStats) return fromStats;
  if (codec === 'avc' && description.length >= 4) return `avc1.${[1, 2, 3].map((i) => description[i].toString(16).padStart(2, '0')).join('')}`;
  return null;
}

/** Decodes video packets and paints them; `fail` is called once with why it cannot go on. */
export class RealtimeVideo {
  readonly counts: VideoCounts = { decoded: 0, dropped: 0, unpainted: 0, shownArrival: null };
  private decoder: VideoDecoder | null = null;
  private waitKeyframe = true;
  private readonly arrivals = new Map<number, number>();
  private readonly painter: FramePainter;
  private closed = false;
  private paintedCount = 0;
  /** A frame was painted since the last animation frame: others wait in `held` for the next one. */
  private frameBusy = false;
  /** An animation frame is asked for to look at `held` again (frames waiting for their sound). */
  private waiting = false;
  /** Decoded frames not painted yet, in presentation order, with when each was decoded. */
  private readonly held: { frame: VideoFrame; mediaMs: number; heldAt: number }[] = [];
  private shownAt = 0;

  /** The media time (ms) of the sound being heard, or null when none is (muted, not playing): frames wait for it (picture-sync.ts). */
  syncTo: (() => number | null) | null = null;

  /** Called once, when the first frame is on the canvas (the preview shows a picture from then, not from the next animation frame). */
  onFirstPicture: (() => void) | null = null;

  constructor(
    canvas: HTMLCanvasElement,
    private readonly statsCodec: string | null | undefined,
    private readonly fail: (why: string) => void,
  ) {
    this.painter = new FramePainter(
      canvas,
      (ts) => this.painted(ts),
      (ts) => {
        this.counts.unpainted++;
        this.arrivals.delete(ts);
      },
    );
  }

  /**
   * Handle one video packet (a config reconfigures; a frame decodes or is
   * dropped). `arrivedAt`: its engine arrival. `catchingUp`: it came with
   * others in one chunk (the late-join start, the cached GOP): those are
   * all decoded, however long the queue, since each is needed to reach the
   * live frame, and dropping them would hold the first picture until the
   * next keyframe, seconds away.
   */
  packet(p: VideoPacket, timestampMs: number, arrivedAt: number | null, catchingUp = false): void {
    if (this.closed) return;
    if (p.kind === 'config') return this.configure(p.codec, p.description);
    if (p.kind !== 'frame' || !this.decoder || this.decoder.state !== 'configured') return;
    if (this.waitKeyframe && !p.keyframe) {
      this.counts.dropped++;
      return;
    }
    const q = this.decoder.decodeQueueSize;
    const shown = this.counts.shownArrival;
    const behind = q > MAX_DECODE_QUEUE || (q > 2 && shown !== null && Date.now() - shown > MAX_BEHIND_MS);
    if (!p.keyframe && !catchingUp && behind) {
      this.waitKeyframe = true;
      this.counts.dropped++;
      return;
    }
    this.waitKeyframe = false;
    const ts = (timestampMs + p.ctsMs) * 1000;
    if (arrivedAt !== null) this.arrivals.set(ts, arrivedAt);
    if (this.arrivals.size > 256) this.arrivals.delete(this.arrivals.keys().next().value as number);
    startMark('first-decode');
    try {
      this.decoder.decode(new EncodedVideoChunk({ type: p.keyframe ? 'key' : 'delta', timestamp: ts, data: p.data }));
    } catch (err) {
      this.stop(`the decoder refused a frame: ${(err as Error).message}`);
    }
  }

  /**
   * The media time (ms) the picture shows now: the frame on the canvas,
   * advanced by the time since it was painted (a frame stands for the
   * interval until the next), or null before the first frame or when none
   * came for PICTURE_STALL_MS (the picture has stopped).
   */
  pictureMediaMs(now = performance.now()): number | null {
    const shown = this.counts.shownMediaMs;
    if (shown === undefined || now - this.shownAt > PICTURE_STALL_MS) return null;
    return shown + Math.min(now - this.shownAt, PICTURE_ADVANCE_MS);
  }

  close(): void {
    this.closed = true;
    this.painter.close();
    for (const h of this.held.splice(0)) h.frame.close();
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    this.decoder = null;
  }

  private configure(codec: 'avc' | 'hevc' | 'av1' | 'vp9', description: Uint8Array): void {
    const codecString = webCodecsString(codec, description, this.statsCodec);
    if (!codecString) return this.stop(`no codec string for ${codec}`);
    const config: VideoDecoderConfig = { codec: codecString, optimizeForLatency: true, ...(codec === 'vp9' ? {} : { description: description.slice() }) };
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    this.decoder = new VideoDecoder({ output: (f) => this.output(f), error: (e) => this.stop(`decoder error: ${e.message}`) });
    try {
      this.decoder.configure(config);
    } catch (err) {
      return this.stop(`cannot decode ${codecString}: ${(err as Error).message}`);
    }
    this.waitKeyframe = true;
    startMark('configured');
  }

  /**
   * A decoded frame: painted at once when it is due (picture-sync.ts: at
   * once, unless it waits for its sound) and nothing was painted since the
   * last animation frame; else held, and the newest due frame is painted at
   * the next one, the older ones closed unpainted. Why: after a stall the
   * decoder hands back frames in a burst (the cached GOP on a switch, a
   * catch-up under load), and each paint converts the whole frame on the
   * main thread (~1.4 ms at 640x360 here); only the newest of a burst can
   * be seen.
   */
  private output(frame: VideoFrame): void {
    if (this.closed) {
      frame.close();
      return;
    }
    this.counts.decoded++;
    this.held.push({ frame, mediaMs: frame.timestamp / 1000, heldAt: performance.now() });
    if (this.held.length > MAX_HELD) this.skip(this.held.shift()!.frame);
    this.pump();
  }

  /** Paint the newest due frame if no paint happened this animation frame; look again at the next one while frames wait. */
  private pump(): void {
    if (this.frameBusy || this.closed) return;
    const i = dueFrame(this.held, this.held.length ? (this.syncTo?.() ?? null) : null, performance.now());
    if (i < 0) {
      if (this.held.length && !this.waiting) {
        this.waiting = true;
        nextFrame(this.onWait);
      }
      return;
    }
    const due = this.held.splice(0, i + 1);
    for (let k = 0; k < i; k++) this.skip(due[k].frame);
    this.frameBusy = true;
    this.paint(due[i].frame);
    nextFrame(this.onFrame);
  }

  private readonly onFrame = (): void => {
    this.frameBusy = false;
    this.pump();
  };

  private readonly onWait = (): void => {
    this.waiting = false;
    this.pump();
  };

  private skip(frame: VideoFrame): void {
    this.counts.unpainted++;
    this.arrivals.delete(frame.timestamp);
    frame.close();
  }

  private paint(frame: VideoFrame): void {
    if (this.closed) {
      frame.close();
      return;
    }
    this.painter.paint(frame);
  }

  /** A frame is on the canvas: note its media time and when the engine received it. */
  private painted(timestamp: number): void {
    startMark('first-frame');
    if (++this.paintedCount === 1) this.onFirstPicture?.();
    this.counts.shownMediaMs = timestamp / 1000;
    this.shownAt = performance.now();
    const at = this.arrivals.get(timestamp);
    if (at !== undefined) {
      this.counts.shownArrival = at;
      this.arrivals.delete(timestamp);
    }
  }

  private stop(why: string): void {
    if (this.closed) return;
    this.close();
    this.fail(why);
  }
}

/** The next animation frame (a 16 ms timer where there is none); none comes while the tab is hidden, so nothing is painted then. */
function nextFrame(fn: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(fn);
  else setTimeout(fn, 16);
}
