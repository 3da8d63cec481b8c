import { afterEach, describe, expect, it } from 'vitest';
import type { MediaFeed } from '../../../renderer/src/preview/media-feed.js';
import { FeedLoader } from '../../../renderer/src/preview/feed-loader.js';
import type { CreatePreviewPlayer, PreviewPlayer } from '../../../renderer/src/preview/player-factory.js';
import { PreviewController, type PreviewTarget } from '../../../renderer/src/preview/preview-controller.js';
import { playerReadout } from '../../../renderer/src/preview/player-readout.js';
import { FakeApi } from '../helpers/fake-api.js';

/** A stand-in player: opens a FeedLoader on load() like mpegts.js does, and records its life. */
class StubPlayer implements PreviewPlayer {
  events: string[] = [];
  bytes: number[] = [];
  errorFn: ((t: string, d: string, i: { msg?: string } | undefined) => void) | null = null;
  constructor(private readonly feed: MediaFeed, readonly hasAudio: boolean | undefined) {}
  attachMediaElement(): void { this.events.push('attach'); }
  load(): void {
    this.events.push('load');
    const loader = new FeedLoader(this.feed);
    loader.onDataArrival = (c) => this.bytes.push(...new Uint8Array(c));
    loader.open();
  }
  play(): Promise<void> { this.events.push('play'); return Promise.resolve(); }
  unload(): void { this.events.push('unload'); }
  detachMediaElement(): void { this.events.push('detach'); }
  destroy(): void { this.events.push('destroy'); }
  onError(fn: StubPlayer['errorFn']): void { this.errorFn = fn; }
}

function setup() {
  let id = 0;
  const api = new FakeApi().handle('preview', ({ path }) => ({ previewId: path ? ++id : null }));
  const players: StubPlayer[] = [];
  const create: CreatePreviewPlayer = (feed, opts) => {
    const p = new StubPlayer(feed, opts.hasAudio);
    players.push(p);
    return p;
  };
  const c = new PreviewController(api, create);
  c.attach(document.createElement('video'));
  return { api, players, c };
}

const target = (path: string, connectionId: number, over: Partial<PreviewTarget> = {}): PreviewTarget => ({ path, connectionId, live: true, playability: { ok: true }, ...over });
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('PreviewController', () => {
  let ctl: PreviewController | null = null;
  afterEach(() => ctl?.destroy());

  it('asks for the stream, feeds the player its media, and keeps it across re-renders', async () => {
    const { api, players, c } = setup();
    ctl = c;
    c.show(target('live/a', 1));
    await tick();
    api.emit('media', { previewId: 1, data: Uint8Array.from([0x46, 0x4c, 0x56]) });
    expect(players).toHaveLength(1);
    expect(players[0].events).toEqual(['attach', 'load', 'play']);
    expect(players[0].bytes).toEqual([0x46, 0x4c, 0x56]);
    expect(c.getView().kind).toBe('loading');
    expect(playerReadout.path).toBe('live/a');
    c.show(target('live/a', 1));
    expect(players).toHaveLength(1);
  });

  it('destroys the player and starts again on another stream or a new publisher', async () => {
    const { api, players, c } = setup();
    ctl = c;
    c.show(target('live/a', 1));
    c.show(target('live/b', 2));
    c.show(target('live/b', 3));
    await tick();
    expect(players).toHaveLength(3);
    expect(players[0].events.slice(-3)).toEqual(['unload', 'detach', 'destroy']);
    expect(api.requests('preview')).toEqual([{ path: 'live/a' }, { path: 'live/b' }, { path: 'live/b' }]);
    api.emit('media', { previewId: 1, data: Uint8Array.from([9]) });
    api.emit('media', { previewId: 3, data: Uint8Array.from([4]) });
    expect(players[2].bytes).toEqual([4]);
    expect(players[0].bytes).toEqual([]);
  });

  it('says the stream ended and keeps the last picture', async () => {
    const { api, players, c } = setup();
    ctl = c;
    c.show(target('live/a', 1));
    await tick();
    api.emit('preview-end', { previewId: 1, reason: 'publisher left' });
    expect(c.getView()).toMatchObject({ kind: 'ended', message: 'Stream ended: publisher left' });
    c.show(target('live/a', 1, { live: false, endedReason: 'FCUnpublish' }));
    expect(players[0].events).not.toContain('destroy');
  });

  it('does not start a player for a codec it cannot decode, and stops the host’s media', () => {
    const { api, players, c } = setup();
    ctl = c;
    c.show(target('live/hevc', 1, { playability: { ok: false, reason: 'This browser cannot decode HEVC' } }));
    expect(players).toHaveLength(0);
    expect(c.getView()).toMatchObject({ kind: 'unsupported', message: 'This browser cannot decode HEVC' });
    expect(api.requests('preview')).toEqual([{ path: null }]);
  });

  it('turns a decoding error of the player into an "unsupported" message', async () => {
    const { players, c } = setup();
    ctl = c;
    c.show(target('live/a', 1));
    players[0].errorFn?.('MediaError', 'MediaMSEError', { msg: 'addSourceBuffer failed' });
    expect(c.getView().kind).toBe('unsupported');
    expect(c.getView().message).toMatch(/cannot decode this stream/);
  });
});
