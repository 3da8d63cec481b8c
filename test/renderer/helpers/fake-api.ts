import type { RecordingInfo } from '../../../app/contract/engine.js';
import type { IntakeApi, Snapshot, UiEventName, UiEvents, UiRequestName, UiRequests } from '../../../app/contract/ui.js';

type Handler<K extends UiRequestName> = (arg: UiRequests[K]['req']) => UiRequests[K]['res'] | Promise<UiRequests[K]['res']>;

/**
 * An in-memory IntakeApi: records every request, answers from handlers the
 * test sets, and lets the test emit host events.
 */
export class FakeApi implements IntakeApi {
  readonly transport = 'electron' as const;
  readonly calls: { name: UiRequestName; arg: unknown }[] = [];
  private readonly listeners = new Map<string, Set<(p: never) => void>>();
  private readonly handlers: Partial<{ [K in UiRequestName]: Handler<K> }> = {};

  constructor(snapshot?: Snapshot) {
    if (snapshot) this.handle('snapshot', () => snapshot);
    this.handle('preview', () => ({ previewId: null }));
  }

  handle<K extends UiRequestName>(name: K, fn: Handler<K>): this {
    (this.handlers as Record<string, unknown>)[name] = fn;
    return this;
  }

  request<K extends UiRequestName>(name: K, arg: UiRequests[K]['req']): Promise<UiRequests[K]['res']> {
    this.calls.push({ name, arg });
    const fn = this.handlers[name] as Handler<K> | undefined;
    if (!fn) return Promise.resolve(undefined as UiRequests[K]['res']);
    try {
      return Promise.resolve(fn(arg));
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  on<K extends UiEventName>(name: K, listener: (payload: UiEvents[K]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as (p: never) => void);
    return () => set.delete(listener as (p: never) => void);
  }

  emit<K extends UiEventName>(name: K, payload: UiEvents[K]): void {
    for (const fn of this.listeners.get(name) ?? []) (fn as (p: UiEvents[K]) => void)(payload);
  }

  listenerCount(name: UiEventName): number {
    return this.listeners.get(name)?.size ?? 0;
  }

  /** Requests of one name, in order. */
  requests(name: UiRequestName): unknown[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.arg);
  }
}

/** A recording as the host reports it. */
export function recording(path: string, state: RecordingInfo['state'] = 'recording', extra: Partial<RecordingInfo> = {}): RecordingInfo {
  return { path, file: `/rec/${path.replace('/', '_')}_2025-11-21_14-00-00.flv`, bytes: 12_345_678, durationMs: 83_000, videoFrames: 2490, audioFrames: 3890, state, ...extra };
}
