import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { UI_REQUESTS } from '../../app/contract/ui.js';
import { ffmpegPublish } from '../e2e/publish-helpers.js';
import { getStatus, rawRequest, serveChild } from '../host/serve-child.js';
import { opened, request } from '../host/ws-helpers.js';
import { prng } from '../support/prng.js';
import { need } from '../support/tools.js';
import { frame, rawWs } from './raw-ws.js';

/** FUZZ_SEED=n reproduces a failing run; the default keeps `check` deterministic. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const HTTP_REQUESTS = 300;
const WS_CONNECTIONS = 48;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Rand = () => number;
const int = (r: Rand, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

const PIECES = ['', 'index.html', 'assets', 'ws', '..', '.', '%00', '%ff', '%2e%2e', '%2f', '%', '%zz', 'é', '\u0000', '%c0%af', '?token=x', '#f', '/', '\\', 'a'.repeat(300), '%E2%80%AE'];

/** A random string: ASCII, non-ASCII, NUL, lone surrogates, sometimes long. */
function str(r: Rand): string {
  const n = r() < 0.05 ? 20_000 + int(r, 200_000) : int(r, 24);
  let s = '';
  for (let i = 0; i < Math.min(n, 64); i++) s += pick(r, ['a', '/', '.', ' ', '\0', 'é', '\ud800', '💥', '"', '\\', '0', '-', 'live', '__proto__']);
  return n > 64 ? s + 'x'.repeat(n) : s;
}

/** A random JSON value, nested up to `depth`. */
function json(r: Rand, depth = 3): unknown {
  switch (int(r, depth > 0 ? 9 : 6)) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return pick(r, [0, -1, 1935, 65535, 65536, Infinity, -0, 2 ** 53, 0.5, Number.MAX_VALUE]);
    case 3: return str(r);
    case 4: return int(r, 2000);
    case 5: return undefined;
    case 6: return Array.from({ length: int(r, 5) }, () => json(r, depth - 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = int(r, 5); i > 0; i--) o[pick(r, ['path', 'connectionId', 'url', 'port', 'host', 'recordDir', 'autoRecord', '__proto__', 'constructor', str(r)])] = json(r, depth - 1);
      return o;
    }
  }
}

function httpRequest(r: Rand): { bytes: Buffer; complete: boolean } {
  const method = pick(r, ['GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'BREW', 'G\0T', 'get']);
  let path = '/' + Array.from({ length: 1 + int(r, 4) }, () => pick(r, PIECES)).join(pick(r, ['/', '/', '']));
  if (r() < 0.05) path = pick(r, ['//', '*', 'http://evil/', '/ws', '/ws?token=%00', '']);
  if (r() < 0.03) path += 'p'.repeat(70_000);
  const version = r() < 0.93 ? 'HTTP/1.1' : pick(r, ['HTTP/1.0', 'HTTP/9.9', 'FOO', '']);
  const headers: string[] = [];
  if (r() < 0.9) headers.push(`Host: ${pick(r, ['127.0.0.1', 'evil.example', '', '[::1]:1', 'a'.repeat(300)])}`);
  for (let i = int(r, 4); i > 0; i--) {
    const name = pick(r, ['Origin', 'Upgrade', 'Connection', 'Accept', 'X-Fuzz', 'Cookie', 'Sec-WebSocket-Key', 'Sec-WebSocket-Version', 'Te st']);
    const value = pick(r, ['websocket', 'Upgrade', 'http://evil', '13', 'dGhlIHNhbXBsZSBub25jZQ==', str(r).slice(0, 200)]);
    headers.push(`${name}: ${value}`);
  }
  if (r() < 0.03) headers.push(`X-Huge: ${'h'.repeat(20_000)}`);
  let body = Buffer.alloc(0);
  if (r() < 0.1) {
    body = Buffer.from(str(r).slice(0, 500));
    headers.push(`Content-Length: ${body.length}`);
  }
  const head = Buffer.from(`${method} ${path} ${version}\r\n${headers.join('\r\n')}\r\n\r\n`);
  // Raw bytes no text holds: invalid UTF-8 in the request line.
  const raw = r() < 0.05 ? Buffer.concat([Buffer.from('GET /'), Buffer.from([0xff, 0xfe, 0xc0, 0x80]), Buffer.from(' HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')]) : Buffer.concat([head, body]);
  if (r() < 0.1) return { bytes: raw.subarray(0, int(r, raw.length)), complete: false };
  return { bytes: raw, complete: true };
}

/** The frame that ends a fuzzed WebSocket: each must get a close with a code. */
function hostileFrame(r: Rand): { bytes: Buffer; truncated?: boolean } {
  switch (int(r, 11)) {
    case 0: return { bytes: frame(1, Buffer.from(pick(r, ['{not json', '[]', 'null', '{"id":"1","name":"snapshot"}', '{"id":1}', '"x"', '']))) };
    case 1: return { bytes: frame(1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])) }; // invalid UTF-8 in a text frame
    case 2: return { bytes: frame(2, Buffer.from(str(r).slice(0, 100))) }; // binary: requests are text
    case 3: return { bytes: frame(1, Buffer.from('{}'), { rsv: 1 + int(r, 7) }) };
    case 4: return { bytes: frame(1, Buffer.from('{}'), { mask: false }) };
    case 5: return { bytes: frame(1, Buffer.alloc(0), { declared: 2 * 1024 * 1024 + int(r, 1 << 30) }) }; // huge
    case 6: return { bytes: frame(1, Buffer.from('x'.repeat(50)), { declared: 100 }).subarray(0, 30), truncated: true };
    case 7: return { bytes: frame(0, Buffer.from('x')) }; // a continuation with nothing to continue
    case 8: return { bytes: frame(3 + int(r, 5), Buffer.from('x')) }; // reserved opcodes
    case 9: return { bytes: frame(8, Buffer.from([int(r, 256), int(r, 256)])) }; // close, any code
    default: return { bytes: frame(1, Buffer.from(JSON.stringify({ id: 1, name: 'snapshot', arg: 'x'.repeat(1_100_000) }))) }; // over maxPayload
  }
}

describe.skipIf(!need('ffmpeg'))('fuzz: the HTTP and WebSocket surface of intake serve', () => {
  it(`answers every request, and stays up (seed ${SEED}; FUZZ_SEED=n to try another)`, async () => {
    const r = prng(SEED);
    const s = await serveChild();
    cleanups.push(() => s.stop());
    const t0 = performance.now();

    const http = Array.from({ length: HTTP_REQUESTS }, () => httpRequest(r));
    for (let i = 0; i < http.length; i += 10) {
      const batch = http.slice(i, i + 10);
      const got = await Promise.all(batch.map((q) => rawRequest(s.httpPort, q.bytes, 5000, { end: !q.complete })));
      got.forEach((status, j) => {
        const q = batch[j];
        const what = `seed ${SEED}, HTTP request ${i + j}: ${JSON.stringify(q.bytes.subarray(0, 160).toString('latin1'))}`;
        if (q.complete) expect(status, what).toBeGreaterThanOrEqual(100);
      });
      expect(s.intake.proc.exitCode, s.intake.output()).toBeNull();
    }
    const httpMs = performance.now() - t0;

    for (let c = 0; c < WS_CONNECTIONS; c++) {
      const origin = r() < 0.15 ? [`Origin: ${pick(r, ['http://evil.example', 'null', `http://127.0.0.1:${s.httpPort}`])}`] : [];
      const up = await rawWs(s.httpPort, pick(r, ['/ws', '/ws', '/ws', '/ws?token=x', '/ws/', '/WS']), origin);
      const what = `seed ${SEED}, WebSocket ${c}`;
      expect(up.status, what).toBeGreaterThanOrEqual(100);
      if (!up.ws) continue;
      const ws = up.ws;
      const ids: number[] = [];
      for (let i = int(r, 8); i > 0; i--) {
        const id = 1 + int(r, 1e9);
        ids.push(id);
        const name = r() < 0.8 ? pick(r, UI_REQUESTS) : pick(r, ['', 'constructor', '__proto__', 'toString', str(r).slice(0, 50)]);
        ws.send(frame(1, Buffer.from(JSON.stringify({ id, name, arg: json(r) }) ?? 'null')));
      }
      const last = r() < 0.7 ? hostileFrame(r) : null;
      const answered = (): boolean => ids.every((id) => ws.texts.some((t) => t.startsWith(`{"id":${id},`)));
      await expect.poll(answered, { timeout: 10_000, message: `${what}: a reply to each of ${ids.join(', ')}` }).toBe(true);
      if (last) {
        ws.send(last.bytes);
        if (last.truncated) ws.end();
        else await expect.poll(() => ws.closeCode(), { timeout: 5000, message: `${what}: a close with a code after ${last.bytes.subarray(0, 12).toString('hex')}` }).not.toBeNull();
      }
      ws.end();
      expect(s.intake.proc.exitCode, s.intake.output()).toBeNull();
    }

    // Still up: the page, a WebSocket request, and a real publish on whatever port the fuzz left it.
    expect(await getStatus(s.httpPort, '/')).toBe(200);
    const ws = new WebSocket(`ws://127.0.0.1:${s.httpPort}/ws`);
    cleanups.push(() => ws.terminate());
    await opened(ws);
    const snap = (await request(ws, 1, 'snapshot', null)) as { res: { status: { port: number; state: string } } };
    expect(snap.res.status.state).toBe('listening');
    const pub = await ffmpegPublish(`rtmp://127.0.0.1:${snap.res.status.port}/live/after-fuzz`, 30);
    expect(pub.code, pub.log).toBe(0);
    expect(s.intake.proc.exitCode).toBeNull();
    console.log(`web fuzz (seed ${SEED}): ${HTTP_REQUESTS} HTTP requests in ${Math.round(httpMs)} ms, ${WS_CONNECTIONS} WebSockets, ${Math.round(performance.now() - t0)} ms in all`);
  });
});
