/**
 * One preview of one stream: asks the host for it, keeps only the media that
 * carries its preview id and hands the bytes to a {@link MediaFeed}.
 *
 * It listens before it asks: the host may send the first chunk (FLV header
 * and late-join start) before the `preview` request's answer arrives, so
 * chunks of a not-yet-known id wait until the id is known.
 */
import type { IntakeApi, MediaChunk } from '../../../app/contract/index.js';
import { MediaFeed } from './media-feed.js';
import { startMark } from './start-marks.js';

/** Chunks held while the preview id is unknown (bounded: they are ms of media). */
const EARLY_LIMIT = 256;

/** A running preview; `close()` stops listening (the next preview replaces it at the host). */
export class PreviewSession {
  readonly feed = new MediaFeed();
  private id: number | null = null;
  private closed = false;
  private early: MediaChunk[] = [];
  private endedWith: string | null = null;
  private earlyEnds = new Map<number, string>();
  private readonly offs: (() => void)[];

  /**
   * @param onEnd called once when the host says this preview ended (publisher gone or replaced).
   */
  constructor(
    private readonly api: IntakeApi,
    readonly path: string,
    private onEnd: (reason: string) => void,
  ) {
    this.offs = [
      api.on('media', (chunk) => this.onMedia(chunk)),
      api.on('preview-end', (e) => this.onPreviewEnd(e.previewId, e.reason)),
    ];
  }

  /** Ask the host for the stream. Resolves with the preview id (null: the host has no such stream). */
  async start(): Promise<number | null> {
    startMark('request');
    const { previewId } = await this.api.request('preview', { path: this.path });
    startMark('answer');
    if (this.closed) return previewId;
    this.id = previewId;
    const early = this.early;
    this.early = [];
    for (const chunk of early) if (chunk.previewId === previewId) this.feed.push(chunk.data, chunk);
    const endReason = previewId === null ? 'the host has no such stream' : this.earlyEnds.get(previewId);
    this.earlyEnds.clear();
    if (endReason !== undefined) this.finish(endReason);
    return previewId;
  }

  /** Whom to tell when the preview ends, from now on (a session started early is taken over): told at once if it already ended. */
  setOnEnd(fn: (reason: string) => void): void {
    this.onEnd = fn;
    if (this.endedWith !== null) fn(this.endedWith);
  }

  /** Stop listening and drop whatever is still queued. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const off of this.offs) off();
    this.feed.detach();
    this.early = [];
  }

  private onMedia(chunk: MediaChunk): void {
    if (this.closed) return;
    startMark('first-chunk');
    if (this.id === null) {
      // Copy now: the transport may reuse the view's buffer before the id is known.
      if (this.early.length < EARLY_LIMIT) this.early.push({ ...chunk, data: chunk.data.slice() });
      return;
    }
    if (chunk.previewId === this.id) this.feed.push(chunk.data, chunk);
  }

  private onPreviewEnd(previewId: number, reason: string): void {
    if (this.closed) return;
    if (this.id === null) this.earlyEnds.set(previewId, reason);
    else if (previewId === this.id) this.finish(reason);
  }

  private finish(reason: string): void {
    this.endedWith = reason;
    this.feed.end();
    this.onEnd(reason);
  }
}
