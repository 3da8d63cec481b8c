import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RtmpPublisher } from '../../app/client/publisher.js';
import { readFlvFile } from '../../app/flv/flv-reader.js';
import { IPC_CHANNELS, type UiBatch, type UiEvents } from '../../app/contract/index.js';
import { PREVIEW_BACKLOG_LIMIT } from '../../app/subscribers/preview-feed.js';
import { runIntake, type IntakeMain } from '../../main/lifecycle.js';
import { BrowserWindow, app, fakeIpcMain, resetFake } from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

/**
 * The whole glue with a real receiver: runIntake listening on a free port, a
 * real RTMP publisher, and the window's webContents.send calls counted.
 */

const AVC_HEADER = Buffer.from('1700000000014d401fffe1000a674d401fe88050045a1001000468ee3c80', 'hex');
const AAC_HEADER = Buffer.from('af001210', 'hex');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function videoFrame(i: number, size: number): Buffer {
  const f = Buffer.alloc(size, 0x11);
  f[0] = i % 30 === 0 ? 0x17 : 0x27;
  f[1] = 1;
  f.writeUIntBE(0, 2, 3);
  f.writeUInt32BE(size - 9, 5);
  return f;
}

let tmp: string;
let running: IntakeMain | null = null;

/** The app running, a publisher on live/glue, and the window previewing it. */
async function previewing(): Promise<{ win: BrowserWindow; pub: RtmpPublisher; since: number }> {
  app.paths.userData = path.join(tmp, 'user');
  app.paths.videos = path.join(tmp, 'videos');
  fs.mkdirSync(app.paths.userData);
  fs.writeFileSync(path.join(app.paths.userData, 'settings.json'), '{"port": 0}');
  running = await runIntake();
  const win = BrowserWindow.all[0];
  const pub = await RtmpPublisher.publish(`rtmp://127.0.0.1:${running!.service.status.port}/live/glue`, { chunkSize: 4096 });
  await pub.media(9, 0, AVC_HEADER);
  await pub.media(8, 0, AAC_HEADER);
  await vi.waitFor(() => expect(running!.service.snapshot().streams).toHaveLength(1));
  // Counted from before the request: the late-join start (the FLV header) goes ahead of its answer (PreviewFeed.flush).
  const since = win.webContents.sent.length;
  const r = await fakeIpcMain.invoke(IPC_CHANNELS.request, win.webContents.ipcEvent(), 'preview', { path: 'live/glue' });
  expect(r).toMatchObject({ ok: true, res: { previewId: 1 } });
  return { win, pub, since };
}

beforeEach(() => {
  resetFake();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-batch-'));
});
afterEach(async () => {
  await running?.service.close();
  running = null;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('events to the window while a stream flows', () => {
  it('go out as at most ~10 batches a second, and media in ~25 ms chunks rather than a send per tag', async () => {
    const { win, pub, since } = await previewing();
    const t0 = performance.now();
    let video = 0;
    let audio = 0;
    // Two seconds of a 30 fps video + 44.1 kHz AAC stream, paced by the clock.
    while (video < 60) {
      const ts = Math.round((video * 1000) / 30);
      while ((audio * 1024 * 1000) / 44100 <= ts) await pub.media(8, Math.round((audio++ * 1024 * 1000) / 44100), Buffer.from('af01aaaaaaaa', 'hex'));
      await pub.media(9, ts, videoFrame(video++, 4000));
      const wait = t0 + ts - performance.now();
      if (wait > 0) await sleep(wait);
    }
    await sleep(300);
    const sends = win.webContents.sent.slice(since).filter((s) => s.channel === IPC_CHANNELS.event);
    const batches = sends.filter((s) => s.args[0] === 'batch');
    const media = sends.filter((s) => s.args[0] === 'media');
    const perSecond = Math.max(...batches.map((b) => batches.filter((o) => o.at >= b.at && o.at < b.at + 1000).length));
    const tags = video + audio;
    const timeline = batches.reduce((n, b) => n + (b.args[1] as UiBatch).messages.length, 0);
    const gaps = media.slice(1).map((m, i) => m.at - media[i].at).sort((a, b) => a - b);
    console.log(`batching: ${batches.length} batch sends in ${((performance.now() - t0) / 1000).toFixed(1)} s (max ${perSecond} in any second) carrying ${timeline} timeline entries; ${media.length} media sends for ${tags} tags, median gap ${gaps[gaps.length >> 1].toFixed(1)} ms`);
    expect(perSecond).toBeLessThanOrEqual(11);
    expect(batches.length).toBeGreaterThanOrEqual(12);
    expect(timeline).toBeGreaterThanOrEqual(tags);
    expect(media.length).toBeLessThan(tags / 2);
    expect(media.length).toBeGreaterThanOrEqual(30); // flowing all along, not saved up
    expect(gaps[gaps.length >> 1]).toBeGreaterThanOrEqual(15);
    // The chunks join into one FLV stream holding every frame, in order.
    const flv = Buffer.concat(media.map((m) => (m.args[1] as UiEvents['media']).data));
    const { tags: got, truncatedTail } = readFlvFile(flv);
    expect(truncatedTail).toBe(0);
    expect(got.filter((t) => t.type === 9 && t.body[1] === 1).map((t) => t.timestamp)).toEqual(Array.from({ length: 60 }, (_, i) => Math.round((i * 1000) / 30)));
    await pub.unpublish('glue');
  });

  it('drop preview frames for a page that stops acknowledging media, instead of queueing without bound', async () => {
    const { win, pub, since } = await previewing();
    const frame = (i: number): Buffer => videoFrame(i, 200_000);
    // 20 MB as fast as the socket takes it; nothing is acknowledged (a hung page).
    for (let i = 0; i < 100; i++) await pub.media(9, i * 33, frame(i));
    await sleep(300);
    const media = win.webContents.sent.slice(since).filter((s) => s.args[0] === 'media');
    const sentBytes = media.reduce((n, m) => n + (m.args[1] as UiEvents['media']).data.byteLength, 0);
    const largest = Math.max(...media.map((m) => (m.args[1] as UiEvents['media']).data.byteLength));
    console.log(`stalled page: ${(sentBytes / 1e6).toFixed(1)} MB sent of 20 MB published (largest chunk ${(largest / 1e6).toFixed(1)} MB)`);
    // Sending stops once the unacknowledged bytes pass the limit; the send that crossed it is the most over.
    expect(sentBytes).toBeLessThanOrEqual(PREVIEW_BACKLOG_LIMIT + largest);
    expect(sentBytes).toBeLessThan(16_000_000);
    // Once the page catches up, the preview resumes (at the next keyframe).
    fakeIpcMain.emit(IPC_CHANNELS.mediaAck, win.webContents.ipcEvent(), sentBytes);
    for (let i = 100; i < 160; i++) await pub.media(9, i * 33, frame(i));
    await sleep(300);
    const later = win.webContents.sent.slice(since + media.length).filter((s) => s.args[0] === 'media');
    expect(later.length).toBeGreaterThan(0);
    await pub.unpublish('glue');
  });
});
