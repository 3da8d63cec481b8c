import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { IntakeService } from '../../app/host/service.js';
import { WebServer, mediaFrame } from '../../app/host/web-server.js';
import { MEDIA_HEADER_BYTES, WS_CLOSE_UNAUTHORIZED } from '../../app/contract/wire.js';
import { tempDir } from '../e2e/publish-helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serve(token: string | null = null) {
  const tmp = tempDir('web');
  fs.writeFileSync(path.join(tmp.dir, 'index.html'), '<!doctype html><title>t</title>');
  fs.mkdirSync(path.join(tmp.dir, 'assets'));
  fs.writeFileSync(path.join(tmp.dir, 'assets', 'a.js'), 'console.log(1)');
  const service = new IntakeService({
    settings: { host: '127.0.0.1', port: 0, recordDir: tmp.dir, autoRecord: false },
    host: { transport: 'websocket', version: 'test', canOpenFolder: false },
  });
  await service.start();
  const web = new WebServer({ service, host: '127.0.0.1', port: 0, token, rendererDir: tmp.dir });
  const addr = await web.start();
  cleanups.push(async () => {
    await web.stop();
    await service.close();
    tmp.remove();
  });
  return { base: `http://127.0.0.1:${addr.port}`, ws: `ws://127.0.0.1:${addr.port}/ws`, web, service };
}

function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
}

function request(ws: WebSocket, id: number, name: string, arg: unknown): Promise<{ id: number; ok: boolean; res?: unknown; error?: { code: string } }> {
  return new Promise((resolve) => {
    const onMsg = (data: WebSocket.RawData, binary: boolean): void => {
      if (binary) return;
      const f = JSON.parse(String(data)) as { id?: number };
      if (f.id === id) {
        ws.off('message', onMsg);
        resolve(f as never);
      }
    };
    ws.on('message', onMsg);
    ws.send(JSON.stringify({ id, name, arg }));
  });
}

describe('intake serve: HTTP', () => {
  it('serves the renderer with a strict CSP and nothing outside it', async () => {
    const { base } = await serve();
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(index.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self'/);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${base}/assets/a.js`)).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${base}/..%2f..%2fpackage.json`)).status).toBe(403);
    expect((await fetch(`${base}/nope.js`)).status).toBe(404);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });
});

describe('intake serve: the WebSocket contract', () => {
  it('answers requests by id, with error codes', async () => {
    const { ws: url } = await serve();
    const ws = new WebSocket(url);
    cleanups.push(() => ws.terminate());
    await opened(ws);
    const snap = await request(ws, 1, 'snapshot', null);
    expect(snap.ok).toBe(true);
    expect(snap.res).toMatchObject({ host: { transport: 'websocket' }, status: { state: 'listening' }, streams: [] });
    const bad = await request(ws, 2, 'preview', { path: 'live/missing' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('refuses a page from another origin, and a DNS-rebound host name', async () => {
    const { ws: url } = await serve();
    const foreign = new WebSocket(url, { origin: 'http://evil.example' });
    await expect(opened(foreign)).rejects.toThrow(/403/);
    const rebound = new WebSocket(url, { headers: { host: 'evil.example:80' }, origin: 'http://evil.example:80' });
    await expect(opened(rebound)).rejects.toThrow(/403/);
    const own = new WebSocket(url, { origin: url.replace('ws:', 'http:').replace('/ws', '') });
    cleanups.push(() => own.terminate());
    await opened(own);
  });

  it('requires the token when one is set', async () => {
    const { ws: url, web } = await serve('s3cret-token');
    expect(web.url).toMatch(/\?token=s3cret-token$/);
    const without = new WebSocket(url);
    const code = await new Promise<number>((resolve) => without.once('close', (c) => resolve(c)));
    expect(code).toBe(WS_CLOSE_UNAUTHORIZED);
    const wrong = new WebSocket(`${url}?token=s3cret-tokem`);
    expect(await new Promise<number>((resolve) => wrong.once('close', (c) => resolve(c)))).toBe(WS_CLOSE_UNAUTHORIZED);
    const right = new WebSocket(`${url}?token=s3cret-token`);
    cleanups.push(() => right.terminate());
    await opened(right);
    expect((await request(right, 1, 'snapshot', null)).ok).toBe(true);
  });

  it('closes a socket that sends something other than a request', async () => {
    const { ws: url } = await serve();
    const ws = new WebSocket(url);
    await opened(ws);
    ws.send('{not json');
    expect(await new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)))).toBe(1003);
  });
});

describe('intake serve: media frames', () => {
  it('sends a preview batch as the buffer it already sits in, header included, without a copy', () => {
    const batch = Buffer.allocUnsafeSlow(MEDIA_HEADER_BYTES + 5);
    batch.writeUInt32BE(77, 0);
    batch.writeDoubleBE(1000.25, 4);
    batch.writeUInt32BE(5, 12);
    batch.writeUInt32BE(4, 16);
    batch.write('FLV..', MEDIA_HEADER_BYTES, 'latin1');
    const frame = mediaFrame(77, batch.subarray(MEDIA_HEADER_BYTES));
    expect(frame.buffer).toBe(batch.buffer);
    expect(frame.byteOffset).toBe(0);
    expect(frame.length).toBe(MEDIA_HEADER_BYTES + 5);
    expect(frame.readDoubleBE(4)).toBe(1000.25);
  });

  it('copies any other chunk behind a new header', () => {
    const pooled = Buffer.from('FLV bytes'); // a view into Node's shared pool: the bytes before it are not ours
    const frame = mediaFrame(3, pooled, { arrivedAt: 42, offered: 9, forwarded: 8 });
    expect(frame.byteOffset).not.toBe(pooled.byteOffset - MEDIA_HEADER_BYTES);
    expect(frame.readUInt32BE(0)).toBe(3);
    expect(frame.readDoubleBE(4)).toBe(42);
    expect([frame.readUInt32BE(12), frame.readUInt32BE(16)]).toEqual([9, 8]);
    expect(frame.subarray(MEDIA_HEADER_BYTES).toString()).toBe('FLV bytes');
    const atStart = new Uint8Array([1, 2, 3]);
    const noTime = mediaFrame(5, atStart);
    expect([...noTime.subarray(0, 4), ...noTime.subarray(MEDIA_HEADER_BYTES)]).toEqual([0, 0, 0, 5, 1, 2, 3]);
    expect(noTime.readDoubleBE(4)).toBeNaN();
    const wrongId = Buffer.alloc(MEDIA_HEADER_BYTES + 1);
    wrongId.writeUInt32BE(8, 0);
    wrongId[MEDIA_HEADER_BYTES] = 0x46;
    const rewritten = mediaFrame(7, wrongId.subarray(MEDIA_HEADER_BYTES));
    expect(rewritten.readUInt32BE(0)).toBe(7);
    expect([...rewritten.subarray(MEDIA_HEADER_BYTES)]).toEqual([0x46]);
  });
});
