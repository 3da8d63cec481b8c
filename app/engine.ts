import type { EngineEvents, RecordingInfo, StreamInfo, StreamStats } from './contract/engine.js';
import type { HealthFinding, PresetId } from './contract/health.js';
import type { RecordFormat } from './contract/recording-format.js';
import { ErrorCode, RtmpError } from './errors.js';
import type { PublishRequest, PublishResult, SessionOptions } from './rtmp/session.js';
import { DEFAULT_SESSION_OPTIONS } from './rtmp/session.js';
import { Connection, type ConnectionHost, type PeerStream } from './server/connection.js';
import { DEFAULT_LIMITS, type Limits } from './server/limits.js';
import { type ListenAddress, Listener } from './server/listener.js';
import { LiveStream } from './streams/live-stream.js';
import type { StreamSubscriber } from './streams/media-tag.js';
import { StreamRegistry } from './streams/registry.js';
import { Recordings } from './subscribers/recordings.js';
import { TypedEmitter } from './util/typed-emitter.js';
import { collectWhenListening } from './util/gc.js';

export interface EngineOptions {
  /** Interface to listen on; 127.0.0.1 unless listening on the network is chosen explicitly. */
  host?: string;
  /** RTMP port; 0 picks a free one. */
  port?: number;
  /** Where recordings go. */
  recordDir?: string;
  /** Record every publish from its start. */
  autoRecord?: boolean;
  /** The container of recordings (default mp4). */
  recordFormat?: RecordFormat;
  /**
   * The containers this engine may record at all (default every one). A
   * host that records one (`intake record --format flv`) says so, and the
   * others' muxer is never loaded.
   */
  recordFormats?: readonly RecordFormat[];
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

/**
 * The receiver, as the CLI, the browser mode and Electron's main process use
 * it: a facade over the listener (TCP accept and the connection limit), a
 * Connection per socket, the stream registry (live streams by `app/key`, and
 * who may take a key over) and the recordings, emitting every event of the
 * contract. Pure Node.
 */
export class Engine extends TypedEmitter<EngineEvents> {
  readonly limits: Limits;
  private readonly listener: Listener;
  private readonly connections = new Map<number, Connection>();
  private readonly registry: StreamRegistry;
  private readonly recordings: Recordings;
  private nextId = 1;
  private statsTimer: NodeJS.Timeout | null = null;
  private readonly host: ConnectionHost;

  constructor(private readonly options: EngineOptions = {}) {
    super();
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.nextId = options.firstConnectionId ?? 1;
    this.host = {
      events: this,
      limits: this.limits,
      session: { ...DEFAULT_SESSION_OPTIONS, ...options.session },
      publish: (conn, req) => this.publish(conn, req),
      closed: (conn) => {
        this.connections.delete(conn.id);
        this.listener.settled(conn);
      },
    };
    this.listener = new Listener({
      connectionCount: () => this.connections.size,
      maxConnections: () => this.limits.maxConnections,
      maxWaitingPerAddress: () => this.limits.maxWaitingPerAddress,
      accept: (socket) => this.connect(socket),
      log: (level, message) => this.emit('log', { level, message }),
    });
    this.registry = new StreamRegistry({
      takeoverAfterMs: this.limits.takeoverAfterMs,
      publisher: (id) => this.connections.get(id),
      warn: (message) => this.emit('log', { level: 'warn', message }),
    });
    this.recordings = new Recordings({
      dir: options.recordDir,
      auto: options.autoRecord ?? false,
      format: options.recordFormat,
      formats: options.recordFormats,
      maxBacklog: this.limits.recordBacklogBytes,
      onUpdate: (info) => this.emit('recording', info),
    });
  }

  /** Where recordings go. */
  get recordDir(): string | undefined {
    return this.recordings.dir;
  }

  set recordDir(dir: string | undefined) {
    this.recordings.dir = dir;
  }

  /** Record every publish from its start. */
  get autoRecord(): boolean {
    return this.recordings.auto;
  }

  set autoRecord(on: boolean) {
    this.recordings.auto = on;
  }

  /** The container of new recordings. */
  get recordFormat(): RecordFormat {
    return this.recordings.format;
  }

  set recordFormat(format: RecordFormat) {
    this.recordings.format = format;
  }

  /**
   * Resolves once the recorders are loaded (the MP4/MKV one is loaded in the
   * background from the constructor). `start` waits for it; a host that
   * feeds `accept` without `start` and records MP4 or MKV awaits it first.
   */
  ready(): Promise<void> {
    return this.recordings.ready();
  }

  /** Start listening. Rejects with RtmpError(Config) when the port is taken or the host is invalid. */
  async start(): Promise<ListenAddress> {
    await this.recordings.ready();
    const address = await this.listener.start(this.options.host ?? '127.0.0.1', this.options.port ?? 1935);
    this.statsTimer = setInterval(() => this.emitStats(), this.options.statsIntervalMs ?? 1000);
    this.statsTimer.unref();
    this.emit('listening', address);
    collectWhenListening();
    return address;
  }

  /**
   * Listen on another host or port, keeping every connection (live streams
   * stay on the old port until they end). The new address is bound before
   * the old one closes; a failure rejects with RtmpError(Config) and leaves
   * the engine listening where it was.
   */
  async relisten(host: string, port: number): Promise<ListenAddress> {
    const address = await this.listener.move(host, port);
    this.emit('listening', address);
    return address;
  }

  /** Stop accepting, close every connection, finalise every recording. */
  async stop(reason = 'server shutting down'): Promise<void> {
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = null;
    const closing = this.listener.close();
    for (const c of [...this.connections.values()]) c.shutdown(reason);
    await this.recordings.closeAll();
    await closing;
  }

  get listeningAddress(): ListenAddress | null {
    return this.listener.address;
  }

  /** Connections open now. */
  get connectionCount(): number {
    return this.connections.size;
  }

  streams(): StreamInfo[] {
    return [...this.registry.all()].map((s) => s.info);
  }

  stats(): StreamStats[] {
    return [...this.registry.all()].map((s) => this.statsOf(s));
  }

  /**
   * Which streams' stats events carry the health summary (StreamStats.health);
   * every stream's unless a host says otherwise. Why: building the summary
   * for every stream every second was a third of what the analyser costs a
   * 100-stream fan-in, for a UI that shows one stream's (the host sets the
   * streams its windows follow) or a CLI that prints only new findings
   * (`findings` below). The checks run for every stream either way.
   */
  healthSummaries: (stream: StreamInfo) => boolean = () => true;

  /** A live stream's findings under a preset, errors first (the same array until one is added: do not change it). */
  findings(path: string, preset: PresetId): readonly HealthFinding[] {
    return this.registry.get(path)?.health?.book.list(preset) ?? [];
  }

  private statsOf(s: LiveStream): StreamStats {
    return s.stats(this.recordings.info(s), this.healthSummaries(s.info));
  }

  /** The live stream at `app/key`, if any. */
  stream(path: string): LiveStream | undefined {
    return this.registry.get(path);
  }

  /** Subscribe to a stream's FLV tags; the subscriber first gets the late-join start. */
  subscribe(path: string, sub: StreamSubscriber): () => void {
    return this.live(path).subscribe(sub);
  }

  /** Start recording a live stream (to `recordDir`, in `format` or the setting's). */
  startRecording(path: string, format?: RecordFormat): RecordingInfo {
    return this.recordings.start(this.live(path), format);
  }

  /** Stop recording; resolves when the file is finalised. */
  async stopRecording(path: string): Promise<RecordingInfo | null> {
    const s = this.registry.get(path);
    return s ? this.recordings.stop(s) : null;
  }

  private live(path: string): LiveStream {
    const s = this.registry.get(path);
    if (!s) throw new RtmpError(ErrorCode.NotFound, `no live stream ${path}`);
    return s;
  }

  /**
   * Run a connection over a peer's stream, the connection limit included:
   * how the listener hands in each socket, and how tests drive the engine
   * with an in-memory stream.
   */
  accept(socket: PeerStream): void {
    this.listener.accept(socket);
  }

  /** The one place a Connection is made, for a stream within the limit. */
  private connect(socket: PeerStream): Connection {
    const id = this.nextId++;
    this.emit('connection-open', { connectionId: id, remoteAddress: socket.remoteAddress ?? '', remotePort: socket.remotePort ?? 0, acceptedAt: Date.now() });
    const conn = new Connection(id, socket, this.host);
    this.connections.set(id, conn);
    return conn;
  }

  private publish(conn: Connection, req: PublishRequest): PublishResult {
    const path = `${req.app}/${req.key}`;
    const refused = this.registry.claim(path, conn);
    if (refused) return refused;
    this.listener.settled(conn);
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
    this.registry.add(stream);
    this.emit('stream-start', info);
    try {
      this.recordings.started(stream);
    } catch (err) {
      this.emit('log', { level: 'error', message: `${path}: ${(err as Error).message}` });
    }
    return { ok: true, sink: stream };
  }

  private ended(stream: LiveStream, reason: string): void {
    if (!this.registry.isCurrent(stream)) {
      // Replaced on its key before it ended: no longer listed, but its own file still gets finished.
      this.recordings.ended(stream);
      return;
    }
    this.emit('stream-stats', this.statsOf(stream));
    this.registry.remove(stream);
    this.recordings.ended(stream);
    this.emit('stream-end', { path: stream.path, connectionId: stream.info.connectionId, reason });
  }

  private emitStats(): void {
    for (const s of this.registry.all()) this.emit('stream-stats', this.statsOf(s));
  }
}
