import type { Closer, EngineEvents, ProtocolStep, StepState } from '../contract/engine.js';
import { STEP_LABELS, StepId } from '../contract/engine.js';
import { ErrorCode, RtmpError } from '../errors.js';
import type { ServerHandshakeResult } from '../rtmp/handshake.js';
import type { RtmpMessage } from '../rtmp/message-types.js';
import { type PublishRequest, type PublishResult, Session, type SessionOptions } from '../rtmp/session.js';
import { type ByteStream, RtmpTransport, type TransportHandler } from '../rtmp/transport.js';
import type { TypedEmitter } from '../util/typed-emitter.js';
import type { Limits } from './limits.js';
import { timelineEntry } from './timeline.js';
import { readIntoSharedBuffer } from './shared-reads.js';

/** What a connection needs from the engine. */
export interface ConnectionHost {
  events: TypedEmitter<EngineEvents>;
  limits: Limits;
  session: SessionOptions;
  publish(conn: Connection, req: PublishRequest): PublishResult;
  closed(conn: Connection): void;
}

/**
 * A peer's stream as a connection runs it: a TCP socket from the listener,
 * or an in-memory stream in tests (nothing here needs a net.Socket).
 */
export interface PeerStream extends ByteStream {
  readonly remoteAddress?: string;
  readonly remotePort?: number;
  on(event: 'data', listener: (bytes: Buffer) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: NodeJS.ErrnoException) => void): unknown;
  end(callback?: () => void): unknown;
  destroy(): unknown;
  /** TCP only: send our small replies at once. */
  setNoDelay?(noDelay: boolean): unknown;
}

const CHUNK_STEPS = [StepId.SetChunkSize, StepId.Connect, StepId.ReleaseStream, StepId.FcPublish, StepId.CreateStream, StepId.Publish] as const;

/**
 * One peer, server side: the transport (handshake, chunks, control) feeding
 * the session, the time-outs, the protocol steps and the timeline. Any
 * RtmpError closes this connection only, with its reason.
 */
export class Connection {
  private closed = false;
  private readonly transport: RtmpTransport;
  readonly session: Session;
  private readonly acceptedAt = performance.now();
  private seq = 0;
  private handshakeTimer: NodeJS.Timeout | null;
  private idleTimer: NodeJS.Timeout | null = null;
  private hsDetail: Record<string, unknown> = {};
  /** How often a recording behind the disk paused this publisher. */
  pauses = 0;

  constructor(
    readonly id: number,
    private readonly stream: PeerStream,
    private readonly host: ConnectionHost,
  ) {
    this.session = new Session(
      {
        send: (m) => this.transport.send(m),
        step: (sid, state, detail, reply) => this.step(sid, state, detail, reply),
        publish: (req) => host.publish(this, req),
        log: (level, message) => this.log(level, message),
      },
      host.session,
    );
    // Reused reassembly buffers: everything downstream copies what it keeps (see ChunkDecoder).
    // Reads into one buffer shared by every accepted socket where the stream is one (shared-reads.ts).
    this.transport = new RtmpTransport(stream, this.transportHandler(), {
      role: 'server',
      limits: host.limits,
      reuseBuffers: true,
      reusedReads: (onRead) => readIntoSharedBuffer(stream, onRead),
    });
    stream.setNoDelay?.(true);
    stream.on('end', () => this.close('client', 'client closed the connection'));
    stream.on('error', (err) => this.close('client', err.code === 'ECONNRESET' ? 'connection reset by the client' : `socket error: ${err.message}`));
    stream.on('close', () => this.close('client', 'connection closed'));
    this.watchIdle(host.limits.idleTimeoutMs);
    this.handshakeTimer = setTimeout(
      () => this.fail(new RtmpError(ErrorCode.HandshakeTimeout, `handshake not completed within ${host.limits.handshakeTimeoutMs / 1000} s (${this.transport.unparsed.bytes} bytes received)`)),
      host.limits.handshakeTimeoutMs,
    );
    this.step(StepId.TcpAccept, 'answered', { remoteAddress: stream.remoteAddress, remotePort: stream.remotePort });
    this.step(StepId.Handshake, 'waiting');
  }

  get remoteAddress(): string {
    return this.stream.remoteAddress ?? '';
  }

  /** Milliseconds since the TCP accept. */
  now(): number {
    return Math.round((performance.now() - this.acceptedAt) * 10) / 10;
  }

  /** Milliseconds since the peer last sent a byte (0 while a recording behind the disk holds it paused). */
  silentForMs(): number {
    return this.transport.silentForMs();
  }

  /** Close from our side (shutdown, limit). */
  shutdown(reason: string): void {
    this.close('server', reason);
  }

  /** Steps reported by the stream this connection publishes (metadata, sequence headers, keyframe...). */
  stepFromStream(id: ProtocolStep['id'], state: StepState, detail?: Record<string, unknown>, reply?: string): void {
    this.step(id, state, detail, reply);
  }

  /** Made once per connection: the transport calls these per message, with no allocation of their own. */
  private transportHandler(): TransportHandler {
    return {
      hello: (hs) => this.hello(hs),
      ready: () => this.ready(),
      control: (msg) => this.timeline('in', msg),
      peerChunkSize: (size) => this.session.peerChunkSize(size),
      message: (msg) => {
        this.timeline('in', msg);
        this.session.handle(msg);
      },
      sent: (msg: RtmpMessage, formats: number, chunks: number) => this.timeline('out', msg, formats, chunks),
      afterRead: () => {
        if (!this.transport.paused) this.applyPressure();
      },
      failed: (err) => this.fail(err),
    };
  }

  /** One message of the timeline, either way; built only when someone listens (the CLI's `record` does not). */
  private timeline(direction: 'in' | 'out', msg: RtmpMessage, formats?: number, chunks?: number): void {
    const events = this.host.events;
    if (events.listened('message')) events.emit('message', timelineEntry(this.id, this.seq++, direction, this.now(), msg, formats, chunks));
  }

  private hello(hs: ServerHandshakeResult): void {
    this.hsDetail = { kind: hs.kind, schema: hs.schema, clientVersion: hs.clientVersion, clientTime: hs.clientTime };
    this.step(StepId.Handshake, 'received', this.hsDetail, 'S0/S1/S2 sent');
  }

  private ready(): void {
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
    this.step(StepId.Handshake, 'answered', this.hsDetail, 'S0/S1/S2 sent, C2 received');
    for (const s of CHUNK_STEPS) this.step(s, 'waiting');
  }

  /**
   * The idle time-out, as one timer that re-arms itself for what is left of
   * the limit since the last read. Why not socket.setTimeout: the stream need
   * not be a socket, and this costs nothing per read. Until the handshake
   * is complete its own time-out governs, so a client that stalls there is
   * told so (`handshake-timeout`), whichever timer the event loop runs first.
   */
  private watchIdle(afterMs: number): void {
    const limit = this.host.limits.idleTimeoutMs;
    if (!(limit > 0 && limit < 2 ** 31)) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.closed) return;
      const silent = this.transport.silentForMs();
      if (silent >= limit && this.handshakeTimer === null) this.fail(new RtmpError(ErrorCode.IdleTimeout, `no data from the client for ${limit / 1000} s`));
      else this.watchIdle(silent >= limit ? limit : limit - silent);
    }, afterMs);
  }

  /**
   * A recording behind the disk pauses this stream until it catches up: TCP
   * then slows the publisher, and nothing is dropped or held without bound.
   */
  private applyPressure(): void {
    const p = this.session.pressure();
    if (!p) return;
    this.pauses++;
    if (this.pauses === 1) this.log('warn', 'recording is behind the disk: reading from the publisher paused until it catches up');
    // Our pause, not the client's silence: no idle time-out while it lasts (see silentForMs).
    this.transport.pause();
    void p.then(() => this.transport.resume());
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
    if (this.closed) return;
    const e = err instanceof RtmpError ? err : new RtmpError(ErrorCode.Message, `internal error: ${(err as Error)?.stack ?? String(err)}`);
    this.close('server', e.message, e);
  }

  private close(by: Closer, reason: string, error?: RtmpError): void {
    if (this.closed) return;
    this.closed = true;
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.handshakeTimer = this.idleTimer = null;
    // A client that vanishes mid-message leaves bytes we could not use: say so.
    const left = this.transport.unparsed;
    // What a vanished client or a broken limit throws away, counted here where it is known, for the stream's health (never read back from the reason's words).
    const discarded = this.transport.discardable;
    this.transport.close();
    const why = left.bytes > 0 && !error ? `${reason} (${left.bytes} bytes of an incomplete ${left.unit} discarded)` : reason;
    let droppedLive = 0;
    try {
      droppedLive = this.session.close(error ? `connection failed: ${why}` : why, by, discarded);
    } finally {
      if (error) this.log('warn', `closing: ${error.code}: ${error.message}`);
      // Anything but the client's own FIN with nothing left over (a reset, a socket error, a message cut off) is abnormal; a dropped publish is said by the session.
      else if (by === 'client' && droppedLive === 0 && why !== 'client closed the connection') this.log('warn', `connection closed abnormally: ${why}`);
      this.step(StepId.Close, error ? 'failed' : 'received', { by, reason: why, error: error?.toJSON() });
      this.host.events.emit('connection-close', {
        connectionId: this.id,
        by,
        reason: why,
        error: error?.toJSON(),
        atMs: this.now(),
        bytesIn: this.transport.bytesIn,
        bytesOut: this.transport.bytesOut,
      });
      if (by === 'server') this.stream.end(() => this.stream.destroy());
      // Do not wait for a peer that ignores our FIN.
      setTimeout(() => this.stream.destroy(), 2000).unref();
      this.host.closed(this);
    }
  }
}
