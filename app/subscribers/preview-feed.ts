import { encodeFlvTag, flvHeader } from '../flv/flv-mux.js';
import type { MediaTag, StreamSubscriber } from '../streams/media-tag.js';
import { MEDIA_INTERVAL_MS } from '../contract/limits.js';

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
  /** Deliver one batch of FLV bytes. */
  send(data: Uint8Array): void;
  /** Bytes the transport still has queued (WebSocket bufferedAmount); 0 if unknown. */
  backlog(): number;
  ended(reason: string): void;
  intervalMs?: number;
}

/**
 * A preview subscriber: turns a stream's tags into one FLV byte stream and
 * hands it to the UI in batches (every ~25 ms), not one message per tag.
 * The first batch starts with the FLV header and the late-join start the
 * stream gives every subscriber. Tag bodies are copied as they arrive: the
 * engine reuses its buffers once `tag()` returns.
 *
 * A preview is allowed to lose frames, a recording is not: when the UI falls
 * behind (its transport holds more than PREVIEW_BACKLOG_LIMIT bytes), the
 * queued bytes are dropped and the feed resumes at the next keyframe, so the
 * publisher is never slowed for a viewer.
 */
export class PreviewFeed implements StreamSubscriber {
  readonly kind = 'preview' as const;
  private parts: Buffer[] = [];
  private bytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private pendingFrames = 0;
  private waitKeyframe = false;
  private closed = false;
  /** Video frames handed to the UI, and those dropped because it fell behind. */
  sentFrames = 0;
  droppedFrames = 0;
  unsubscribe: (() => void) | null = null;

  constructor(private readonly opts: PreviewFeedOptions) {
    this.push(flvHeader(opts.flags));
  }

  tag(tag: MediaTag): void {
    if (this.closed) return;
    if (this.waitKeyframe) {
      if (tag.type === 9 && tag.frame && !tag.keyframe) {
        this.droppedFrames++;
        return;
      }
      if (tag.type === 8 && tag.frame) return;
      if (tag.keyframe) this.waitKeyframe = false;
    }
    if (tag.type === 9 && tag.frame) this.pendingFrames++;
    this.push(encodeFlvTag(tag.type, tag.timestamp, tag.body));
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
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.parts = [];
    this.bytes = 0;
    this.pendingFrames = 0;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private push(b: Buffer): void {
    this.parts.push(b);
    this.bytes += b.length;
    if (this.bytes >= PREVIEW_MAX_CHUNK) {
      this.flush();
      return;
    }
    if (!this.timer) this.timer = setTimeout(() => this.flush(), this.opts.intervalMs ?? MEDIA_INTERVAL_MS);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.bytes === 0 || this.closed) return;
    if (this.opts.backlog() > PREVIEW_BACKLOG_LIMIT) {
      this.droppedFrames += this.pendingFrames;
      this.pendingFrames = 0;
      this.parts = [];
      this.bytes = 0;
      this.waitKeyframe = true;
      return;
    }
    this.sentFrames += this.pendingFrames;
    this.pendingFrames = 0;
    const data = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.bytes);
    this.parts = [];
    this.bytes = 0;
    this.opts.send(data);
  }
}
