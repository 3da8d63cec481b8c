import type { IntakeApi, LinkState, UiEventName, UiEvents, UiRequestName, UiRequests, WireError } from '../../../app/contract/index.js';
import { type EarlyLink, requestKey } from './early-link.js';
import { MEDIA_ARRIVAL_OFFSET, MEDIA_FORWARDED_OFFSET, MEDIA_HEADER_BYTES, MEDIA_OFFERED_OFFSET, WS_CLOSE_UNAUTHORIZED, WS_PATH, type ClientFrame, type ServerFrame } from '../../../app/contract/index.js';

/** An error returned by the host, with its code. */
export class HostError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HostError';
  }
}

/** The connection to the host (the contract's type, named here for the bridge's users). */
export type { LinkState } from '../../../app/contract/index.js';

type Listener = (payload: never) => void;

/** Silence after which the client pings the host: a host that has sent nothing for this long may have hung. */
export const HEARTBEAT_MS = 3000;
/**
 * How long a ping or a connection attempt may go unanswered. A stopped or
 * hung `intake serve` keeps its TCP socket open (the kernel answers for it),
 * so only an unanswered ping tells a hang from a quiet host; bounded, so the
 * window says "lost" within HEARTBEAT_MS + LINK_TIMEOUT_MS (+ a tick of
 * TICK_MS each) of the last word: 8 to 10 s.
 */
export const LINK_TIMEOUT_MS = 5000;
/** How often the heartbeat looks at the link (a comparison of two times; nothing is sent unless a ping is due). */
const TICK_MS = 1000;

export interface WsClientOptions {
  /** ws:// URL of the host; defaults to the page's own origin + /ws. */
  url: string;
  token?: string | null;
  /** Wait before reconnecting after a drop (ms). */
  reconnectMs?: number;
  /** Silence after which the host is pinged (ms); default {@link HEARTBEAT_MS}. */
  heartbeatMs?: number;
  /** How long a ping, or an attempt to connect, may go unanswered before the link counts as lost (ms); default {@link LINK_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Injected for tests. */
  WebSocketImpl?: typeof WebSocket;
  /** The socket early-link.js opened before the bundle ran, to adopt instead of opening one (early-link.ts). */
  early?: EarlyLink | null;
}

/**
 * The browser mode's IntakeApi: the same contract as Electron's preload,
 * over one WebSocket. Requests made before the first open wait for it;
 * once the link has been lost they fail at once with 'disconnected' (a
 * Record pressed while the host is gone must not run minutes later).
 * After a drop, a hang (a ping unanswered) or a connection attempt that
 * never opens, it reconnects and reports the link, so the UI can say the
 * host is gone and re-read the snapshot when it is back.
 */
/**
 * Requests that may wait for the first connection: a page opened while
 * Intake is not up yet makes a handful (snapshot, follow, preview); more
 * than this is a loop asking again, and would grow without end.
 */
export const QUEUED_REQUESTS_MAX = 64;

export class WsClient implements IntakeApi {
  readonly transport = 'websocket' as const;
  private ws: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly linkListeners = new Set<(s: LinkState) => void>();
  private queue: string[] = [];
  private closedByUs = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  /** When the host last sent anything (any frame proves it alive), and when the unanswered ping, if any, went out. */
  private lastHeard = 0;
  private pingSentAt: number | null = null;
  private connectingSince = 0;
  private everOpen = false;
  /** Requests the early link sent (or sends on open) for us, by requestKey: the first identical request takes the id. */
  private readonly ahead = new Map<string, number>();
  state: LinkState = 'connecting';

  constructor(private readonly options: WsClientOptions) {
    if (!options.early || !this.adopt(options.early)) this.open();
  }

  request<K extends UiRequestName>(name: K, arg: UiRequests[K]['req']): Promise<UiRequests[K]['res']> {
    return new Promise((resolve, reject) => {
      const key = this.ahead.size ? requestKey(name, arg) : '';
      const early = this.ahead.get(key);
      if (early !== undefined) {
        // Already asked by the early link: wait for that answer instead of asking again.
        this.ahead.delete(key);
        this.pending.set(early, { resolve: resolve as (v: unknown) => void, reject });
        return;
      }
      const id = this.nextId++;
      const frame: ClientFrame = { id, name, arg };
      if (this.everOpen && this.state !== 'open') {
        reject(new HostError('disconnected', 'the connection to Intake is lost'));
        return;
      }
      if (this.queue.length >= QUEUED_REQUESTS_MAX && !this.sendable()) {
        reject(new HostError('disconnected', `Intake is not reachable yet, and ${QUEUED_REQUESTS_MAX} requests already wait for it`));
        return;
      }
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.send(JSON.stringify(frame));
    });
  }

  on<K extends UiEventName>(name: K, listener: (payload: UiEvents[K]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as Listener);
    return () => {
      set.delete(listener as Listener);
    };
  }

  /** Follow the socket's state; returns the unsubscribe function. */
  onLink(listener: (s: LinkState) => void): () => void {
    this.linkListeners.add(listener);
    return () => {
      this.linkListeners.delete(listener);
    };
  }

  /** The contract's link member: the current state now, then every change. */
  followLink(listener: (s: LinkState) => void): () => void {
    listener(this.state);
    return this.onLink(listener);
  }

  close(): void {
    this.closedByUs = true;
    if (this.timer) clearTimeout(this.timer);
    this.stopHeartbeat();
    this.ws?.close();
  }

  private open(): void {
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    const url = new URL(this.options.url);
    if (this.options.token) url.searchParams.set('token', this.options.token);
    const ws = new Impl(url.toString());
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.connectingSince = Date.now();
    this.setState('connecting');
    this.startHeartbeat();
    ws.onopen = () => this.opened(ws);
    this.listen(ws);
  }

  private listen(ws: WebSocket): void {
    ws.onmessage = (ev: MessageEvent) => {
      this.lastHeard = Date.now();
      this.pingSentAt = null;
      this.receive(ev.data as string | ArrayBuffer);
    };
    ws.onclose = (ev: CloseEvent) => this.dropped(ws, ev.code === WS_CLOSE_UNAUTHORIZED);
  }

  private opened(ws: WebSocket): void {
    if (this.ws !== ws) return;
    this.lastHeard = Date.now();
    this.pingSentAt = null;
    this.everOpen = true;
    // The queue first: a request made before the open (the early preview) leaves before those the open's listeners make (the snapshot).
    const q = this.queue;
    this.queue = [];
    for (const m of q) ws.send(m);
    this.setState('open');
  }

  /**
   * Take over the early link's socket (false: it cannot be used). Its
   * requests' answers go to the first identical requests made here; the
   * frames it kept are handed on in a microtask, in order, ahead of any
   * later frame (a frame arrives in a task of its own): so the listeners
   * registered in the task that builds this client (main.tsx's) see all,
   * as they would on a socket opened now.
   */
  private adopt(early: EarlyLink): boolean {
    const ws = early.ws;
    if (!ws || (ws.readyState !== 0 && ws.readyState !== 1)) return false;
    this.ws = ws;
    this.nextId = Math.max(this.nextId, early.nextId);
    for (const r of early.ahead ?? []) this.ahead.set(requestKey(r.name, r.arg), r.id);
    const kept = early.frames;
    early.frames = [];
    this.connectingSince = Date.now();
    this.startHeartbeat();
    this.listen(ws);
    queueMicrotask(() => {
      for (const data of kept) if (this.ws === ws) this.receive(data);
    });
    if (ws.readyState === 1) {
      this.opened(ws);
    } else {
      // The early script's own open handler sends its requests; ours runs after it.
      const theirs = ws.onopen;
      ws.onopen = (ev: Event) => {
        theirs?.call(ws, ev);
        this.opened(ws);
      };
    }
    return true;
  }

  /**
   * The socket `ws` is gone (closed, or abandoned as hung): fail what waits
   * on it, say so, and try again unless the token was refused or we closed.
   * A late close event of a socket already abandoned is ignored.
   */
  private dropped(ws: WebSocket, unauthorized: boolean): void {
    if (this.ws !== ws) return;
    this.ws = null;
    this.ahead.clear();
    ws.onopen = ws.onmessage = ws.onclose = null;
    const err = new HostError('disconnected', 'the connection to Intake was lost');
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.stopHeartbeat();
    if (unauthorized) {
      this.setState('unauthorized');
      return;
    }
    this.setState('closed');
    if (!this.closedByUs) this.timer = setTimeout(() => this.open(), this.options.reconnectMs ?? 1000);
  }

  /**
   * One timer per socket, ticking every second: while connecting, give up
   * an attempt that has not opened within the time-out; while open, ping a
   * host that has been silent for a heartbeat, and give the link up when a
   * ping has gone unanswered for the time-out. Why a tick, not a timer per
   * ping: a background tab's timers are throttled (to once a minute in
   * Chromium), and comparing times on each tick never calls a ping lost
   * before it has had a full time-out to come back.
   */
  private startHeartbeat(): void {
    this.stopHeartbeat();
    const every = this.options.heartbeatMs ?? HEARTBEAT_MS;
    const timeout = this.options.timeoutMs ?? LINK_TIMEOUT_MS;
    this.heartbeat = setInterval(() => {
      const ws = this.ws;
      if (!ws) return;
      const now = Date.now();
      if (this.state === 'connecting') {
        if (now - this.connectingSince >= timeout) this.abandon(ws);
        return;
      }
      if (this.pingSentAt !== null) {
        if (now - this.pingSentAt >= timeout) this.abandon(ws);
      } else if (now - this.lastHeard >= every) {
        this.pingSentAt = now;
        const frame: ClientFrame = { id: this.nextId++, name: 'ping', arg: null };
        ws.send(JSON.stringify(frame));
      }
    }, Math.min(TICK_MS, every));
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  /** A socket that does not answer: drop it now rather than wait for the browser's own close, which a hung peer can hold for a minute. */
  private abandon(ws: WebSocket): void {
    this.dropped(ws, false);
    try {
      ws.close();
    } catch {
      // already closing
    }
  }

  /** The socket is open: a frame goes out now rather than into the queue. */
  private sendable(): boolean {
    return this.ws !== null && this.ws.readyState === 1;
  }

  private send(text: string): void {
    if (this.sendable()) this.ws!.send(text);
    else this.queue.push(text);
  }

  private receive(data: string | ArrayBuffer): void {
    if (typeof data !== 'string') {
      if (data.byteLength < MEDIA_HEADER_BYTES) return;
      const view = new DataView(data);
      this.emit('media', {
        previewId: view.getUint32(0),
        arrivedAt: view.getFloat64(MEDIA_ARRIVAL_OFFSET),
        offered: view.getUint32(MEDIA_OFFERED_OFFSET),
        forwarded: view.getUint32(MEDIA_FORWARDED_OFFSET),
        data: new Uint8Array(data, MEDIA_HEADER_BYTES),
      });
      return;
    }
    const frame = JSON.parse(data) as ServerFrame;
    if ('event' in frame) {
      this.emit(frame.event, frame.payload);
      return;
    }
    const p = this.pending.get(frame.id);
    if (!p) return;
    this.pending.delete(frame.id);
    if (frame.ok) p.resolve(frame.res);
    else p.reject(new HostError((frame.error as WireError).code, frame.error.message));
  }

  private emit(name: string, payload: unknown): void {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const l of [...set]) {
      try {
        (l as (p: unknown) => void)(payload);
      } catch (err) {
        console.error(`intake: a '${name}' listener failed`, err);
      }
    }
  }

  private setState(s: LinkState): void {
    this.state = s;
    for (const l of [...this.linkListeners]) l(s);
  }
}

/** The WebSocket URL of the page's own host. */
export function defaultWsUrl(loc: Location): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}${WS_PATH}`;
}
