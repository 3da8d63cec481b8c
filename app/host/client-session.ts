import type { StreamStats } from '../contract/engine.js';
import { BATCH_INTERVAL_MS } from '../contract/limits.js';
import type { UiBatch, UiEventName, UiEvents, UiRequestName, UiRequests } from '../contract/ui.js';
import { PreviewFeed } from '../subscribers/preview-feed.js';
import { REQUEST_ARGS, isRequestName } from './request-args.js';
import type { LiveStreams, SessionHost, UiClient, UiSink } from './session-host.js';
import { PAGE_GRANTS, type SessionGrants, checkListenHost } from './record-folders.js';
import { UiError } from './ui-error.js';

/**
 * One handler per request, typed by it: a request of the contract missing
 * here fails to compile, and each returns exactly that request's result.
 * The argument comes already checked by {@link REQUEST_ARGS}.
 */
export type RequestHandlers = { [K in UiRequestName]: (arg: UiRequests[K]['req']) => Promise<UiRequests[K]['res']> | UiRequests[K]['res'] };

type ListKey = Exclude<keyof UiBatch, 'stats'>;

/** Items a batch holds before it is sent early: about 1 MB of JSON at ~250 B a timeline entry. */
export const BATCH_MAX_ITEMS = 4000;

function emptyBatch(): UiBatch {
  return { opened: [], closed: [], steps: [], messages: [], streamsStarted: [], streamsUpdated: [], streamsEnded: [], stats: [], recordings: [], logs: [] };
}

/**
 * One UI attached to the service. Engine events are gathered into a batch
 * that goes out at most every BATCH_INTERVAL_MS (and only when something
 * changed), so the UI's cost does not grow with the message rate; the
 * latest stats per stream replace older ones of the same batch. It also
 * holds this UI's one preview subscription, and answers its requests
 * through a map keyed by request name.
 */
export class ClientSession implements UiClient {
  private batch = emptyBatch();
  /** Items in `batch`: past BATCH_MAX_ITEMS it goes out at once. */
  private batchItems = 0;
  private readonly latestStats = new Map<string, StreamStats>();
  private timer: NodeJS.Timeout | null = null;
  private preview: { id: number; path: string; feed: PreviewFeed } | null = null;
  private nextPreviewId = 1;
  private detached = false;
  /** Connections whose timeline entries and health summaries go out in this UI's batches; null: all (until the UI says otherwise). */
  private followed: Set<number> | null = null;

  private readonly handlers: RequestHandlers = {
    snapshot: () => {
      // What the snapshot holds must not arrive again in the next batch.
      this.batch = emptyBatch();
      this.batchItems = 0;
      this.latestStats.clear();
      return this.host.snapshot();
    },
    'set-settings': async (change) => {
      if (change.host !== undefined) checkListenHost(change.host, this.grants);
      const checked = change.recordDir === undefined ? change : { ...change, recordDir: await this.host.checkRecordDir(change.recordDir) };
      return this.host.updateSettings(checked);
    },
    'choose-folder': async () => {
      const pick = this.host.pickFolder;
      if (!pick) throw new UiError('unsupported', 'this host has no folder dialog (browser mode): start intake serve with --out DIR');
      return { path: await pick() };
    },
    preview: ({ path }) => this.startPreview(path),
    'start-recording': ({ path, format }) => this.streams().startRecording(path, format),
    'stop-recording': ({ path }) => this.streams().stopRecording(path),
    timeline: (range) => this.host.timeline(range),
    follow: ({ connectionIds }) => {
      this.followed = connectionIds === null ? null : new Set(connectionIds);
      return null;
    },
    'timeline-at': (req) => this.host.timelineAt(req),
    'open-folder': ({ path }) => {
      const open = this.host.openFolder;
      if (!open) throw new UiError('unsupported', 'this host cannot open folders (browser mode)');
      return open(path ?? this.host.recordDir());
    },
    'open-external': ({ url }) => {
      const open = this.host.openExternal;
      if (!open) throw new UiError('unsupported', 'this host cannot open URLs');
      return open(url);
    },
    ping: () => null,
  };

  constructor(
    private readonly host: SessionHost,
    private readonly sink: UiSink,
    private readonly onDetach: () => void,
    /** What this UI may change beyond the harmless settings (a page without the token: nothing). */
    private readonly grants: SessionGrants = PAGE_GRANTS,
  ) {}

  /** Send an event now (status and settings are rare and wanted at once). */
  event<K extends UiEventName>(name: K, payload: UiEvents[K]): void {
    if (!this.detached) this.sink.event(name, payload);
  }

  /** Queue an item for the next batch. */
  add<K extends ListKey>(key: K, item: UiBatch[K][number]): void {
    if (key === 'messages' && this.followed && !this.followed.has((item as UiBatch['messages'][number]).connectionId)) return;
    (this.batch[key] as UiBatch[K][number][]).push(item);
    // A burst (a publisher sending as fast as the socket goes) must not pile up here unbounded until the timer:
    // a full batch goes out now, where the transport's own bound (the WebSocket's queued bytes) holds it.
    if (++this.batchItems >= BATCH_MAX_ITEMS) {
      if (this.timer) clearTimeout(this.timer);
      this.flush();
      return;
    }
    this.schedule();
  }

  /** Whether this window follows the connection (everything, until it says which). */
  follows(connectionId: number): boolean {
    return this.followed === null || this.followed.has(connectionId);
  }

  /** Keep a stream's latest stats for the next batch (older ones of the same batch are dropped). */
  stats(s: StreamStats): void {
    // A stream this UI does not follow: its plain figures, without the health summary (most of the stats' bytes).
    this.latestStats.set(s.path, this.followed && !this.followed.has(s.connectionId) && s.health ? { ...s, health: undefined } : s);
    this.schedule();
  }

  /** Answer a request: an unknown name or a bad argument is refused with 'bad-request' before anything runs. */
  async handle(name: string, arg: unknown): Promise<unknown> {
    if (!isRequestName(name)) throw new UiError('bad-request', `unknown request '${name}'`);
    return this.dispatch(name, arg);
  }

  detach(): void {
    if (this.detached) return;
    this.detached = true;
    this.preview?.feed.close();
    this.preview = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.onDetach();
  }

  private dispatch<K extends UiRequestName>(name: K, arg: unknown): Promise<UiRequests[K]['res']> | UiRequests[K]['res'] {
    const handler: RequestHandlers[K] = this.handlers[name];
    return handler(REQUEST_ARGS[name](arg));
  }

  private streams(): LiveStreams {
    const s = this.host.liveStreams();
    if (!s) throw new UiError('unsupported', 'the RTMP listener is not running');
    return s;
  }

  private startPreview(path: string | null): { previewId: number | null } {
    this.preview?.feed.close();
    this.preview = null;
    if (path === null) return { previewId: null };
    const streams = this.streams();
    const stream = streams.stream(path);
    if (!stream) throw new UiError('not-found', `no live stream ${path}`);
    const id = this.nextPreviewId++;
    const feed = new PreviewFeed({
      previewId: id,
      flags: stream.flvFlags,
      send: (data, meta) => this.event('media', { previewId: id, data, ...meta }),
      backlog: () => this.sink.backlog?.() ?? 0,
      ended: (reason) => {
        if (this.preview?.id === id) this.preview = null;
        this.event('preview-end', { previewId: id, reason });
      },
    });
    this.preview = { id, path, feed };
    feed.unsubscribe = streams.subscribe(path, feed);
    feed.flush(); // the late-join start before this answer (PreviewFeed.flush says why)
    return { previewId: id };
  }

  private schedule(): void {
    if (this.timer || this.detached) return;
    this.timer = setTimeout(() => this.flush(), BATCH_INTERVAL_MS);
  }

  private flush(): void {
    this.timer = null;
    if (this.detached) return;
    const b = this.batch;
    b.stats = [...this.latestStats.values()];
    this.batch = emptyBatch();
    this.batchItems = 0;
    this.latestStats.clear();
    this.sink.event('batch', b);
  }
}
