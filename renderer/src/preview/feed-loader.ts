/**
 * mpegts.js `customLoader` that reads from a {@link MediaFeed} instead of the
 * network. It implements mpegts.js's BaseLoader interface (src/io/loader.js)
 * without importing mpegts.js, so it is tested in jsdom by feeding bytes.
 *
 * mpegts.js constructs the loader itself (`new customLoader(seekHandler,
 * config)`), so the feed is bound by a class made per preview.
 */
import type Mpegts from 'mpegts.js';
import type { MediaFeed } from './media-feed.js';

/** mpegts.js LoaderStatus values. */
export const LoaderStatus = { idle: 0, connecting: 1, buffering: 2, error: 3, complete: 4 } as const;

type LoaderErrorType = Parameters<Mpegts.BaseLoader['onError']>[0];

/** A BaseLoader over one feed. */
export class FeedLoader {
  _status: number = LoaderStatus.idle;
  /** Live bytes should reach the demuxer at once, not wait in mpegts.js's stash. */
  _needStash = false;
  readonly type = 'intake-feed';
  onContentLengthKnown: (contentLength: number) => void = () => {};
  onURLRedirect: (redirectedURL: string) => void = () => {};
  onDataArrival: (chunk: ArrayBuffer, byteStart: number, receivedLength?: number) => void = () => {};
  onError: (errorType: LoaderErrorType, errorInfo: Mpegts.LoaderErrorMessage) => void = () => {};
  onComplete: (rangeFrom: number, rangeTo: number) => void = () => {};
  private received = 0;

  constructor(private readonly feed: MediaFeed) {}

  get status(): number {
    return this._status;
  }

  get needStashBuffer(): boolean {
    return this._needStash;
  }

  isWorking(): boolean {
    return this._status === LoaderStatus.connecting || this._status === LoaderStatus.buffering;
  }

  open(): void {
    this._status = LoaderStatus.buffering;
    this.feed.attach({
      data: (chunk) => {
        if (this._status !== LoaderStatus.buffering) return;
        const byteStart = this.received;
        this.received += chunk.byteLength;
        this.onDataArrival(chunk, byteStart, this.received);
      },
      end: () => {
        if (this._status !== LoaderStatus.buffering) return;
        this._status = LoaderStatus.complete;
        this.onComplete(0, this.received - 1);
      },
    });
  }

  abort(): void {
    this.feed.detach();
    if (this.isWorking()) this._status = LoaderStatus.complete;
  }

  destroy(): void {
    this.abort();
    this._status = LoaderStatus.idle;
    this.onDataArrival = () => {};
    this.onComplete = () => {};
    this.onError = () => {};
  }
}

/** The class to pass as mpegts.js's `config.customLoader`, bound to one feed. */
export function feedLoaderClass(feed: MediaFeed): Mpegts.CustomLoaderConstructor {
  return class extends FeedLoader {
    constructor() {
      super(feed);
    }
  } as unknown as Mpegts.CustomLoaderConstructor;
}
