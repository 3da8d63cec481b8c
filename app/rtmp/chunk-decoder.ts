import { ErrorCode, RtmpError } from '../errors.js';
import { giveReassemblyBuffer, takeReassemblyBuffer } from './reassembly-pool.js';
import { ByteQueue } from '../util/byte-queue.js';
import type { RtmpMessage } from './message-types.js';

/** Limits that keep a hostile peer from making us buffer or allocate without bound. */
export interface ChunkLimits {
  /** Largest message length accepted (the wire allows 2^24-1). */
  maxMessageLength: number;
  /** Bytes reserved at once for messages still being reassembled, over all chunk streams. */
  maxPartialBytes: number;
  /** Chunk streams that may have a message in progress at once. */
  maxPartialStreams: number;
}

export const DEFAULT_CHUNK_LIMITS: ChunkLimits = {
  maxMessageLength: 8 * 1024 * 1024,
  maxPartialBytes: 32 * 1024 * 1024,
  maxPartialStreams: 64,
};

/** Per chunk stream header state (RTMP spec 5.3.1.2: later formats inherit from it). */
interface ChunkStream {
  csid: number;
  timestamp: number;
  /** The raw timestamp field of the last header: absolute for format 0, a delta for 1 and 2. */
  tsField: number;
  /** Whether the last format 0-2 header carried an Extended Timestamp. */
  extended: boolean;
  length: number;
  typeId: number;
  streamId: number;
  /** Reassembly buffer of a message spanning several chunks, or null. */
  partial: Buffer | null;
  received: number;
  /** With `reuseBuffers`: `partial` is lent by the shared pool and goes back to it. */
  lent: boolean;
  /** Of the message in progress: the header formats seen (bit f for format f) and the chunks counted. Two integers, no allocation per chunk. */
  fmts: number;
  chunks: number;
}

/** Messages a close threw away, and their bytes: what Intake itself lost of a stream. */
export interface Discarded {
  messages: number;
  bytes: number;
}

const MESSAGE_HEADER_SIZE = [11, 7, 3, 0] as const;

/**
 * Bytes in, complete messages out. Implements RTMP spec 5.3 "Chunking":
 *
 *   +--------------+----------------+--------------------+--------------+
 *   | Basic Header | Message Header | Extended Timestamp |  Chunk Data  |
 *   +--------------+----------------+--------------------+--------------+
 *
 * Basic header: 1 byte (csid 2-63), 2 bytes (csid 64-319: 64 + b1) or
 * 3 bytes (csid 64-65599: 64 + b1 + b2 * 256). Message header of format
 * 0/1/2/3 is 11/7/3/0 bytes. Extended Timestamp (4 bytes) follows when the
 * 24-bit field is 0xFFFFFF, and on format 3 chunks of such a stream; some
 * clients omit it on format 3, so it is taken only when its value matches.
 *
 * A header or a chunk payload is consumed only once it is complete in the
 * queue; until then `push` returns and waits for more bytes.
 */
export class ChunkDecoder {
  private readonly queue = new ByteQueue();
  /**
   * Chunk streams by id: ids below 320 (1- and 2-byte basic headers, what
   * publishers use) in an array, the rest in a Map. Why: this lookup runs
   * per chunk, 2.4 million times for 300 MB at chunk size 128.
   */
  private readonly lowStreams: (ChunkStream | undefined)[] = [];
  private readonly streams = new Map<number, ChunkStream>();
  private chunkSize = 128;
  /** The chunk stream whose payload we are waiting for, once its header is consumed. */
  private pending: ChunkStream | null = null;
  private pendingPayload = 0;
  /** The pending payload belongs to an aborted message. */
  private discardPending = false;
  private partialBytes = 0;
  private partialStreams = 0;

  /**
   * @param reuseBuffers Reassemble messages into buffers lent by a pool
   *   shared by every decoder (reassembly-pool.ts) and returned once
   *   `onMessage` has run, so a long stream allocates nothing per frame and
   *   many streams share a few buffers. A payload is then valid only during
   *   `onMessage`: whoever keeps it must copy it. Why: at ingest speed the
   *   allocation of one buffer per message was a third of the receiver's CPU
   *   in garbage collection.
   */
  constructor(
    private readonly onMessage: (msg: RtmpMessage) => void,
    private readonly limits: ChunkLimits = DEFAULT_CHUNK_LIMITS,
    private readonly reuseBuffers = false,
  ) {}

  /** The peer's current chunk size. */
  get incomingChunkSize(): number {
    return this.chunkSize;
  }

  /** Bytes received but not yet parsed (an incomplete header or chunk payload). */
  get buffered(): number {
    return this.queue.length;
  }

  /**
   * What closing now would throw away: the messages begun and not complete
   * (reassembled in part, a header without its payload, or bytes of a header
   * not yet whole) and every byte of them received, parsed or not. Zero
   * when every byte read so far ended in a complete message. Read once, at
   * a close, so it walks the chunk streams.
   */
  get discardable(): Discarded {
    let messages = this.partialStreams;
    let bytes = this.queue.length;
    for (const cs of this.lowStreams) if (cs?.partial) bytes += cs.received;
    for (const cs of this.streams.values()) if (cs.partial) bytes += cs.received;
    // A single-chunk message whose header came without its payload, or a header still coming.
    if ((this.pending !== null && this.pending.partial === null && !this.discardPending) || (this.pending === null && this.queue.length > 0)) messages++;
    return { messages, bytes };
  }

  /** The bytes last pushed are about to be reused by the reader: keep what is still unparsed of them (ByteQueue.keepLast). */
  keepUnparsed(): void {
    this.queue.keepLast();
  }

  /** Apply the peer's Set Chunk Size (already validated by the caller). */
  setChunkSize(size: number): void {
    this.chunkSize = size;
  }

  /** Abort Message (spec 5.4.2): discard the partly received message of a chunk stream. */
  abort(csid: number): void {
    const cs = this.stream(csid);
    if (!cs) return;
    this.dropPartial(cs);
    // A header already consumed still has its payload coming: it is skipped, not parsed as headers.
    if (this.pending === cs) this.discardPending = true;
  }

  /** Feed bytes exactly as read from the socket; emits every message they complete. */
  push(bytes: Buffer): void {
    this.queue.push(bytes);
    for (;;) {
      if (this.pending === null) {
        if (this.continuation()) continue;
        if (!this.readHeader()) return;
      }
      if (!this.readPayload()) return;
    }
  }

  /**
   * The common chunk in one step: a format 3 chunk with a 1-byte basic
   * header continuing a message in progress, header and payload both in
   * the queue's first segment, copied straight from it. Anything else
   * (returns false) takes readHeader/readPayload. Why: at chunk size 128
   * nearly every chunk is one of these, 2.4 million per 300 MB, and the
   * general path's peeks, skips and checks per chunk were a tenth of the
   * receiver's CPU (bench/RESULTS.md, "Ingest cost work").
   */
  private continuation(): boolean {
    const q = this.queue;
    const seg = q.front;
    const h = q.frontOffset;
    if (h >= seg.length) return false;
    const b0 = seg[h];
    // Format 3 (top bits 11) and chunk stream id 2-63.
    if (b0 < 0xc2) return false;
    const cs = this.lowStreams[b0 & 0x3f];
    if (cs === undefined || cs.partial === null || cs.received === 0 || cs.extended) return false;
    const n = Math.min(this.chunkSize, cs.length - cs.received);
    if (seg.length - h - 1 < n) return false;
    cs.partial.set(new Uint8Array(seg.buffer, seg.byteOffset + h + 1, n), cs.received);
    q.skip(1 + n);
    cs.fmts |= 8;
    cs.chunks++;
    cs.received += n;
    if (cs.received === cs.length) this.complete(cs);
    return true;
  }

  /** Consume one chunk header if it is complete. */
  private readHeader(): boolean {
    const q = this.queue;
    if (q.length < 1) return false;
    const b0 = q.peekByte(0);
    const fmt = b0 >> 6;
    let csid = b0 & 0x3f;
    let basic = 1;
    if (csid === 0) {
      if (q.length < 2) return false;
      csid = 64 + q.peekByte(1);
      basic = 2;
    } else if (csid === 1) {
      if (q.length < 3) return false;
      csid = 64 + q.peekByte(1) + q.peekByte(2) * 256;
      basic = 3;
    }
    const mh = MESSAGE_HEADER_SIZE[fmt];
    if (q.length < basic + mh) return false;

    let cs = this.stream(csid);
    if (!cs) {
      if (fmt !== 0) {
        throw new RtmpError(ErrorCode.ChunkHeader, `chunk stream ${csid} starts with a format ${fmt} header; its first chunk must be format 0`);
      }
      cs = { csid, timestamp: 0, tsField: 0, extended: false, length: 0, typeId: 0, streamId: 0, partial: null, received: 0, lent: false, fmts: 0, chunks: 0 };
      if (csid < 320) this.lowStreams[csid] = cs;
      else this.streams.set(csid, cs);
    }
    if (fmt !== 3 && cs.received > 0) {
      throw new RtmpError(
        ErrorCode.ChunkHeader,
        `format ${fmt} header on chunk stream ${csid} while its message is ${cs.length - cs.received} of ${cs.length} bytes short`,
      );
    }

    if (fmt === 3) {
      let extLen = 0;
      if (cs.extended) {
        if (q.length < basic + 4) return false;
        const h = q.peek(basic + 4);
        if (h.readUInt32BE(basic) === cs.tsField) extLen = 4;
      }
      q.skip(basic + extLen);
      if (cs.received === 0) this.startMessage(cs, (cs.timestamp + cs.tsField) >>> 0);
      cs.fmts |= 8;
      cs.chunks++;
    } else {
      const h = q.peek(basic + mh);
      let ts = h.readUIntBE(basic, 3);
      const extended = ts === 0xffffff;
      if (extended) {
        if (q.length < basic + mh + 4) return false;
        ts = q.peek(basic + mh + 4).readUInt32BE(basic + mh);
      }
      const hdr = q.peek(basic + mh);
      if (fmt <= 1) {
        cs.length = hdr.readUIntBE(basic + 3, 3);
        cs.typeId = hdr[basic + 6];
      }
      if (fmt === 0) cs.streamId = hdr.readUInt32LE(basic + 7);
      q.skip(basic + mh + (extended ? 4 : 0));
      cs.extended = extended;
      cs.tsField = ts;
      this.startMessage(cs, fmt === 0 ? ts : (cs.timestamp + ts) >>> 0);
      cs.fmts |= 1 << fmt;
      cs.chunks++;
    }
    this.pending = cs;
    this.pendingPayload = Math.min(this.chunkSize, cs.length - cs.received);
    return true;
  }

  private stream(csid: number): ChunkStream | undefined {
    return csid < 320 ? this.lowStreams[csid] : this.streams.get(csid);
  }

  private startMessage(cs: ChunkStream, timestamp: number): void {
    cs.timestamp = timestamp;
    cs.fmts = 0;
    cs.chunks = 0;
    const len = cs.length;
    if (len > this.limits.maxMessageLength) {
      throw new RtmpError(
        ErrorCode.MessageTooLarge,
        `message of ${len} bytes (type ${cs.typeId}) on chunk stream ${cs.csid} exceeds the ${this.limits.maxMessageLength}-byte limit`,
      );
    }
    if (len > this.chunkSize) {
      if (this.partialStreams + 1 > this.limits.maxPartialStreams) {
        throw new RtmpError(ErrorCode.TooManyChunkStreams, `more than ${this.limits.maxPartialStreams} chunk streams with a message in progress`);
      }
      if (this.partialBytes + len > this.limits.maxPartialBytes) {
        throw new RtmpError(
          ErrorCode.BufferOverflow,
          `messages in progress would hold ${this.partialBytes + len} bytes, above the ${this.limits.maxPartialBytes}-byte limit`,
        );
      }
      if (this.reuseBuffers) {
        cs.partial = takeReassemblyBuffer(len);
        cs.lent = true;
      } else {
        cs.partial = Buffer.allocUnsafe(len);
      }
      this.partialBytes += len;
      this.partialStreams++;
    }
  }

  /** Consume the pending chunk payload if it is complete. */
  private readPayload(): boolean {
    const cs = this.pending!;
    const n = this.pendingPayload;
    if (this.queue.length < n) return false;
    this.pending = null;
    if (this.discardPending) {
      this.discardPending = false;
      this.queue.skip(n);
      return true;
    }
    if (cs.partial === null) {
      // Single-chunk message: hand out the socket's bytes without copying.
      this.emit(cs, n === 0 ? Buffer.alloc(0) : this.queue.read(n));
      return true;
    }
    this.queue.readInto(cs.partial, cs.received, n);
    cs.received += n;
    if (cs.received === cs.length) this.complete(cs);
    return true;
  }

  /** A reassembled message is complete: hand it on, then give its buffer back. */
  private complete(cs: ChunkStream): void {
    const buf = cs.partial!;
    const lent = cs.lent;
    const payload = buf.length === cs.length ? buf : buf.subarray(0, cs.length);
    cs.lent = false;
    this.dropPartial(cs);
    try {
      this.emit(cs, payload);
    } finally {
      // The payload was valid only during the handler: the buffer goes back for the next message.
      if (lent) giveReassemblyBuffer(buf);
    }
  }

  private dropPartial(cs: ChunkStream): void {
    if (cs.partial) {
      this.partialBytes -= cs.length;
      this.partialStreams--;
      if (cs.lent) giveReassemblyBuffer(cs.partial);
    }
    cs.partial = null;
    cs.lent = false;
    cs.received = 0;
  }

  private emit(cs: ChunkStream, payload: Buffer): void {
    this.onMessage({ csid: cs.csid, typeId: cs.typeId, streamId: cs.streamId, timestamp: cs.timestamp, payload, chunkFormats: cs.fmts, chunks: cs.chunks });
  }
}
