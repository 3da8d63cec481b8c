/**
 * The byte pipe between the bridge and the player's loader. Chunks pushed
 * before the player opens its loader are queued (the first one holds the FLV
 * header and the late-join start, so none may be lost); after that they go
 * straight through.
 */

/** Queue limit before the loader opens (a hidden tab may delay MediaSource's `sourceopen`). */
export const FEED_QUEUE_LIMIT = 64 * 1024 * 1024;

/** What the host said of a chunk besides its bytes (MediaChunk's arrivedAt, offered, forwarded). */
export interface ChunkMeta {
  arrivedAt?: number;
  offered?: number;
  forwarded?: number;
}

/** Where the feed delivers: the loader's data callback and its end. */
export interface FeedSink {
  data(chunk: ArrayBuffer, meta?: ChunkMeta): void;
  end(): void;
}

/** Bytes of one preview, in order, delivered once to one sink. */
export class MediaFeed {
  private queue: { chunk: ArrayBuffer; meta?: ChunkMeta }[] = [];
  private queued = 0;
  private sink: FeedSink | null = null;
  private ended = false;
  /** Set when the queue overflowed before anyone read it: the start is lost. */
  overflowed = false;
  /** Sees every chunk as it is pushed, whoever reads the feed (the preview's arrival log). */
  observer: ((chunk: ArrayBuffer, meta?: ChunkMeta) => void) | null = null;

  /**
   * Add bytes. mpegts.js takes an ArrayBuffer and reads it from byte 0
   * (IOController._onLoaderChunkArrival hands it to FLVDemuxer.parseChunks,
   * and keeps what it did not consume), so it cannot be given a view: a chunk
   * that is only part of its buffer (a WebSocket frame after its 4-byte
   * preview id) is copied once, here; a chunk that is its whole buffer (each
   * transport message arrives in a fresh one) is handed over as it is.
   */
  push(data: Uint8Array, meta?: ChunkMeta): void {
    if (this.ended || this.overflowed || data.byteLength === 0) return;
    const copy = wholeBuffer(data) ?? data.slice().buffer;
    this.observer?.(copy, meta);
    if (this.sink) {
      this.sink.data(copy, meta);
      return;
    }
    this.queued += copy.byteLength;
    if (this.queued > FEED_QUEUE_LIMIT) {
      this.overflowed = true;
      this.queue = [];
      return;
    }
    this.queue.push({ chunk: copy, meta });
  }

  /** No more bytes will come (the stream ended). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.sink?.end();
  }

  /** Start delivering: the queue first, then every later chunk. */
  attach(sink: FeedSink): void {
    this.sink = sink;
    const queue = this.queue;
    this.queue = [];
    this.queued = 0;
    for (const q of queue) {
      if (this.sink !== sink) return; // detached from inside a callback
      sink.data(q.chunk, q.meta);
    }
    if (this.ended && this.sink === sink) sink.end();
  }

  /** Stop delivering (the loader was aborted or destroyed); later bytes are dropped. */
  detach(): void {
    this.sink = null;
    this.ended = true;
    this.queue = [];
  }
}

/** The ArrayBuffer behind `data` when the view covers all of it, else null. */
function wholeBuffer(data: Uint8Array): ArrayBuffer | null {
  const b = data.buffer;
  return b instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === b.byteLength ? b : null;
}
