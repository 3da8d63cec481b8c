import type { ConnectionClosed, ConnectionInfo, EngineEvents, ProtocolStep, RecordingInfo, StreamInfo, StreamStats, TimelineEntry } from '../contract/engine.js';
import { CLOSED_CONNECTIONS_CAP, LOG_CAP } from '../contract/limits.js';
import { Engine, type EngineOptions } from '../engine.js';
import { ClientSession } from './client-session.js';
import type { SessionHost, UiClient, UiSink } from './session-host.js';
import { ENDED_STREAMS_CAP, type AppSettings, type ConnectionState, type EndedStreamState, type HostInfo, type LogEntry, type ServerStatus, type Snapshot, type TimelinePage, type UiRequests } from '../contract/ui.js';
import { localUrlHost } from '../util/hosts.js';
import { jsonSafe } from './json-safe.js';
import { mergeSettings } from './settings.js';
import { UiError, toWireError } from './ui-error.js';
import { checkFolder } from './folder-check.js';
import { OldAddress, stayLine } from './old-address.js';
import { RecordFolders, type SessionGrants } from './record-folders.js';
import type { WireError } from '../contract/errors.js';
import { TimelineSpill, timelineMoment, timelinePage } from './timeline-spill.js';
import { DEFAULT_TIMELINE_STORE, TimelineStore, type TimelineStoreOptions } from './timeline-store.js';

/** What a host (Electron's main, `intake serve`) gives the service. */
export interface ServiceOptions {
  settings: AppSettings;
  host: HostInfo;
  /** Called after a successful settings change (Electron keeps them on disk). */
  persist?: (s: AppSettings) => void;
  /** Show a folder or file in the OS file manager; absent: the request is 'unsupported'. */
  openFolder?: (path?: string) => Promise<void>;
  openExternal?: (url: string) => Promise<void>;
  /** Let the user pick a folder in the OS's dialog (Electron); absent: 'choose-folder' is 'unsupported'. */
  chooseFolder?: () => Promise<string | null>;
  /** Engine options beyond the settings (limits, stats interval...). */
  engine?: Partial<EngineOptions>;
  /** Memory and disk bounds of each connection's timeline (tests make them small). */
  timelineStore?: Partial<Omit<TimelineStoreOptions, 'spillDir'>>;
}

interface Conn {
  state: ConnectionState;
  /** Its whole timeline: the newest in memory, the rest packed on disk (TimelineStore). */
  timeline: TimelineStore;
}

/**
 * The engine as a UI sees it, the same for Electron's main process and for
 * `intake serve`: it owns the Engine (restarting it when host or port
 * change), remembers what a UI opened later must see (connections with
 * their steps and timelines, streams, stats, recordings, logs), and fans
 * every engine event out to the attached UIs, each of which batches.
 */
export class IntakeService {
  private engine: Engine | null = null;
  private offs: (() => void)[] = [];
  private _settings: AppSettings;
  private _status: ServerStatus;
  private readonly clients = new Set<ClientSession>();
  readonly conns = new Map<number, Conn>();
  private readonly streams = new Map<string, StreamInfo>();
  private readonly stats = new Map<string, StreamStats>();
  private readonly recordings = new Map<string, RecordingInfo>();
  /** Streams that ended, by path, oldest first (a path that goes live again leaves it). */
  private readonly ended = new Map<string, EndedStreamState>();
  private logs: LogEntry[] = [];
  private lastConnectionId = 0;
  private readonly spill = new TimelineSpill();
  /** What each attached UI's session may use of the service: no more than its requests need. */
  private readonly sessionHost: SessionHost;
  /** The folders a UI may record to (chosen at start or in the desktop's dialog). */
  readonly folders: RecordFolders;
  /** Why the folder chosen at start cannot be used, until a folder that works is set. */
  private recordDirError: WireError | undefined;
  /** The old address after a move, while its live streams go on. */
  private readonly old = new OldAddress();

  constructor(readonly options: ServiceOptions) {
    this._settings = { ...options.settings };
    this._status = this.statusOf('stopped');
    this.folders = new RecordFolders(options.settings.recordDir);
    const choose = options.chooseFolder;
    this.sessionHost = {
      snapshot: () => this.snapshot(),
      updateSettings: (change) => this.updateSettings(change),
      timeline: (range) => this.timeline(range),
      timelineAt: (req) => timelineMoment(this.connectionTimeline(req.connectionId), req.atMs),
      liveStreams: () => this.engine,
      recordDir: () => this._settings.recordDir,
      checkRecordDir: (dir) => this.folders.choose(dir),
      pickFolder: choose && (async () => {
        const dir = await choose();
        if (dir) this.folders.allow(dir);
        return dir;
      }),
      openFolder: options.openFolder,
      openExternal: options.openExternal,
    };
  }

  get settings(): AppSettings {
    return { ...this._settings };
  }

  get status(): ServerStatus {
    return { ...this._status };
  }

  /** The running engine, if listening. */
  get currentEngine(): Engine | null {
    return this.engine;
  }

  /** Start listening. Never rejects: a port in use leaves status 'error' with the reason, for the UI to offer another port. */
  async start(): Promise<ServerStatus> {
    const s = this._settings;
    const engine = new Engine({
      statsIntervalMs: 500,
      ...this.options.engine,
      host: s.host,
      port: s.port,
      recordDir: s.recordDir,
      autoRecord: s.autoRecord,
      recordFormat: s.recordFormat,
      firstConnectionId: this.lastConnectionId + 1,
    });
    // A health summary only for a stream some window follows (the others' would be stripped per window anyway).
    engine.healthSummaries = (info) => {
      for (const c of this.clients) if (c.follows(info.connectionId)) return true;
      return false;
    };
    this.setStatus(this.statusOf('starting'));
    if (this.recordDirError === undefined) {
      this.recordDirError = await checkFolder(s.recordDir).then(() => undefined, (err: unknown) => toWireError(err));
      if (this.recordDirError) this.log('error', `${this.recordDirError.message}; choose another folder in Settings`);
    }
    try {
      const addr = await engine.start();
      this.engine = engine;
      this.listen(engine);
      this.setStatus(this.statusOf('listening', addr.port));
    } catch (err) {
      await engine.stop().catch(() => {});
      this.setStatus({ ...this.statusOf('error'), error: toWireError(err) });
      this.log('error', toWireError(err).message);
    }
    return this.status;
  }

  /** Stop listening; finishes every recording. */
  async stop(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    this.old.clear();
    if (engine) await engine.stop();
    for (const off of this.offs) off();
    this.offs = [];
    this.setStatus(this.statusOf('stopped'));
  }

  /** Stop the service and every attached UI. */
  async close(): Promise<void> {
    await this.stop();
    for (const c of [...this.clients]) c.detach();
    for (const c of this.conns.values()) c.timeline.close();
    this.spill.remove();
  }

  /** Attach a UI; it gets events through `sink` and sends requests through the returned client. */
  attach(sink: UiSink, grants?: SessionGrants): UiClient {
    const c = new ClientSession(this.sessionHost, sink, () => this.clients.delete(c), grants);
    this.clients.add(c);
    return c;
  }

  /** Apply a settings change; host/port changes restart the listener. */
  async updateSettings(change: unknown): Promise<{ settings: AppSettings; status: ServerStatus }> {
    const next = mergeSettings(this._settings, change);
    const prev = this._settings;
    this._settings = next;
    if (this.engine) {
      this.engine.recordDir = next.recordDir;
      this.engine.autoRecord = next.autoRecord;
      if (next.recordFormat) this.engine.recordFormat = next.recordFormat;
    }
    const folderFixed = next.recordDir !== prev.recordDir && this.recordDirError !== undefined;
    if (folderFixed) this.recordDirError = undefined;
    const moved = next.host !== prev.host || next.port !== prev.port;
    const restart = moved || this._status.state !== 'listening';
    if (moved && this.engine && this._status.state === 'listening') {
      await this.move(prev);
    } else if (restart) {
      await this.stop();
      await this.start();
    } else if (folderFixed) {
      this.setStatus({ ...this.statusOf(this._status.state, this._status.port) });
    }
    this.options.persist?.(this.settings);
    for (const c of this.clients) c.event('settings', this.settings);
    return { settings: this.settings, status: this.status };
  }

  /**
   * Listen at the new settings' address without ending a live stream: the
   * new port is bound first; a port that cannot be bound keeps the old one
   * (settings back to it) and rejects with why.
   */
  private async move(prev: AppSettings): Promise<void> {
    const from = { host: this._status.host, port: this._status.port };
    const live = [...this.streams.values()].map((s) => s.connectionId);
    let port: number;
    try {
      port = (await this.engine!.relisten(this._settings.host, this._settings.port)).port;
    } catch (err) {
      this._settings = { ...this._settings, host: prev.host, port: prev.port };
      this.options.persist?.(this.settings);
      for (const c of this.clients) c.event('settings', this.settings);
      const message = `${toWireError(err).message}; still listening on rtmp://${localUrlHost(from.host)}:${from.port}`;
      this.log('error', message);
      throw new UiError('config', message);
    }
    this.old.moved(from, live);
    this.setStatus(this.statusOf('listening', port));
    if (live.length > 0) this.log('info', `${stayLine(live.length, from.port)}; new publishers use port ${port}`);
  }

  snapshot(): Snapshot {
    return {
      host: this.options.host,
      status: this.status,
      settings: this.settings,
      connections: [...this.conns.values()].map((c) => ({ ...c.state, messageCount: c.timeline.total })),
      streams: [...this.streams.values()],
      stats: [...this.stats.values()],
      recordings: [...this.recordings.values()],
      logs: this.logs.slice(),
      ended: [...this.ended.values()],
    };
  }

  /** A range of the timeline the service holds for a connection (see the `timeline` request). */
  timeline(range: UiRequests['timeline']['req']): TimelinePage {
    const c = this.conns.get(range.connectionId);
    if (!c) throw new UiError('not-found', `no connection #${range.connectionId}`);
    return timelinePage(c.timeline, range);
  }

  private connectionTimeline(id: number): TimelineStore {
    const c = this.conns.get(id);
    if (!c) throw new UiError('not-found', `no connection #${id}`);
    return c.timeline;
  }

  private statusOf(state: ServerStatus['state'], port = this._settings.port): ServerStatus {
    const { host } = this._settings;
    return { state, host, port, publishUrl: `rtmp://${localUrlHost(host)}:${port}/live`, ...(this.recordDirError ? { recordDirError: this.recordDirError } : {}), ...this.old.status() };
  }

  private setStatus(s: ServerStatus): void {
    this._status = s;
    for (const c of this.clients) c.event('status', this.status);
  }

  /** Say something in every UI's log strip (and keep it for UIs opened later). */
  log(level: LogEntry['level'], message: string, connectionId?: number): void {
    const entry: LogEntry = { level, message, at: Date.now(), ...(connectionId !== undefined ? { connectionId } : {}) };
    this.logs.push(entry);
    if (this.logs.length > LOG_CAP) this.logs.splice(0, this.logs.length - LOG_CAP);
    for (const c of this.clients) c.add('logs', entry);
  }

  private listen(engine: Engine): void {
    const on = <E extends keyof EngineEvents & string>(ev: E, fn: (p: EngineEvents[E]) => void): void => {
      this.offs.push(engine.on(ev, fn));
    };
    on('connection-open', (info) => this.opened(info));
    on('step', (step) => this.step(step));
    on('message', (m) => this.message(m));
    on('connection-close', (c) => this.closed(c));
    on('stream-start', (s) => {
      this.streams.set(s.path, s);
      this.ended.delete(s.path);
      for (const c of this.clients) c.add('streamsStarted', s);
    });
    on('stream-update', (s) => {
      if (this.streams.get(s.path)?.connectionId !== s.connectionId) return;
      this.streams.set(s.path, s);
      for (const c of this.clients) c.add('streamsUpdated', s);
    });
    on('stream-end', (e) => {
      this.keepEnded(e);
      if (this.streams.get(e.path)?.connectionId === e.connectionId) this.streams.delete(e.path);
      if (this.old.ended(e.connectionId)) this.setStatus(this.statusOf('listening', this._status.port));
      this.stats.delete(e.path);
      for (const c of this.clients) c.add('streamsEnded', e);
    });
    on('stream-stats', (s) => {
      if (this.streams.has(s.path)) this.stats.set(s.path, s);
      for (const c of this.clients) c.stats(s);
    });
    on('recording', (r) => {
      this.recordings.set(r.file, r);
      for (const c of this.clients) c.add('recordings', r);
    });
    on('log', (l) => this.log(l.level, l.message, l.connectionId));
  }

  private opened(info: ConnectionInfo): void {
    this.lastConnectionId = Math.max(this.lastConnectionId, info.connectionId);
    const store = new TimelineStore(info.connectionId, { ...DEFAULT_TIMELINE_STORE, ...this.options.timelineStore, spillDir: () => this.spill.dir() });
    this.conns.set(info.connectionId, { state: { info, steps: [], messageCount: 0 }, timeline: store });
    for (const c of this.clients) c.add('opened', info);
  }

  private step(raw: ProtocolStep): void {
    const step = raw.detail ? { ...raw, detail: jsonSafe(raw.detail) as Record<string, unknown> } : raw;
    const conn = this.conns.get(step.connectionId);
    if (conn) {
      const steps = conn.state.steps;
      const i = steps.findIndex((s) => s.id === step.id);
      if (i < 0) steps.push(step);
      else steps[i] = step;
    }
    for (const c of this.clients) c.add('steps', step);
  }

  private message(m: TimelineEntry): void {
    // Args are already typed JSON (app/amf/amf-json.ts): nothing to convert.
    const conn = this.conns.get(m.connectionId);
    conn?.timeline.append(m);
    for (const c of this.clients) c.add('messages', m);
  }

  /** A stream that ended is kept (as it was live, with its last stats) for a UI opened later; at most ENDED_STREAMS_CAP. */
  private keepEnded(e: EngineEvents['stream-end']): void {
    const info = this.streams.get(e.path);
    if (info?.connectionId !== e.connectionId) return;
    const stats = this.stats.get(e.path);
    this.ended.delete(e.path);
    this.ended.set(e.path, { info, ...(stats ? { stats } : {}), reason: e.reason, endedAt: Date.now() });
    for (const path of this.ended.keys()) {
      if (this.ended.size <= ENDED_STREAMS_CAP) break;
      this.ended.delete(path);
    }
  }

  private closed(closed: ConnectionClosed): void {
    const conn = this.conns.get(closed.connectionId);
    if (conn) {
      conn.state.closed = closed;
      // Nothing more will arrive: its timeline can live on disk alone.
      conn.timeline.settle();
    }
    for (const e of this.ended.values()) {
      if (e.info.connectionId === closed.connectionId) e.closed = { by: closed.by, reason: closed.reason, ...(closed.error ? { error: closed.error } : {}) };
    }
    for (const c of this.clients) c.add('closed', closed);
    const closedIds = [...this.conns.values()].filter((c) => c.state.closed).map((c) => c.state.info.connectionId);
    for (const id of closedIds.slice(0, Math.max(0, closedIds.length - CLOSED_CONNECTIONS_CAP))) {
      this.conns.get(id)?.timeline.close();
      this.conns.delete(id);
    }
  }
}
