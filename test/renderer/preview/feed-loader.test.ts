import { describe, expect, it } from 'vitest';
import { FeedLoader, LoaderStatus, feedLoaderClass } from '../../../renderer/src/preview/feed-loader.js';
import { FEED_QUEUE_LIMIT, MediaFeed } from '../../../renderer/src/preview/media-feed.js';

/** An FLV header (9 bytes) + PreviousTagSize0, then arbitrary tag bytes. */
const FLV_HEADER = Uint8Array.from([0x46, 0x4c, 0x56, 1, 5, 0, 0, 0, 9, 0, 0, 0, 0]);

function collect(loader: FeedLoader) {
  const got: { bytes: number[]; byteStart: number; received?: number }[] = [];
  loader.onDataArrival = (chunk, byteStart, received) => got.push({ bytes: [...new Uint8Array(chunk)], byteStart, received });
  return got;
}

describe('FeedLoader (mpegts.js customLoader)', () => {
  it('delivers bytes queued before open, then live bytes, with running byte offsets', () => {
    const feed = new MediaFeed();
    feed.push(FLV_HEADER);
    feed.push(Uint8Array.from([9, 0, 0, 5]));
    const Loader = feedLoaderClass(feed);
    const loader = new Loader({} as never, {}) as unknown as FeedLoader;
    expect(loader.needStashBuffer).toBe(false);
    expect(loader.isWorking()).toBe(false);
    const got = collect(loader);
    loader.open();
    expect(loader.status).toBe(LoaderStatus.buffering);
    feed.push(Uint8Array.from([1, 2, 3]));
    expect(got.map((g) => g.byteStart)).toEqual([0, 13, 17]);
    expect(got.map((g) => g.received)).toEqual([13, 17, 20]);
    expect(got[0].bytes.slice(0, 3)).toEqual([0x46, 0x4c, 0x56]);
    expect(got[2].bytes).toEqual([1, 2, 3]);
  });

  it('copies each chunk out of the transport’s (possibly reused) buffer', () => {
    const feed = new MediaFeed();
    const loader = new FeedLoader(feed);
    const chunks: ArrayBuffer[] = [];
    loader.onDataArrival = (c) => chunks.push(c);
    loader.open();
    const frame = new Uint8Array(64).fill(7);
    const view = frame.subarray(4, 12); // like a WebSocket frame after its 4-byte preview id
    feed.push(view);
    frame.fill(0);
    expect(chunks[0].byteLength).toBe(8);
    expect([...new Uint8Array(chunks[0])]).toEqual([7, 7, 7, 7, 7, 7, 7, 7]);
  });

  it('hands over a chunk that is its whole buffer as it is, without a copy', () => {
    const feed = new MediaFeed();
    const loader = new FeedLoader(feed);
    const chunks: ArrayBuffer[] = [];
    loader.onDataArrival = (c) => chunks.push(c);
    loader.open();
    const whole = new Uint8Array(16).fill(3);
    feed.push(whole);
    expect(chunks[0]).toBe(whole.buffer);
  });

  it('completes when the stream ends, and stops delivering after abort', () => {
    const feed = new MediaFeed();
    const loader = new FeedLoader(feed);
    let complete: [number, number] | null = null;
    const got = collect(loader);
    loader.onComplete = (a, b) => (complete = [a, b]);
    loader.open();
    feed.push(Uint8Array.from([1, 2, 3, 4]));
    feed.end();
    expect(complete).toEqual([0, 3]);
    expect(loader.status).toBe(LoaderStatus.complete);

    const feed2 = new MediaFeed();
    const loader2 = new FeedLoader(feed2);
    const got2 = collect(loader2);
    loader2.open();
    feed2.push(Uint8Array.from([1]));
    loader2.abort();
    feed2.push(Uint8Array.from([2]));
    expect(got2).toHaveLength(1);
    expect(loader2.isWorking()).toBe(false);
    expect(got).toHaveLength(1);
  });

  it('gives up the queue rather than grow without bound before the player opens', () => {
    const feed = new MediaFeed();
    const big = new Uint8Array(FEED_QUEUE_LIMIT / 4 + 1);
    for (let i = 0; i < 4; i++) feed.push(big);
    expect(feed.overflowed).toBe(true);
    const loader = new FeedLoader(feed);
    const got = collect(loader);
    loader.open();
    expect(got).toHaveLength(0);
  });
});
