import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
  readonly counts = { decoded: 0, dropped: 0, unpainted: 0, shownArrival: null as number | null };
  held = 0;
  private readonly reader = new FlvTagReader();
  constructor(private readonly feed: MediaFeed) {}
  player(): RealtimePlayer {
    return {
      counts: this.counts,
      audio: () => null,
      pictureMediaMs: () => null,
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

/** One FLV video tag (H.264 NALU packet) with its PreviousTagSize. */
function flvTag(ts: number, key: boolean): number[] {
  const body = [key ? 0x17 : 0x27, 1, 0, 0, 0, 0x65];
  const size = 11 + body.length;
  return [9, 0, 0, body.length, (ts >> 16) & 0xff, (ts >> 8) & 0xff, ts & 0xff, (ts >>> 24) & 0xff, 0, 0, 0, ...body, 0, 0, 0, size];
}

/**
 * The host's side as the engine's PreviewFeed does it (test/subscribers has
 * its own tests; the renderer's may not import the engine): every frame is
 * offered; a batch flushed while the page is behind is dropped and the feed
 * waits for a keyframe; each sent chunk carries both counts.
 */
class Host {
  offered = 0;
  forwarded = 0;
  skipped = 0;
  private pending: number[] = [];
  private pendingFrames = 0;
  private header = true;
  private waitKey = false;
  constructor(private readonly send: (data: Uint8Array, meta: { arrivedAt: number; offered: number; forwarded: number }) => void) {}
  frame(ts: number, key: boolean): void {
    this.offered++;
    if (this.waitKey && !key) return void this.skipped++;
    this.waitKey = false;
    this.pending.push(...flvTag(ts, key));
    this.pendingFrames++;
  }
  flush(behind: boolean): void {
    if (this.pendingFrames === 0) return;
    if (behind) {
      this.skipped += this.pendingFrames;
      this.waitKey = true;
    } else {
      this.forwarded += this.pendingFrames;
      const head = this.header ? [0x46, 0x4c, 0x56, 1, 1, 0, 0, 0, 9, 0, 0, 0, 0] : [];
      this.header = false;
      this.send(Uint8Array.from([...head, ...this.pending]), { arrivedAt: Date.now(), offered: this.offered, forwarded: this.forwarded });
    }
    this.pending = [];
    this.pendingFrames = 0;
  }
}
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

  it('shows received ≥ forwarded ≥ decoded + dropped at every frame, from host chunks through a slow player, and says why they differ', async () => {
    const rand = prng(11);
    const api = new FakeApi().handle('preview', () => ({ previewId: 1 }));
    const host = new Host((data, meta) => api.emit('media', { previewId: 1, data, ...meta }));
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
      for (let k = Math.floor(rand() * 3); k >= 0; k--, ts += 33) host.frame(ts, ts % 990 === 0);
      host.flush(i > 0 && rand() < 0.1); // now and then the page falls behind
      slow!.step(rand);
      await sleep(5 + rand() * 15);
      const [received, forwarded, decoded, dropped] = ['funnel-preview-received', 'funnel-forwarded', 'funnel-decoded', 'funnel-dropped'].map(num);
      if (![received, forwarded, decoded, dropped].every(Number.isFinite)) continue;
      expect(received).toBeGreaterThanOrEqual(forwarded);
      expect(forwarded).toBeGreaterThanOrEqual(decoded + dropped);
      checked++;
    }
    expect(checked).toBeGreaterThan(80);
    expect(host.skipped).toBeGreaterThan(0);
    const notes = screen.getByTestId('funnel-notes').textContent ?? '';
    expect(notes).toMatch(/Intake skipped \d+ frames? to the next keyframe/);
    expect(notes).toMatch(/Preview started at [\d:]+ into the stream/);
    if (slow!.counts.dropped > 0) expect(notes).toMatch(/The player dropped \d+ frames?/);
    ctl.destroy();
  });

  it('never shows the whole stream below the preview: stats older than the preview’s count give way to it', async () => {
    const { store, rerender } = renderWith(<Funnel path="live/a" stats={stats('live/a', 1, 30, 30)} />);
    act(() => store.getState().applyBatch(publish('live/a', 1)));
    expect(num('funnel-received')).toBe(30);
    // The preview has counted 45 frames of this stream since it began; the stats (twice a second) still say 30.
    resetReadout('live/a');
    playerReadout.offered = 45;
    playerReadout.forwarded = 45;
    await act(() => sleep(50));
    expect(num('funnel-preview-received')).toBe(45);
    expect(num('funnel-received')).toBe(45);
    // Newer stats, ahead of the preview again: their figure.
    rerender(<Funnel path="live/a" stats={stats('live/a', 1, 60, 60)} />);
    expect(num('funnel-received')).toBe(60);
    // Another stream's preview says nothing about this one.
    resetReadout('live/b');
    playerReadout.offered = 500;
    rerender(<Funnel path="live/a" stats={stats('live/a', 1, 61, 61)} />);
    await act(() => sleep(50));
    expect(num('funnel-received')).toBe(61);
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
