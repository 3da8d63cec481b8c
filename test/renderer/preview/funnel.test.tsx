import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MediaTag } from '../../../app/streams/media-tag.js';
import { PREVIEW_BACKLOG_LIMIT, PreviewFeed } from '../../../app/subscribers/preview-feed.js';
import { Funnel } from '../../../renderer/src/capture/Funnel.js';
import { FlvTagReader } from '../../../renderer/src/preview/flv-demux.js';
import type { MediaFeed } from '../../../renderer/src/preview/media-feed.js';
import { playerReadout, resetReadout } from '../../../renderer/src/preview/player-readout.js';
import { PreviewController } from '../../../renderer/src/preview/preview-controller.js';
import { previewFunnel } from '../../../renderer/src/preview/preview-funnel.js';
import type { RealtimePlayer } from '../../../renderer/src/preview/realtime-player.js';
import { FakeApi } from '../helpers/fake-api.js';
import { renderWith } from '../helpers/render.js';
import { T0, publish, stats } from '../helpers/payloads.js';

/** A real-time player stand-in: reads the feed's FLV like the real one, and decodes or drops a random share of what it holds when told. */
class SlowPlayer {
  readonly counts = { decoded: 0, dropped: 0, shownArrival: null as number | null };
  held = 0;
  private readonly reader = new FlvTagReader();
  constructor(private readonly feed: MediaFeed) {}
  player(): RealtimePlayer {
    return {
      counts: this.counts,
      audio: () => null,
      attachMediaElement: () => {},
      load: () => this.feed.attach({ data: (c) => (this.held += this.reader.push(new Uint8Array(c)).filter((t) => t.type === 9).length), end: () => {} }),
      play: () => {},
      unload: () => this.feed.detach(),
      detachMediaElement: () => {},
      destroy: () => {},
      onError: () => {},
    };
  }
  step(rand: () => number): void {
    const n = Math.floor(rand() * (this.held + 1));
    const drop = rand() < 0.2 ? Math.floor(n / 2) : 0;
    this.counts.decoded += n - drop;
    this.counts.dropped += drop;
    this.held -= n;
  }
}

/** mulberry32, as test/support/prng.ts (which this project's renderer tests cannot import). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const frame = (ts: number, key: boolean): MediaTag => ({ type: 9, timestamp: ts, body: Buffer.from([key ? 0x17 : 0x27, 1, 0, 0, 0, 0x65]), frame: true, keyframe: key, sequenceHeader: false });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const num = (id: string): number => Number(screen.getByTestId(id).textContent);

describe('the capture funnel of a preview session', () => {
  beforeEach(() => {
    // chooseEngine asks WebCodecs; jsdom has none, so a decoder that supports everything stands in.
    (globalThis as { VideoDecoder?: unknown }).VideoDecoder = { isConfigSupported: () => Promise.resolve({ supported: true }) };
  });
  afterEach(() => {
    cleanup();
    resetReadout(null);
    delete (globalThis as { VideoDecoder?: unknown }).VideoDecoder;
  });

  it('shows received ≥ forwarded ≥ decoded + dropped at every frame, from the host feed through a slow player, and says why they differ', async () => {
    const rand = prng(11);
    const api = new FakeApi().handle('preview', () => ({ previewId: 1 }));
    let backlog = 0;
    // The host's real preview subscriber, its batches delivered as the bridge delivers them.
    const feed = new PreviewFeed({ previewId: 1, flags: { audio: false, video: true }, send: (data, meta) => api.emit('media', { previewId: 1, data: new Uint8Array(data), ...meta }), backlog: () => backlog, ended: () => {} });
    let slow: SlowPlayer | null = null;
    const ctl = new PreviewController(api, () => { throw new Error('MSE not expected'); }, 'auto', (f) => (slow = new SlowPlayer(f)).player());
    ctl.attach(document.createElement('video'), document.createElement('canvas'));
    const { store } = renderWith(<Funnel path="live/a" stats={undefined} />);
    act(() => store.getState().applyBatch(publish('live/a', 1)));
    ctl.show({ path: 'live/a', connectionId: 1, live: true, playability: { ok: true }, videoCodec: 'avc1.64001f' });
    await sleep(10);
    expect(slow).not.toBeNull();

    let ts = 0;
    let checked = 0;
    for (let i = 0; i < 120; i++) {
      backlog = rand() < 0.1 ? PREVIEW_BACKLOG_LIMIT + 1 : 0; // now and then the page falls behind
      for (let k = Math.floor(rand() * 3); k >= 0; k--, ts += 33) feed.tag(frame(ts, ts % 990 === 0));
      slow!.step(rand);
      await sleep(5 + rand() * 15);
      const [received, forwarded, decoded, dropped] = ['funnel-preview-received', 'funnel-forwarded', 'funnel-decoded', 'funnel-dropped'].map(num);
      if (![received, forwarded, decoded, dropped].every(Number.isFinite)) continue;
      expect(received).toBeGreaterThanOrEqual(forwarded);
      expect(forwarded).toBeGreaterThanOrEqual(decoded + dropped);
      checked++;
    }
    expect(checked).toBeGreaterThan(80);
    expect(feed.droppedFrames).toBeGreaterThan(0);
    const notes = screen.getByTestId('funnel-notes').textContent ?? '';
    expect(notes).toMatch(/Intake skipped \d+ frames? to the next keyframe/);
    expect(notes).toMatch(/Preview started at [\d:]+ into the stream/);
    if (slow!.counts.dropped > 0) expect(notes).toMatch(/The player dropped \d+ frames?/);
    ctl.destroy();
    feed.close();
  });

  it('keeps the whole stream apart: its figures come from the stats, the preview’s from the player it plays', () => {
    const { store } = renderWith(<Funnel path="live/a" stats={stats('live/a', 1, 512, 512, { recordedVideoFrames: 500 })} />);
    act(() => store.getState().applyBatch(publish('live/a', 1)));
    expect(screen.getByTestId('funnel-received').textContent).toBe('512');
    expect(screen.getByTestId('funnel-recorded').textContent).toBe('500');
    expect(screen.getByTestId('funnel-forwarded').textContent).toBe('—'); // no preview: no preview figures, not 0
  });

  it('explains each difference in a sentence, and nothing when there is none', () => {
    resetReadout('live/a', T0 + 42_000);
    Object.assign(playerReadout, { offered: 100, forwarded: 96, decoded: 90, dropped: 4, droppedWhileHidden: 4 });
    const f = previewFunnel(playerReadout, 'live/a', T0)!;
    expect(f.notes).toEqual([
      'Preview started at 0:42 into the stream, from its last keyframe: it counts only frames from there on.',
      'Intake skipped 4 frames to the next keyframe while this page fell behind; the recording was not slowed.',
      '2 frames on the way through the player to the screen.',
      'The player dropped 4 frames (4 while the tab was hidden) to stay live.',
    ]);
    Object.assign(playerReadout, { offered: 100, forwarded: 100, decoded: 100, dropped: 0, droppedWhileHidden: 0 });
    expect(previewFunnel(playerReadout, 'live/a', undefined)!.notes).toEqual([]);
    expect(previewFunnel(playerReadout, 'live/b', T0)).toBeNull(); // another stream's funnel has no player figures
  });
});
