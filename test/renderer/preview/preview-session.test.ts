import { describe, expect, it } from 'vitest';
import { FeedLoader } from '../../../renderer/src/preview/feed-loader.js';
import { PreviewSession } from '../../../renderer/src/preview/preview-session.js';
import { FakeApi } from '../helpers/fake-api.js';

describe('PreviewSession', () => {
  it('keeps media that arrives before the preview id is known, and only its own', async () => {
    const api = new FakeApi();
    let answer!: (v: { previewId: number | null }) => void;
    api.handle('preview', () => new Promise((r) => (answer = r)));
    const session = new PreviewSession(api, 'live/a', () => {});
    const started = session.start();
    api.emit('media', { previewId: 6, data: Uint8Array.from([0xde]) }); // the previous preview's tail
    api.emit('media', { previewId: 7, data: Uint8Array.from([0x46, 0x4c, 0x56]) });
    answer({ previewId: 7 });
    expect(await started).toBe(7);
    api.emit('media', { previewId: 7, data: Uint8Array.from([1]) });
    api.emit('media', { previewId: 6, data: Uint8Array.from([2]) });
    const loader = new FeedLoader(session.feed);
    const got: number[] = [];
    loader.onDataArrival = (c) => got.push(...new Uint8Array(c));
    loader.open();
    expect(got).toEqual([0x46, 0x4c, 0x56, 1]);
    expect(api.requests('preview')).toEqual([{ path: 'live/a' }]);
  });

  it('reports its own preview-end and stops listening when closed', async () => {
    const api = new FakeApi().handle('preview', () => ({ previewId: 3 }));
    const ends: string[] = [];
    const session = new PreviewSession(api, 'live/a', (r) => ends.push(r));
    await session.start();
    api.emit('preview-end', { previewId: 2, reason: 'replaced' });
    api.emit('preview-end', { previewId: 3, reason: 'publisher left' });
    expect(ends).toEqual(['publisher left']);
    session.close();
    expect(api.listenerCount('media')).toBe(0);
    expect(api.listenerCount('preview-end')).toBe(0);
  });

  it('says so when the host has no such stream', async () => {
    const api = new FakeApi().handle('preview', () => ({ previewId: null }));
    const ends: string[] = [];
    await new PreviewSession(api, 'live/gone', (r) => ends.push(r)).start();
    expect(ends).toEqual(['the host has no such stream']);
  });
});
