import { FLV_HEADER_SIZE, flvTagSize, writeFlvHeader, writeFlvTag } from '../flv/flv-mux.js';
import type { MediaTag, StreamSubscriber } from '../streams/media-tag.js';
import { MEDIA_INTERVAL_MS } from '../contract/limits.js';
import { MEDIA_ARRIVAL_OFFSET, MEDIA_FORWARDED_OFFSET, MEDIA_HEADER_BYTES, MEDIA_OFFERED_OFFSET } from '../contract/wire.js';

/** Past this many bytes queued for a UI that is not reading, drop media until the next keyframe. */
export const PREVIEW_BACKLOG_LIMIT = 8 * 1024 * 1024;

/**
 * A batch goes out early once it holds this much. At a stream's own rate a
 * 25 ms batch is tens of KB; only a burst (a fast publisher, a starved event
 * loop) reaches this, and then it keeps each send, and the overshoot of the
 * backlog check, to 1 MiB instead of whatever piled up.
 */
export const PREVIEW_MAX_CHUNK = 1024 * 1024;

export interface PreviewFeedOptions {
  previewId: number;
  /** FLV header flags, from what the stream carries. */
  flags: { audio: boolean; video: boolean };
  /**
   * Deliver one batch of FLV bytes: a view that starts MEDIA_HEADER_BYTES
   * into a buffer of its own, whose first bytes already hold the preview id
   * and `arrivedAt` (the WebSocket frame's header), so a transport sends it
   * without a copy. `meta` (also in that header): when the batch's newest
   * video frame reached the engine (epoch ms, NaN if none), and the counts
   * `offered` and `forwarded` (MediaChunk).
   */
  send(data: Uint8Array, meta: { arrivedAt: number; offered: number; forwarded: number }): void;
  /** The clock arrival times are read from (tests inject one); Date.now by default. */
  now?: () => number;
  /** Bytes the transport still has queued (WebSocket bufferedAmount); 0 if unknown. */
  backlog(): number;
  ended(reason: string): void;
  intervalMs?: number;
}

/**
 * A preview subscriber: turns a stream's tags into one FLV byte stream and
 * hands it to the UI in batches, not one message per tag: a video frame goes
 * at the end of the event-loop turn it arrived in (with the tags before it),
 * anything else within MEDIA_INTERVAL_MS. Each batch carries when its
 * newest video frame arrived, so the UI can say how far behind it shows.
 * The first batch starts with the FLV header and the late-join start the
 * stream gives every subscriber.
 *
 * One copy per tag: a batch is framed at flush time straight into one buffer
 * of exactly its size, MEDIA_HEADER_BYTES in front holding the preview id
 * (wire.ts). The WebSocket sends that buffer as it is (mediaFrame in
 * web-server.ts), and Electron's IPC, which clones a view's whole backing
 * buffer, finds nothing in it but the batch (main/ipc.ts). Until the flush,
 * a stable body (the GOP cache's copy) is held by reference; a body the
 * engine will reuse is copied when it arrives, the only case with two.
 *
 * A preview is allowed to lose frames, a recording is not: when the UI falls
 * behind (its transport holds more than PREVIEW_BACKLOG_LIMIT bytes), the
 * queued bytes are dropped and the feed resumes at the next keyframe, so the
 * publisher is never slowed for a viewer.
 */
export class PreviewFeed implements StreamSubscriber {
  readonly kind = 'preview' as const;
  // The pending batch as parallel arrays, reused from batch to batch: no object per tag.
  private readonly types: number[] = [];
  private readonly stamps: number[] = [];
  private readonly bodies: Uint8Array[] = [];
  private header = true;
  private bytes = FLV_HEADER_SIZE;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private arrivedAt = NaN;
  private pendingFrames = 0;
  private waitKeyframe = false;
  private closed = false;
  /** Video frames the stream handed this feed (its late-join start included): the preview's window. */
  offeredFrames = 0;
  /** Video frames handed to the UI, and those dropped because it fell behind. */
  sentFrames = 0;
  droppedFrames = 0;
  /** How many times the UI fell behind and the feed skipped to a keyframe. */
  dropEvents = 0;
  unsubscribe: (() => void) | null = null;

  constructor(private readonly opts: PreviewFeedOptions) {
    this.schedule();
  }

  tag(tag: MediaTag): void {
    if (this.closed) return;
    if (tag.type === 9 && tag.frame) this.offeredFrames++;
    if (this.waitKeyframe) {
      if (tag.type === 9 && tag.frame && !tag.keyframe) {
        this.droppedFrames++;
        return;
      }
      if (tag.type === 8 && tag.frame) return;
      if (tag.keyframe) this.waitKeyframe = false;
    }
    const videoFrame = tag.type === 9 && tag.frame;
    if (videoFrame) {
      this.pendingFrames++;
      this.arrivedAt = (this.opts.now ?? Date.now)();
    }
    this.types.push(tag.type);
    this.stamps.push(tag.timestamp);
    this.bodies.push(tag.stable ? tag.body : Buffer.from(tag.body));
    this.bytes += flvTagSize(tag.body.length);
    this.schedule(videoFrame);
  }

  end(reason: string): void {
    if (this.closed) return;
    this.flush();
    this.close();
    this.opts.ended(reason);
  }

  /** Stop without telling the UI (it asked for another preview). */
  close(): void {
    this.closed = true;
    this.cancel();
    this.clear();
    this.pendingFrames = 0;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /**
   * A full batch goes at once; a video frame at the end of this turn of the
   * event loop (so the late-join start, or frames of one socket read, still
   * go as one batch); anything else when the timer fires.
   */
  private schedule(videoFrame = false): void {
    if (this.bytes >= PREVIEW_MAX_CHUNK) {
      this.flush();
      return;
    }
    if (videoFrame && !this.immediate) this.immediate = setImmediate(() => this.flush());
    if (!this.timer && !this.immediate) this.timer = setTimeout(() => this.flush(), this.opts.intervalMs ?? MEDIA_INTERVAL_MS);
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  /** Empty the batch; the FLV header stays due when it was never sent (a dropped first batch must not lose it). */
  private clear(sent = true): void {
    this.types.length = 0;
    this.stamps.length = 0;
    this.bodies.length = 0;
    if (sent) this.header = false;
    this.bytes = this.header ? FLV_HEADER_SIZE : 0;
  }

  /**
   * Send what is pending now (its timer and any batch scheduled are
   * cancelled). Also called by the host as the preview is asked for, so the
   * late-join start goes ahead of the request's answer and of anything asked
   * with it. Why: after a reload the page asks for the preview and the
   * snapshot together; sent at the turn's end, the GOP went after the
   * snapshot's answer, whose handling (JSON and a whole React render) then
   * held it 30–40 ms.
   */
  flush(): void {
    this.cancel();
    if (this.bytes === 0 || this.closed) return;
    if (this.opts.backlog() > PREVIEW_BACKLOG_LIMIT) {
      this.droppedFrames += this.pendingFrames;
      this.pendingFrames = 0;
      this.dropEvents++;
      this.clear(false);
      this.waitKeyframe = true;
      return;
    }
    this.sentFrames += this.pendingFrames;
    const arrivedAt = this.pendingFrames > 0 ? this.arrivedAt : NaN;
    this.pendingFrames = 0;
    // allocUnsafeSlow: a buffer of its own, never a slice of Node's shared pool, every byte written below.
    const batch = Buffer.allocUnsafeSlow(MEDIA_HEADER_BYTES + this.bytes);
    batch.writeUInt32BE(this.opts.previewId, 0);
    batch.writeDoubleBE(arrivedAt, MEDIA_ARRIVAL_OFFSET);
    batch.writeUInt32BE(this.offeredFrames >>> 0, MEDIA_OFFERED_OFFSET);
    batch.writeUInt32BE(this.sentFrames >>> 0, MEDIA_FORWARDED_OFFSET);
    let pos = MEDIA_HEADER_BYTES;
    if (this.header) pos = writeFlvHeader(batch, pos, this.opts.flags);
    for (let i = 0; i < this.bodies.length; i++) pos = writeFlvTag(batch, pos, this.types[i], this.stamps[i], this.bodies[i]);
    this.clear();
    this.opts.send(batch.subarray(MEDIA_HEADER_BYTES), { arrivedAt, offered: this.offeredFrames, forwarded: this.sentFrames });
  }
}
