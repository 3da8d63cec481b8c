/**
 * Debian's Chromium plays MP4 recordings in a `<video>` element to the end
 * (currentTime reaches the duration the file states): an H.264/AAC stream
 * from ffmpeg, and an AV1 stream sent with `intake push`.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingInfo } from '../../app/contract/engine.js';
import { Engine } from '../../app/engine.js';
import { tempDir } from '../e2e/publish-helpers.js';
import { CHROMIUM, launchChromium } from '../support/browser.js';
import { INTAKE_BIN, run } from '../support/cli.js';
import { need } from '../support/tools.js';
import { ffmpegBframes } from './publish.js';

/** Serves files of `dir` with byte ranges, as a player asks for them. */
function serve(dir: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const file = path.join(dir, path.basename(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!fs.existsSync(file)) return void res.writeHead(404).end();
    const size = fs.statSync(file).size;
    const m = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    const end = m && m[2] ? Number(m[2]) : size - 1;
    res.writeHead(m ? 206 : 200, { 'content-type': 'video/mp4', 'accept-ranges': 'bytes', 'content-length': end - start + 1, ...(m ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}) });
    fs.createReadStream(file, { start, end }).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Records one publish into `dir` as MP4; `publish` gets the URL. */
async function recordMp4(dir: string, publish: (url: string) => Promise<unknown>): Promise<RecordingInfo> {
  const engine = new Engine({ port: 0, recordDir: dir, autoRecord: true, recordFormat: 'mp4' });
  const done = new Promise<RecordingInfo>((resolve) => engine.on('recording', (r) => r.state !== 'recording' && resolve(r)));
  try {
    const { port } = await engine.start();
    await publish(`rtmp://127.0.0.1:${port}/live/play`);
    return await done;
  } finally {
    await engine.stop();
  }
}

describe.skipIf(!need('ffmpeg', CHROMIUM))('Chromium plays MP4 recordings to the end', () => {
  const tmp = tempDir('rec-play');
  let server: http.Server;
  let close: (() => Promise<void>) | undefined;
  let page: Page;
  beforeAll(async () => {
    server = await serve(tmp.dir);
    const b = await launchChromium();
    close = b.close;
    page = await b.context.newPage();
  });
  afterAll(async () => {
    await close?.();
    server?.close();
    tmp.remove();
  });

  /** Plays `file` (muted) and resolves with the element's duration and where it stopped. */
  async function play(file: string): Promise<{ duration: number; currentTime: number; ended: boolean; error: string | null }> {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${path.basename(file)}`;
    await page.setContent('<video muted playsinline></video>');
    return page.evaluate(
      (src) =>
        new Promise<{ duration: number; currentTime: number; ended: boolean; error: string | null }>((resolve) => {
          const v = document.querySelector('video')!;
          const result = (): void => resolve({ duration: v.duration, currentTime: v.currentTime, ended: v.ended, error: v.error ? `${v.error.code} ${v.error.message}` : null });
          v.onended = result;
          v.onerror = result;
          setTimeout(result, 20_000);
          v.src = src;
          void v.play().catch(() => undefined);
        }),
      url,
    );
  }

  it('H.264 (B-frames) + AAC from ffmpeg', async () => {
    const rec = await recordMp4(tmp.dir, (url) => ffmpegBframes(url, 60));
    const r = await play(rec.file);
    expect(r.error).toBeNull();
    expect(r.ended).toBe(true);
    expect(r.duration).toBeGreaterThan(1.9);
    expect(r.duration).toBeLessThan(2.2);
    expect(r.currentTime).toBeCloseTo(r.duration, 2);
  }, 40_000);

  it('AV1 sent with intake push', async () => {
    const src = path.join(tmp.dir, 'av1-src.mkv');
    const enc = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=2', '-c:v', 'libaom-av1', '-cpu-used', '8', '-b:v', '200k', '-pix_fmt', 'yuv420p', src]);
    expect(enc.code, enc.stderr).toBe(0);
    const rec = await recordMp4(tmp.dir, (url) => run(process.execPath, [INTAKE_BIN, 'push', src, url]));
    const r = await play(rec.file);
    expect(r.error).toBeNull();
    expect(r.ended).toBe(true);
    expect(r.duration).toBeGreaterThan(1.9);
    expect(r.duration).toBeLessThan(2.2);
    expect(r.currentTime).toBeCloseTo(r.duration, 2);
  }, 40_000);
});
