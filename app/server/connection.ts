import type { Socket } from 'node:net';
import type { Closer, EngineEvents, ProtocolStep, StepState } from '../contract/engine.js';
import { STEP_LABELS, StepId } from '../contract/engine.js';
import { ErrorCode, RtmpError } from '../errors.js';
import { ChunkDecoder } from '../rtmp/chunk-decoder.js';
import { ChunkEncoder } from '../rtmp/chunk-encoder.js';
import { decodeSetChunkSize, encodeAck } from '../rtmp/control.js';
import { HANDSHAKE_PACKET_SIZE, serverHandshake } from '../rtmp/handshake.js';
import { MessageType, type RtmpMessage } from '../rtmp/message-types.js';
import { type PublishRequest, type PublishResult, Session, type SessionOptions } from '../rtmp/session.js';
import { ByteQueue } from '../util/byte-queue.js';
import type { TypedEmitter } from '../util/typed-emitter.js';
import type { Limits } from './limits.js';
import { timelineEntry } from './timeline.js';

/** What a connection needs from the engine. */
export interface ConnectionHost {
  events: TypedEmitter<EngineEvents>;
  limits: Limits;
  session: SessionOptions;
  publish(conn: Connection, req: PublishRequest): PublishResult;
  closed(conn: Connection): void;
}

type Phase = 'c0c1' | 'c2' | 'chunks' | 'closed';

/**
 * One TCP connection: the per-connection byte queue, the handshake, then the
 * chunk decoder feeding the session. Every byte from the socket goes through
 * `onData` in order; nothing is parsed until a complete unit is buffered.
 * Any RtmpError closes this connection only, with its reason.
 */
export class Connection {
  private phase: Phase = 'c0c1';
  private readonly hsQueue = new ByteQueue();
  private readonly decoder: ChunkDecoder;
  private readonly encoder = new ChunkEncoder();
  readonly session: Session;
  private readonly acceptedAt = performance.now();
  private bytesIn = 0;
  /** performance.now() of the last byte received. */
  private lastDataAt = performance.now();
  private bytesOut = 0;
  /** The Window Acknowledgement Size the peer asked for (0: never asked, no acks). */
  private ackWindow = 0;
  private lastAck = 0;
  private seq = 0;
  private handshakeTimer: NodeJS.Timeout | null;
  private hsDetail: Record<string, unknown> = {};
  private paused = false;
  /** How often a recording behind the disk paused this publisher. */
  pauses = 0;

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly host: ConnectionHost,
  ) {
    // Reused reassembly buffers: everything downstream copies what it keeps (see ChunkDecoder).
    this.decoder = new ChunkDecoder((m) => this.onMessage(m), host.limits, true);
    this.session = new Session(
      {
        send: (m) => this.send(m),
        step: (sid, state, detail, reply) => this.step(sid, state, detail, reply),
        publish: (req) => host.publish(this, req),
        log: (level, message) => this.log(level, message),
      },
      host.session,
    );
    socket.setNoDelay(true);
    socket.setTimeout(host.limits.idleTimeoutMs);
    socket.on('data', (b: Buffer) => this.onData(b));
    socket.on('timeout', () => this.fail(new RtmpError(ErrorCode.IdleTimeout, `no data from the client for ${host.limits.idleTimeoutMs / 1000} s`)));
    socket.on('end', () => this.close('client', 'client closed the connection'));
    socket.on('error', (err: NodeJS.ErrnoException) => this.close('client', err.code === 'ECONNRESET' ? 'connection reset by the client' : `socket error: ${err.message}`));
    socket.on('close', () => this.close('client', 'connection closed'));
    this.handshakeTimer = setTimeout(
      () => this.fail(new RtmpError(ErrorCode.HandshakeTimeout, `handshake not completed within ${host.limits.handshakeTimeoutMs / 1000} s (${this.hsQueue.length} bytes received)`)),
      host.limits.handshakeTimeoutMs,
    );
    this.step(StepId.TcpAccept, 'answered', { remoteAddress: socket.remoteAddress, remotePort: socket.remotePort });
    this.step(StepId.Handshake, 'waiting');
  }

  get remoteAddress(): string {
    return this.socket.remoteAddress ?? '';
  }

  /** Milliseconds since the TCP accept. */
  now(): number {
    return Math.round((performance.now() - this.acceptedAt) * 10) / 10;
  }

  /** Milliseconds since the peer last sent a byte. */
  silentForMs(): number {
    // Paused by us (a recording behind the disk) is not silence.
    return this.paused ? 0 : performance.now() - this.lastDataAt;
  }

  /** Close from our side (shutdown, limit). */
  shutdown(reason: string): void {
    this.close('server', reason);
  }

  private onData(bytes: Buffer): void {
    if (this.phase === 'closed') return;
    this.bytesIn += bytes.length;
    this.lastDataAt = performance.now();
    try {
      if (this.phase === 'chunks') this.decoder.push(bytes);
      else this.handshake(bytes);
      if (this.decoder.buffered > this.host.limits.maxBufferedBytes) {
        throw new RtmpError(ErrorCode.BufferOverflow, `${this.decoder.buffered} bytes buffered without a complete chunk (limit ${this.host.limits.maxBufferedBytes})`);
      }
      if (this.ackWindow > 0 && this.bytesIn - this.lastAck >= this.ackWindow) {
        this.lastAck = this.bytesIn;
        this.send(encodeAck(this.bytesIn));
      }
      if (this.phase === 'chunks' && !this.paused) this.applyPressure();
    } catch (err) {
      this.fail(err);
    }
  }

  /**
   * A recording behind the disk pauses this socket until it catches up: TCP
   * then slows the publisher, and nothing is dropped or held without bound.
   */
  private applyPressure(): void {
    const p = this.session.pressure();
    if (!p) return;
    this.paused = true;
    this.pauses++;
    if (this.pauses === 1) this.log('warn', 'recording is behind the disk: reading from the publisher paused until it catches up');
    // Our pause, not the client's silence: no idle time-out while it lasts.
    this.socket.setTimeout(0);
    this.socket.pause();
    void p.then(() => {
      this.paused = false;
      this.lastDataAt = performance.now();
      if (this.phase === 'closed') return;
      this.socket.setTimeout(this.host.limits.idleTimeoutMs);
      this.socket.resume();
    });
  }

  private handshake(bytes: Buffer): void {
    const q = this.hsQueue;
    q.push(bytes);
    if (this.phase === 'c0c1') {
      if (q.length < 1 + HANDSHAKE_PACKET_SIZE) {
        // Reject a wrong version byte at once rather than after 1536 more bytes that will never come.
        if (q.length >= 1 && q.peekByte(0) !== 3) serverHandshake(q.peek(1));
        return;
      }
      const hs = serverHandshake(q.read(1 + HANDSHAKE_PACKET_SIZE));
      this.write(hs.response);
      this.phase = 'c2';
      this.hsDetail = { kind: hs.kind, schema: hs.schema, clientVersion: hs.clientVersion, clientTime: hs.clientTime };
      this.step(StepId.Handshake, 'received', this.hsDetail, 'S0/S1/S2 sent');
    }
    if (this.phase === 'c2') {
      if (q.length < HANDSHAKE_PACKET_SIZE) return;
      q.skip(HANDSHAKE_PACKET_SIZE);
      this.phase = 'chunks';
      if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
      this.handshakeTimer = null;
      this.step(StepId.Handshake, 'answered', this.hsDetail, 'S0/S1/S2 sent, C2 received');
      for (const s of [StepId.SetChunkSize, StepId.Connect, StepId.ReleaseStream, StepId.FcPublish, StepId.CreateStream, StepId.Publish]) this.step(s, 'waiting');
      // Bytes after C2 in the same read are the first chunks.
      if (q.length > 0) this.decoder.push(q.read(q.length));
    }
  }

  private onMessage(msg: RtmpMessage): void {
    // Control traffic that changes how we parse is applied here, before the next chunk.
    switch (msg.typeId) {
      case MessageType.SetChunkSize:
        this.decoder.setChunkSize(decodeSetChunkSize(msg.payload));
        break;
      case MessageType.Abort:
        if (msg.payload.length >= 4) this.decoder.abort(msg.payload.readUInt32BE(0));
        break;
      case MessageType.WindowAckSize:
        if (msg.payload.length >= 4) this.ackWindow = msg.payload.readUInt32BE(0);
        break;
    }
    if (this.host.events.listened('message')) this.host.events.emit('message', timelineEntry(this.id, this.seq++, 'in', this.now(), msg));
    this.session.handle(msg);
  }

  private send(msg: RtmpMessage): void {
    if (this.phase === 'closed') return;
    this.write(this.encoder.encode(msg));
    if (msg.typeId === MessageType.SetChunkSize) this.encoder.setChunkSize(msg.payload.readUInt32BE(0));
    if (this.host.events.listened('message')) this.host.events.emit('message', timelineEntry(this.id, this.seq++, 'out', this.now(), msg));
  }

  private write(b: Buffer): void {
    this.bytesOut += b.length;
    this.socket.write(b);
  }

  /** Steps reported by the stream this connection publishes (metadata, sequence headers, keyframe...). */
  stepFromStream(id: ProtocolStep['id'], state: StepState, detail?: Record<string, unknown>, reply?: string): void {
    this.step(id, state, detail, reply);
  }

  private step(id: ProtocolStep['id'], state: StepState, detail?: Record<string, unknown>, reply?: string): void {
    const label = id.startsWith('command:') ? id.slice(8) : STEP_LABELS[id as StepId];
    const s: ProtocolStep = { connectionId: this.id, id, label, state, atMs: this.now() };
    if (detail) s.detail = detail;
    if (reply) s.reply = reply;
    this.host.events.emit('step', s);
  }

  private log(level: 'info' | 'warn', message: string): void {
    this.host.events.emit('log', { level, message, connectionId: this.id });
  }

  private fail(err: unknown): void {
    if (this.phase === 'closed') return;
    const e = err instanceof RtmpError ? err : new RtmpError(ErrorCode.Message, `internal error: ${(err as Error)?.stack ?? String(err)}`);
    this.close('server', e.message, e);
  }

  private close(by: Closer, reason: string, error?: RtmpError): void {
    if (this.phase === 'closed') return;
    const wasPhase = this.phase;
    this.phase = 'closed';
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
    // A client that vanishes mid-message leaves bytes we could not use: say so.
    const leftover = wasPhase === 'chunks' ? this.decoder.buffered : this.hsQueue.length;
    const why = leftover > 0 && !error ? `${reason} (${leftover} bytes of an incomplete ${wasPhase === 'chunks' ? 'chunk' : 'handshake'} discarded)` : reason;
    try {
      this.session.close(error ? `connection failed: ${why}` : why);
    } finally {
      if (error) this.log('warn', `closing: ${error.code}: ${error.message}`);
      this.step(StepId.Close, error ? 'failed' : 'received', { by, reason: why, error: error?.toJSON() });
      this.host.events.emit('connection-close', {
        connectionId: this.id,
        by,
        reason: why,
        error: error?.toJSON(),
        atMs: this.now(),
        bytesIn: this.bytesIn,
        bytesOut: this.bytesOut,
      });
      this.socket.setTimeout(0);
      if (by === 'server') this.socket.end(() => this.socket.destroy());
      // Do not wait for a peer that ignores our FIN.
      setTimeout(() => this.socket.destroy(), 2000).unref();
      this.host.closed(this);
    }
  }
}
