import type { StreamStats } from '../contract/engine.js';
import { BATCH_INTERVAL_MS } from '../contract/limits.js';
import type { UiBatch, UiEventName, UiEvents, UiRequestName, UiRequests } from '../contract/ui.js';
import { PreviewFeed } from '../subscribers/preview-feed.js';
import { REQUEST_ARGS, isRequestName } from './request-args.js';
import type { LiveStreams, SessionHost, UiClient, UiSink } from './session-host.js';
import { UiError } from './ui-error.js';

/**
 * One handler per request, typed by it: a request of the contract missing
 * here fails to compile, and each returns exactly that request's result.
 * The argument comes already checked by {@link REQUEST_ARGS}.
 */
export type RequestHandlers = { [K in UiRequestName]: (arg: UiRequests[K]['req']) => Promise<UiRequests[K]['res']> | UiRequests[K]['res'] };

type ListKey = Exclude<keyof UiBatch, 'stats'>;

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
  private readonly latestStats = new Map<string, StreamStats>();
  private timer: NodeJS.Timeout | null = null;
  private preview: { id: number; path: string; feed: PreviewFeed } | null = null;
  private nextPreviewId = 1;
  private detached = false;

  private readonly handlers: RequestHandlers = {
    snapshot: () => {
      // What the snapshot holds must not arrive again in the next batch.
      this.batch = emptyBatch();
      this.latestStats.clear();
      return this.host.snapshot();
    },
    'set-settings': (change) => this.host.updateSettings(change),
    preview: ({ path }) => this.startPreview(path),
    'start-recording': ({ path }) => this.streams().startRecording(path),
    'stop-recording': ({ path }) => this.streams().stopRecording(path),
    timeline: ({ connectionId }) => this.host.timeline(connectionId),
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
  };

  constructor(
    private readonly host: SessionHost,
    private readonly sink: UiSink,
    private readonly onDetach: () => void,
  ) {}

  /** Send an event now (status and settings are rare and wanted at once). */
  event<K extends UiEventName>(name: K, payload: UiEvents[K]): void {
    if (!this.detached) this.sink.event(name, payload);
  }

  /** Queue an item for the next batch. */
  add<K extends ListKey>(key: K, item: UiBatch[K][number]): void {
    (this.batch[key] as UiBatch[K][number][]).push(item);
    this.schedule();
  }

  /** Keep a stream's latest stats for the next batch (older ones of the same batch are dropped). */
  stats(s: StreamStats): void {
    this.latestStats.set(s.path, s);
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
    this.latestStats.clear();
    this.sink.event('batch', b);
  }
}
