import type { IntakeApi, LinkState, UiEventName, UiEvents, UiRequestName, UiRequests, WireError } from '../../../app/contract/index.js';
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

export interface WsClientOptions {
  /** ws:// URL of the host; defaults to the page's own origin + /ws. */
  url: string;
  token?: string | null;
  /** Wait before reconnecting after a drop (ms). */
  reconnectMs?: number;
  /** Injected for tests. */
  WebSocketImpl?: typeof WebSocket;
}

/**
 * The browser mode's IntakeApi: the same contract as Electron's preload,
 * over one WebSocket. Requests wait for the socket when it is (re)connecting;
 * after a drop it reconnects and emits `link` so the UI can re-read the
 * snapshot.
 */
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
  state: LinkState = 'connecting';

  constructor(private readonly options: WsClientOptions) {
    this.open();
  }

  request<K extends UiRequestName>(name: K, arg: UiRequests[K]['req']): Promise<UiRequests[K]['res']> {
    const id = this.nextId++;
    const frame: ClientFrame = { id, name, arg };
    return new Promise((resolve, reject) => {
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
    this.ws?.close();
  }

  private open(): void {
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    const url = new URL(this.options.url);
    if (this.options.token) url.searchParams.set('token', this.options.token);
    const ws = new Impl(url.toString());
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.setState('connecting');
    ws.onopen = () => {
      this.setState('open');
      const q = this.queue;
      this.queue = [];
      for (const m of q) ws.send(m);
    };
    ws.onmessage = (ev: MessageEvent) => this.receive(ev.data as string | ArrayBuffer);
    ws.onclose = (ev: CloseEvent) => {
      this.ws = null;
      const err = new HostError('disconnected', 'the connection to Intake was lost');
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      if (ev.code === WS_CLOSE_UNAUTHORIZED) {
        this.setState('unauthorized');
        return;
      }
      this.setState('closed');
      if (!this.closedByUs) this.timer = setTimeout(() => this.open(), this.options.reconnectMs ?? 1000);
    };
  }

  private send(text: string): void {
    if (this.ws && this.ws.readyState === 1) this.ws.send(text);
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
