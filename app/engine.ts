import net from 'node:net';
import type { EngineEvents, RecordingInfo, StreamInfo, StreamStats } from './contract/engine.js';
import { ErrorCode, RtmpError } from './errors.js';
import { FlvRecorder } from './subscribers/recorder.js';
import type { PublishRequest, PublishResult, SessionOptions } from './rtmp/session.js';
import { DEFAULT_SESSION_OPTIONS } from './rtmp/session.js';
import { Connection, type ConnectionHost, type PeerStream } from './server/connection.js';
import { DEFAULT_LIMITS, type Limits } from './server/limits.js';
import { LiveStream } from './streams/live-stream.js';
import type { StreamSubscriber } from './streams/media-tag.js';
import { TypedEmitter } from './util/typed-emitter.js';

export interface EngineOptions {
  /** Interface to listen on; 127.0.0.1 unless listening on the network is chosen explicitly. */
  host?: string;
  /** RTMP port; 0 picks a free one. */
  port?: number;
  /** Where recordings go. */
  recordDir?: string;
  /** Record every publish from its start. */
  autoRecord?: boolean;
  limits?: Partial<Limits>;
  session?: Partial<SessionOptions>;
  /** How often `stream-stats` is emitted per stream. */
  statsIntervalMs?: number;
  /**
   * Keep each stream's current GOP so a late subscriber (a preview, a
   * recording started mid-stream) starts at once on a keyframe. Default on;
   * the headless recorder, which nothing can subscribe to, turns it off
   * rather than hold a GOP per stream (about 1.7 MB at 1.7 Mbit/s with a
   * 250-frame keyframe interval).
   */
  gopCache?: boolean;
  /**
   * The first connection id. A host that restarts the listener (a port
   * change) keeps its old connections on screen, so ids must not repeat.
   */
  firstConnectionId?: number;
}

interface Entry {
  stream: LiveStream;
  recorder: FlvRecorder | null;
}

/**
 * The receiver: listens, runs a Connection per socket, keeps the live
 * streams by `app/key`, records them, and emits every event of the contract.
 * Pure Node: the CLI, the browser mode and Electron's main process all use it.
 */
export class Engine extends TypedEmitter<EngineEvents> {
  readonly limits: Limits;
  private readonly server = net.createServer();
  private readonly connections = new Map<number, Connection>();
  private readonly streamsByPath = new Map<string, Entry>();
  private nextId = 1;
  private statsTimer: NodeJS.Timeout | null = null;
  private address: { host: string; port: number } | null = null;
  private readonly host: ConnectionHost;
  recordDir: string | undefined;
  autoRecord: boolean;

  constructor(private readonly options: EngineOptions = {}) {
    super();
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.recordDir = options.recordDir;
    this.autoRecord = options.autoRecord ?? false;
    this.nextId = options.firstConnectionId ?? 1;
    this.host = {
      events: this,
      limits: this.limits,
      session: { ...DEFAULT_SESSION_OPTIONS, ...options.session },
      publish: (conn, req) => this.publish(conn, req),
      closed: (conn) => this.connections.delete(conn.id),
    };
    this.server.on('connection', (socket) => this.accept(socket));
  }

  /** Start listening. Rejects with RtmpError(Config) when the port is taken or the host is invalid. */
  start(): Promise<{ host: string; port: number }> {
    const host = this.options.host ?? '127.0.0.1';
    const port = this.options.port ?? 1935;
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        const why = err.code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use` : err.code === 'EACCES' ? `no permission to listen on port ${port}` : err.message;
        reject(new RtmpError(ErrorCode.Config, `cannot listen on rtmp://${host}:${port}: ${why}`));
      };
      this.server.once('error', onError);
      this.server.listen({ host, port }, () => {
        this.server.off('error', onError);
        this.server.on('error', (err) => this.emit('log', { level: 'error', message: `server error: ${err.message}` }));
        const a = this.server.address() as net.AddressInfo;
        this.address = { host, port: a.port };
        this.statsTimer = setInterval(() => this.emitStats(), this.options.statsIntervalMs ?? 1000);
        this.statsTimer.unref();
        this.emit('listening', this.address);
        resolve(this.address);
      });
    });
  }

  /** Stop accepting, close every connection, finalise every recording. */
  async stop(reason = 'server shutting down'): Promise<void> {
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = null;
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const c of [...this.connections.values()]) c.shutdown(reason);
    await Promise.all([...this.streamsByPath.values()].map((e) => e.recorder?.close()));
    await Promise.all([...this.finishing]);
    await closing;
  }

  get listeningAddress(): { host: string; port: number } | null {
    return this.address;
  }

  /** Connections open now. */
  get connectionCount(): number {
    return this.connections.size;
  }

  streams(): StreamInfo[] {
    return [...this.streamsByPath.values()].map((e) => e.stream.info);
  }

  stats(): StreamStats[] {
    return [...this.streamsByPath.values()].map((e) => e.stream.stats(e.recorder?.info()));
  }

  /** The live stream at `app/key`, if any. */
  stream(path: string): LiveStream | undefined {
    return this.streamsByPath.get(path)?.stream;
  }

  /** Subscribe to a stream's FLV tags; the subscriber first gets the late-join start. */
  subscribe(path: string, sub: StreamSubscriber): () => void {
    const e = this.streamsByPath.get(path);
    if (!e) throw new RtmpError(ErrorCode.Config, `no live stream ${path}`);
    return e.stream.subscribe(sub);
  }

  /** Start recording a live stream (to `recordDir`). */
  startRecording(path: string): RecordingInfo {
    const e = this.streamsByPath.get(path);
    if (!e) throw new RtmpError(ErrorCode.Config, `no live stream ${path}`);
    if (e.recorder) return e.recorder.info();
    if (!this.recordDir) throw new RtmpError(ErrorCode.Config, 'no recording folder set');
    const s = e.stream;
    const rec = FlvRecorder.open({
      dir: this.recordDir,
      app: s.info.app,
      key: s.info.key,
      streamPath: path,
      flags: () => s.flvFlags,
      onUpdate: (info) => this.emit('recording', info),
      maxBacklog: this.limits.recordBacklogBytes,
    });
    e.recorder = rec;
    rec.unsubscribe = s.subscribe(rec);
    this.emit('recording', rec.info());
    return rec.info();
  }

  /** Stop recording; resolves when the file is finalised. */
  async stopRecording(path: string): Promise<RecordingInfo | null> {
    const e = this.streamsByPath.get(path);
    const rec = e?.recorder;
    if (!e || !rec) return null;
    e.recorder = null;
    rec.unsubscribe?.();
    await rec.close();
    return rec.info();
  }

  private readonly finishing = new Set<Promise<void>>();

  /** Run a connection over a peer's stream: each socket the listener accepts, or an in-memory stream in tests. */
  accept(socket: PeerStream): void {
    if (this.connections.size >= this.limits.maxConnections) {
      this.emit('log', { level: 'warn', message: `refused ${socket.remoteAddress}:${socket.remotePort}: ${ErrorCode.ConnectionLimit}: already ${this.connections.size} connections (limit ${this.limits.maxConnections})` });
      socket.destroy();
      return;
    }
    const id = this.nextId++;
    this.emit('connection-open', { connectionId: id, remoteAddress: socket.remoteAddress ?? '', remotePort: socket.remotePort ?? 0, acceptedAt: Date.now() });
    this.connections.set(id, new Connection(id, socket, this.host));
  }

  private publish(conn: Connection, req: PublishRequest): PublishResult {
    const path = `${req.app}/${req.key}`;
    const existing = this.streamsByPath.get(path);
    if (existing) {
      const owner = this.connections.get(existing.stream.info.connectionId);
      const silent = owner ? owner.silentForMs() : Infinity;
      if (silent < this.limits.takeoverAfterMs) {
        return { ok: false, code: 'NetStream.Publish.BadName', description: `${path} is already being published` };
      }
      const why = `${path} taken over by connection #${conn.id} after ${(silent / 1000).toFixed(1)} s of silence`;
      this.emit('log', { level: 'warn', message: why });
      if (owner) owner.shutdown(why);
      else existing.stream.end(why);
    }
    const info: StreamInfo = {
      path,
      app: req.app,
      key: req.key,
      connectionId: conn.id,
      remoteAddress: conn.remoteAddress,
      publishType: req.type,
      startedAt: Date.now(),
      encoder: req.connect.encoder,
      flashVer: req.connect.flashVer,
      tcUrl: req.connect.tcUrl,
    };
    const stream = new LiveStream(info, {
      step: (id, state, detail, reply) => conn.stepFromStream(id, state, detail, reply),
      updated: (i) => this.emit('stream-update', i),
      ended: (s, reason) => this.ended(s, reason),
      log: (level, message) => this.emit('log', { level, message, connectionId: conn.id }),
      now: () => Date.now(),
      gopCache: this.options.gopCache ?? true,
    });
    this.streamsByPath.set(path, { stream, recorder: null });
    this.emit('stream-start', info);
    if (this.autoRecord && this.recordDir) {
      try {
        this.startRecording(path);
      } catch (err) {
        this.emit('log', { level: 'error', message: `${path}: ${(err as Error).message}` });
      }
    }
    return { ok: true, sink: stream };
  }

  private ended(stream: LiveStream, reason: string): void {
    const e = this.streamsByPath.get(stream.path);
    if (!e || e.stream !== stream) return;
    this.emit('stream-stats', stream.stats(e.recorder?.info()));
    this.streamsByPath.delete(stream.path);
    if (e.recorder) {
      const p = e.recorder.close();
      this.finishing.add(p);
      void p.finally(() => this.finishing.delete(p));
    }
    this.emit('stream-end', { path: stream.path, connectionId: stream.info.connectionId, reason });
  }

  private emitStats(): void {
    for (const e of this.streamsByPath.values()) this.emit('stream-stats', e.stream.stats(e.recorder?.info()));
  }
}
