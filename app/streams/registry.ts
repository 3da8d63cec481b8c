import type { LiveStream } from './live-stream.js';

/** What the registry needs of a stream: its `app/key`, its publisher's connection, and a way to end it. */
export interface RegisteredStream {
  readonly path: string;
  readonly info: { readonly connectionId: number };
  end(reason: string): void;
}

/** A publisher as the takeover rule sees it (a server connection). */
export interface Publisher {
  readonly id: number;
  /** Milliseconds since it last sent a byte (0 while we paused it). */
  silentForMs(): number;
  /** Close it from our side, with the reason it is told and logged with. */
  shutdown(reason: string): void;
}

/** The `onStatus` a publish of a key that is live gets instead of NetStream.Publish.Start. */
export interface PublishRefused {
  ok: false;
  code: 'NetStream.Publish.BadName';
  description: string;
}

export interface StreamRegistryOptions {
  /** A publisher silent this long gives its key up (Limits.takeoverAfterMs). */
  takeoverAfterMs: number;
  /** The open connection with this id, if it is still open. */
  publisher(connectionId: number): Publisher | undefined;
  /** Said when a key is taken over. */
  warn(message: string): void;
}

/**
 * The live streams by `app/key`, and who may publish a key that is live. The
 * rule: a key's publisher that has been silent for `takeoverAfterMs` (or
 * whose connection is gone) gives the key up to the new publisher, so an
 * encoder reconnecting after a network drop does not wait for the idle
 * time-out of its dead connection; otherwise the new publish is refused
 * with NetStream.Publish.BadName.
 */
export class StreamRegistry<S extends RegisteredStream = LiveStream> {
  private readonly byPath = new Map<string, S>();

  constructor(private readonly options: StreamRegistryOptions) {}

  /** The live stream at `path`, if any. */
  get(path: string): S | undefined {
    return this.byPath.get(path);
  }

  /** Every live stream, in the order they started. */
  all(): IterableIterator<S> {
    return this.byPath.values();
  }

  get size(): number {
    return this.byPath.size;
  }

  /**
   * May `by` publish `path`? Null when it may: the key is free, or it was
   * live and has just been taken over (its silent publisher shut down, or
   * the stream ended when its connection is already gone). Otherwise the
   * refusal to answer with.
   */
  claim(path: string, by: Publisher): PublishRefused | null {
    const existing = this.byPath.get(path);
    if (!existing) return null;
    const owner = this.options.publisher(existing.info.connectionId);
    const silent = owner ? owner.silentForMs() : Infinity;
    if (silent < this.options.takeoverAfterMs) {
      return { ok: false, code: 'NetStream.Publish.BadName', description: `${path} is already being published` };
    }
    const why = `${path} taken over by connection #${by.id} after ${(silent / 1000).toFixed(1)} s of silence`;
    this.options.warn(why);
    if (owner) owner.shutdown(why);
    else existing.end(why);
    return null;
  }

  /** Register a stream that has started (after a successful {@link claim}); it replaces any stream still at its path. */
  add(stream: S): void {
    this.byPath.set(stream.path, stream);
  }

  /** True when `stream` itself (not a later stream on its key) is the one registered at its path. */
  isCurrent(stream: S): boolean {
    return this.byPath.get(stream.path) === stream;
  }

  /** Forget `stream` if it is the one at its path; true when it was. */
  remove(stream: S): boolean {
    if (!this.isCurrent(stream)) return false;
    this.byPath.delete(stream.path);
    return true;
  }
}
