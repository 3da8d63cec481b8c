import { ErrorCode, RtmpError } from '../errors.js';
import { type ChunkLimits, ChunkDecoder, DEFAULT_CHUNK_LIMITS, type Discarded } from './chunk-decoder.js';
import { ChunkEncoder } from './chunk-encoder.js';
import { UserControlEvent, decodeSetChunkSize, encodeAck, encodeUserControl } from './control.js';
import type { ServerHandshakeResult } from './handshake.js';
import { ClientHandshakePhase, type HandshakePhase, ServerHandshakePhase } from './handshake-phase.js';
import { MessageType, type RtmpMessage } from './message-types.js';
import { readFromSocket } from '../util/gc.js';

/**
 * The byte stream under a transport: a net.Socket, any node:stream Duplex,
 * or an in-memory stream in tests. Only what the transport itself uses.
 */
export interface ByteStream {
  write(bytes: Buffer): boolean;
  on(event: 'data', listener: (bytes: Buffer) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

/** What a transport tells its owner (the server connection, the publisher). */
export interface TransportHandler {
  /** Server: C0+C1 arrived and S0+S1+S2 went out. */
  hello?(hs: ServerHandshakeResult): void;
  /** The handshake is complete; chunks follow. */
  ready(): void;
  /** A protocol control message (types 1-6), already applied: shown, never acted on again. */
  control(msg: RtmpMessage): void;
  /** The peer's Set Chunk Size, applied to our decoder (called right after its `control`). */
  peerChunkSize?(size: number): void;
  /** Every other message: commands, data, media. Its payload may be reused after this returns. */
  message(msg: RtmpMessage): void;
  /**
   * A message we sent, after it was written (ours or the transport's own acks
   * and ping responses), with the chunk header formats that carried it (bit f
   * for format f) and how many chunks.
   */
  sent?(msg: RtmpMessage, chunkFormats: number, chunks: number): void;
  /** After each read of chunks, once every message it completed was handled: where backpressure goes. */
  afterRead?(): void;
  /** A read broke the protocol or a limit (RtmpError), or a handler threw: the owner closes. */
  failed(err: unknown): void;
}

/** Limits of the receiving side; a client trusts its server and keeps the defaults. */
export interface TransportLimits extends ChunkLimits {
  /** Bytes received but not yet parsed. */
  maxBufferedBytes: number;
}

export interface TransportOptions {
  role: 'server' | 'client';
  limits?: TransportLimits;
  /** Reuse reassembly buffers between messages (see ChunkDecoder): payloads live only during `message`. */
  reuseBuffers?: boolean;
  /** Client: send a digest (FP9) C1, or a plain one. Default true. */
  digest?: boolean;
  /**
   * Instead of the stream's 'data' events: hook reads that land in a buffer
   * the reader reuses (server/shared-reads.ts), calling `onRead` with each;
   * returns false when the stream cannot, and 'data' is listened to instead.
   * Each read is then parsed before the call returns and the unparsed rest
   * of it copied, since the next read overwrites it.
   */
  reusedReads?: (onRead: (bytes: Buffer) => void) => boolean;
}

const CLIENT_LIMITS: TransportLimits = { ...DEFAULT_CHUNK_LIMITS, maxBufferedBytes: Infinity };

/**
 * One end of an RTMP connection over a byte stream, either role: the
 * handshake, then the chunk reader and writer, with protocol control absorbed
 * here as the spec puts it below the message layer: the peer's Set Chunk
 * Size and Abort go to the decoder, its Window Acknowledgement Size makes us
 * send Acknowledgements, and a Ping Request is answered. The owner sees
 * control messages (to show them) and gets the rest to act on.
 */
export class RtmpTransport {
  /** Every byte read, handshake included (the Acknowledgement sequence number). */
  bytesIn = 0;
  /** Every byte written, handshake included. */
  bytesOut = 0;
  /** Of `bytesOut`, the handshake's. */
  handshakeBytesOut = 0;
  private hs: HandshakePhase | null;
  private readonly decoder: ChunkDecoder;
  private readonly encoder = new ChunkEncoder();
  private readonly limits: TransportLimits;
  /** The Window Acknowledgement Size the peer asked for (0: never asked, no acks). */
  private ackWindow = 0;
  private lastAck = 0;
  private lastReadAt = performance.now();
  private closed = false;
  private held = false;
  /** Reads arrive in a buffer the reader reuses (TransportOptions.reusedReads), not in 'data' events. */
  readonly readsReused: boolean;

  constructor(
    private readonly stream: ByteStream,
    private readonly handler: TransportHandler,
    options: TransportOptions,
  ) {
    this.limits = options.limits ?? CLIENT_LIMITS;
    this.decoder = new ChunkDecoder((m) => this.receive(m), this.limits, options.reuseBuffers ?? false);
    const writeHs = (b: Buffer): void => {
      this.handshakeBytesOut += b.length;
      this.write(b);
    };
    this.hs =
      options.role === 'server'
        ? new ServerHandshakePhase(writeHs, (hs) => handler.hello?.(hs))
        : new ClientHandshakePhase(writeHs, { digest: options.digest ?? true });
    this.readsReused = options.reusedReads?.((b) => this.onData(b, true)) ?? false;
    if (!this.readsReused) stream.on('data', (b: Buffer) => this.onData(b, false));
  }

  /** Bytes received and not parsed (an incomplete handshake packet, chunk header or payload). */
  get unparsed(): { bytes: number; unit: 'handshake' | 'chunk' } {
    return this.hs ? { bytes: this.hs.buffered, unit: 'handshake' } : { bytes: this.decoder.buffered, unit: 'chunk' };
  }

  /** What closing now would discard (see ChunkDecoder.discardable); during the handshake, its bytes and no message. */
  get discardable(): Discarded {
    return this.hs ? { messages: 0, bytes: this.hs.buffered } : this.decoder.discardable;
  }

  /** Whether the owner holds reading paused (backpressure). */
  get paused(): boolean {
    return this.held;
  }

  /** Milliseconds since the peer last sent a byte; 0 while we hold reading paused (our pause is not its silence). */
  silentForMs(): number {
    return this.held ? 0 : performance.now() - this.lastReadAt;
  }

  /** Encode and write one message; our own Set Chunk Size applies to what follows it. False: the stream is full (or closed). */
  send(msg: RtmpMessage): boolean {
    if (this.closed) return false;
    const chunkSize = this.encoder.outgoingChunkSize;
    const bytes = this.encoder.encode(msg);
    // The first chunk's format is in its first byte; the encoder sends every continuation as format 3.
    const chunks = Math.max(1, Math.ceil(msg.payload.length / chunkSize));
    const formats = (1 << (bytes[0] >> 6)) | (chunks > 1 ? 8 : 0);
    const ok = this.write(bytes);
    if (msg.typeId === MessageType.SetChunkSize) this.encoder.setChunkSize(msg.payload.readUInt32BE(0));
    this.handler.sent?.(msg, formats, chunks);
    return ok;
  }

  /** Stop reading from the stream until `resume`. */
  pause(): void {
    this.held = true;
    this.stream.pause();
  }

  /** Read again; the silence clock starts from now. */
  resume(): void {
    this.held = false;
    this.lastReadAt = performance.now();
    if (!this.closed) this.stream.resume();
  }

  /** Ignore whatever is read from now on and send nothing more; the owner ends the stream. */
  close(): void {
    this.closed = true;
  }

  private write(b: Buffer): boolean {
    this.bytesOut += b.length;
    return this.stream.write(b);
  }

  private onData(bytes: Buffer, reused: boolean): void {
    if (this.closed) return;
    this.bytesIn += bytes.length;
    this.lastReadAt = performance.now();
    // A read into a reused buffer leaves no garbage for the young collection to free.
    if (!reused) readFromSocket(bytes.length);
    try {
      if (this.hs === null) this.decoder.push(bytes);
      else this.handshake(bytes);
      if (reused) (this.hs ?? this.decoder).keepUnparsed();
      if (this.decoder.buffered > this.limits.maxBufferedBytes) {
        throw new RtmpError(ErrorCode.BufferOverflow, `${this.decoder.buffered} bytes buffered without a complete chunk (limit ${this.limits.maxBufferedBytes})`);
      }
      if (this.ackWindow > 0 && this.bytesIn - this.lastAck >= this.ackWindow) {
        this.lastAck = this.bytesIn;
        this.send(encodeAck(this.bytesIn));
      }
      if (this.hs === null) this.handler.afterRead?.();
    } catch (err) {
      this.handler.failed(err);
    }
  }

  private handshake(bytes: Buffer): void {
    const rest = this.hs!.push(bytes);
    if (rest === null) return;
    this.hs = null;
    this.handler.ready();
    // Bytes after the handshake in the same read are the first chunks.
    this.decoder.push(rest);
  }

  /** Protocol control (types 1-6, spec 5.4 and 7.1.7) stops here; everything else goes up. */
  private receive(msg: RtmpMessage): void {
    const t = msg.typeId;
    if (t < MessageType.SetChunkSize || t > MessageType.SetPeerBandwidth) {
      this.handler.message(msg);
      return;
    }
    const p = msg.payload;
    switch (t) {
      case MessageType.SetChunkSize: {
        // Applied before the next chunk is parsed: the decoder may be mid-read.
        const size = decodeSetChunkSize(p);
        this.decoder.setChunkSize(size);
        this.handler.control(msg);
        this.handler.peerChunkSize?.(size);
        return;
      }
      case MessageType.Abort:
        if (p.length >= 4) this.decoder.abort(p.readUInt32BE(0));
        break;
      case MessageType.WindowAckSize:
        if (p.length >= 4) this.ackWindow = p.readUInt32BE(0);
        break;
      case MessageType.UserControl:
        this.handler.control(msg);
        if (p.length >= 6 && p.readUInt16BE(0) === UserControlEvent.PingRequest) {
          this.send(encodeUserControl(UserControlEvent.PingResponse, p.readUInt32BE(2)));
        }
        return;
    }
    this.handler.control(msg);
  }
}
