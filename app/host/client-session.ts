import type { StreamStats } from '../contract/engine.js';
import { BATCH_INTERVAL_MS } from '../contract/limits.js';
import { UI_REQUESTS, type UiBatch, type UiEventName, type UiEvents, type UiRequestName, type UiRequests } from '../contract/ui.js';
import { PreviewFeed } from '../subscribers/preview-feed.js';
import type { IntakeService } from './service.js';
import { UiError } from './ui-error.js';

/** Where a UI's events go: Electron's webContents.send, or a WebSocket. */
export interface UiSink {
  event<K extends UiEventName>(name: K, payload: UiEvents[K]): void;
  /** Bytes the transport has queued and not yet delivered, if it knows (WebSocket bufferedAmount). */
  backlog?(): number;
}

/** One attached UI, as its host's transport sees it. */
export interface UiClient {
  /** Answer a request; rejects with a UiError (or RtmpError) carrying a code. */
  handle(name: string, arg: unknown): Promise<unknown>;
  detach(): void;
}

type ListKey = Exclude<keyof UiBatch, 'stats'>;

function emptyBatch(): UiBatch {
  return { opened: [], closed: [], steps: [], messages: [], streamsStarted: [], streamsUpdated: [], streamsEnded: [], stats: [], recordings: [], logs: [] };
}

function pathArg(arg: unknown): string {
  const p = (arg as { path?: unknown } | null)?.path;
  if (typeof p !== 'string' || p === '') throw new UiError('bad-request', 'a stream path ("app/key") is required');
  return p;
}

/**
 * One UI attached to the service. Engine events are gathered into a batch
 * that goes out at most every BATCH_INTERVAL_MS (and only when something
 * changed), so the UI's cost does not grow with the message rate; the
 * latest stats per stream replace older ones of the same batch. It also
 * holds this UI's one preview subscription.
 */
export class ClientSession implements UiClient {
  private batch = emptyBatch();
  private readonly latestStats = new Map<string, StreamStats>();
  private timer: NodeJS.Timeout | null = null;
  private preview: { id: number; path: string; feed: PreviewFeed } | null = null;
  private nextPreviewId = 1;
  private detached = false;

  constructor(
    private readonly service: IntakeService,
    private readonly sink: UiSink,
    private readonly onDetach: () => void,
  ) {}

  /** Send an event now (status and settings are rare and wanted at once). */
  event<K extends UiEventName>(name: K, payload: UiEvents[K]): void {
    if (!this.detached) this.sink.event(name, payload);
  }

  add<K extends ListKey>(key: K, item: UiBatch[K][number]): void {
    (this.batch[key] as UiBatch[K][number][]).push(item);
    this.schedule();
  }

  stats(s: StreamStats): void {
    this.latestStats.set(s.path, s);
    this.schedule();
  }

  async handle(name: string, arg: unknown): Promise<unknown> {
    if (!(UI_REQUESTS as readonly string[]).includes(name)) throw new UiError('bad-request', `unknown request '${name}'`);
    const n = name as UiRequestName;
    switch (n) {
      case 'snapshot':
        // What the snapshot holds must not arrive again in the next batch.
        this.batch = emptyBatch();
        this.latestStats.clear();
        return this.service.snapshot();
      case 'set-settings':
        return this.service.updateSettings(arg);
      case 'preview':
        return this.startPreview((arg as UiRequests['preview']['req'] | null)?.path ?? null);
      case 'start-recording':
        return this.requireEngine().startRecording(pathArg(arg));
      case 'stop-recording':
        return this.requireEngine().stopRecording(pathArg(arg));
      case 'timeline': {
        const id = (arg as { connectionId?: unknown } | null)?.connectionId;
        if (typeof id !== 'number') throw new UiError('bad-request', 'connectionId must be a number');
        return this.service.timeline(id);
      }
      case 'open-folder': {
        const open = this.service.options.openFolder;
        if (!open) throw new UiError('unsupported', 'this host cannot open folders (browser mode)');
        const p = (arg as { path?: unknown } | null)?.path;
        return open(typeof p === 'string' ? p : this.service.settings.recordDir);
      }
      case 'open-external': {
        const url = (arg as { url?: unknown } | null)?.url;
        if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new UiError('bad-request', 'only http(s) URLs can be opened');
        const open = this.service.options.openExternal;
        if (!open) throw new UiError('unsupported', 'this host cannot open URLs');
        return open(url);
      }
    }
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

  private requireEngine() {
    const e = this.service.currentEngine;
    if (!e) throw new UiError('unsupported', 'the RTMP listener is not running');
    return e;
  }

  private startPreview(path: string | null): { previewId: number | null } {
    this.preview?.feed.close();
    this.preview = null;
    if (path === null) return { previewId: null };
    if (typeof path !== 'string') throw new UiError('bad-request', 'path must be a string or null');
    const engine = this.requireEngine();
    const stream = engine.stream(path);
    if (!stream) throw new UiError('not-found', `no live stream ${path}`);
    const id = this.nextPreviewId++;
    const feed = new PreviewFeed({
      previewId: id,
      flags: stream.flvFlags,
      send: (data) => this.event('media', { previewId: id, data }),
      backlog: () => this.sink.backlog?.() ?? 0,
      ended: (reason) => {
        if (this.preview?.id === id) this.preview = null;
        this.event('preview-end', { previewId: id, reason });
      },
    });
    this.preview = { id, path, feed };
    feed.unsubscribe = engine.subscribe(path, feed);
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
