import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rememberPreviewPath, startEarlyPreview, takeEarlyPreview } from '../../../renderer/src/preview/early-preview.js';
import { FeedLoader } from '../../../renderer/src/preview/feed-loader.js';
import type { CreatePreviewPlayer, PreviewPlayer } from '../../../renderer/src/preview/player-factory.js';
import { PreviewController, type PreviewTarget } from '../../../renderer/src/preview/preview-controller.js';
import type { MediaFeed } from '../../../renderer/src/preview/media-feed.js';
import { FakeApi } from '../helpers/fake-api.js';

/** A stand-in player that reads its feed and keeps the bytes. */
class ReadingPlayer implements PreviewPlayer {
  bytes: number[] = [];
  constructor(private readonly feed: MediaFeed) {}
  attachMediaElement(): void {}
  load(): void {
    const loader = new FeedLoader(this.feed);
    loader.onDataArrival = (c) => this.bytes.push(...new Uint8Array(c));
    loader.open();
  }
  play(): void {}
  unload(): void {}
  detachMediaElement(): void {}
  destroy(): void {}
  onError(): void {}
}

function setup() {
  let id = 0;
  const api = new FakeApi().handle('preview', ({ path }) => ({ previewId: path ? ++id : null }));
  const players: ReadingPlayer[] = [];
  const create: CreatePreviewPlayer = (feed) => {
    const p = new ReadingPlayer(feed);
    players.push(p);
    return p;
  };
  const c = new PreviewController(api, create, 'mse');
  c.attach(document.createElement('video'));
  return { api, players, c };
}

const target = (path: string, connectionId: number): PreviewTarget => ({ path, connectionId, live: true, playability: { ok: true } });
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('the preview asked for as the page starts (time to picture after a reload, issue 11)', () => {
  let ctl: PreviewController | null = null;
  beforeEach(() => sessionStorage.clear());
  afterEach(() => {
    ctl?.destroy();
    takeEarlyPreview(null);
  });

  it('asks for the stream this tab previewed last before any snapshot, and the controller takes that session over', async () => {
    rememberPreviewPath('live/a');
    const { api, players, c } = setup();
    ctl = c;
    startEarlyPreview(api);
    expect(api.requests('preview')).toEqual([{ path: 'live/a' }]);
    // The page's first render, before the snapshot: nothing selected. The early session stays, and the host is not told to stop.
    c.show(null);
    await tick();
    // The cached GOP arrives while the snapshot is read.
    api.emit('media', { previewId: 1, data: Uint8Array.from([0x46, 0x4c, 0x56]) });
    c.show(target('live/a', 1));
    await tick();
    expect(api.requests('preview')).toEqual([{ path: 'live/a' }]);
    expect(players).toHaveLength(1);
    expect(players[0].bytes).toEqual([0x46, 0x4c, 0x56]);
    api.emit('media', { previewId: 1, data: Uint8Array.from([9]) });
    expect(players[0].bytes).toEqual([0x46, 0x4c, 0x56, 9]);
    api.emit('preview-end', { previewId: 1, reason: 'publisher left' });
    expect(c.getView()).toMatchObject({ kind: 'ended', message: 'Stream ended: publisher left' });
  });

  it('closes the early session when another stream is shown, which asks for its own', async () => {
    rememberPreviewPath('live/a');
    const { api, players, c } = setup();
    ctl = c;
    startEarlyPreview(api);
    c.show(target('live/b', 2));
    await tick();
    expect(api.requests('preview')).toEqual([{ path: 'live/a' }, { path: 'live/b' }]);
    api.emit('media', { previewId: 1, data: Uint8Array.from([1]) });
    api.emit('media', { previewId: 2, data: Uint8Array.from([2]) });
    expect(players[0].bytes).toEqual([2]);
    // The stream shown is the one the next load asks for early.
    expect(sessionStorage.getItem('intake:preview-path')).toBe('live/b');
  });

  it('asks for nothing early in a tab that previewed nothing', () => {
    const api = new FakeApi().handle('preview', () => ({ previewId: 1 }));
    startEarlyPreview(api);
    expect(api.requests('preview')).toEqual([]);
    expect(takeEarlyPreview('live/a')).toBeNull();
  });
});
