import { afterEach, describe, expect, it, vi } from 'vitest';
import { bindStore, BACKFILL_WAIT_MS } from '../../../renderer/src/store/bind.js';
import { previewSettled } from '../../../renderer/src/preview/preview-first.js';
import { createIntakeStore } from '../../../renderer/src/store/store.js';
import { FakeApi } from '../helpers/fake-api.js';
import { conn, snapshot, stream } from '../helpers/payloads.js';

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('the preview goes first after a reload (time to picture, issue 11)', () => {
  afterEach(() => vi.useRealTimers());

  it('holds the timeline backfill back while a live stream waits for its first picture, at most BACKFILL_WAIT_MS', async () => {
    vi.useFakeTimers();
    const api = new FakeApi(snapshot({ streams: [stream('live/a', 4)], connections: [{ info: conn(4), steps: [], messageCount: 3 }] }));
    api.handle('timeline', () => ({ connectionId: 4, from: 0, total: 0, dropped: 0, entries: [] }));
    const stop = bindStore(api, createIntakeStore());
    await flush();
    expect(api.requests('snapshot')).toHaveLength(1);
    expect(api.requests('timeline')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(BACKFILL_WAIT_MS - 100);
    expect(api.requests('timeline')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(api.requests('timeline')).toHaveLength(1);
    stop();
  });

  it('fetches the timelines as soon as the preview has shown its picture', async () => {
    const api = new FakeApi(snapshot({ streams: [stream('live/a', 4)], connections: [{ info: conn(4), steps: [], messageCount: 3 }] }));
    api.handle('timeline', () => ({ connectionId: 4, from: 0, total: 0, dropped: 0, entries: [] }));
    const stop = bindStore(api, createIntakeStore());
    await flush();
    expect(api.requests('timeline')).toHaveLength(0);
    previewSettled();
    await flush();
    expect(api.requests('timeline')).toHaveLength(1);
    stop();
  });
});
