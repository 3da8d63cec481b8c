import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { need } from '../support/tools.js';
import { ffmpegPublish } from '../e2e/publish-helpers.js';
import { opened, request, serveInProcess } from './ws-helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const LIMIT = 4 * 1024 * 1024;

/**
 * A client that sends `timeline` requests and never reads the replies once
 * drove `intake serve` to 2.5 GB (issue 8). Replies count against the same
 * bound as events: past it the client is dropped, with a log line.
 */
describe.skipIf(!need('ffmpeg'))('the WebSocket queue of one page is bounded, replies included', () => {
  it('drops a client that stops reading, and keeps one that reads', async () => {
    const s = await serveInProcess({ maxQueuedBytes: LIMIT }, cleanups);
    const pub = await ffmpegPublish(`rtmp://127.0.0.1:${s.rtmpPort}/live/q`, 300);
    expect(pub.code).toBe(0);
    const conn = s.service.snapshot().connections[0];
    const size = JSON.stringify(s.service.timeline({ connectionId: conn.info.connectionId })).length;
    expect(size).toBeGreaterThan(50_000);

    // A reader gets every answer: the bound costs a page that reads nothing.
    const reader = new WebSocket(s.wsUrl);
    cleanups.push(() => reader.terminate());
    await opened(reader);
    for (let i = 1; i <= 40; i++) expect((await request(reader, i, 'timeline', { connectionId: conn.info.connectionId })).ok).toBe(true);

    // A client that never reads: 400 replies would be 400 × the timeline queued in the server.
    const sleeper = new WebSocket(s.wsUrl);
    cleanups.push(() => sleeper.terminate());
    await opened(sleeper);
    sleeper.pause();
    const sent = Math.ceil((200 * 1024 * 1024) / size);
    let peak = 0;
    const sample = setInterval(() => {
      for (const c of s.server.clientsQueued()) peak = Math.max(peak, c);
    }, 5);
    for (let i = 1; i <= sent; i++) {
      sleeper.send(JSON.stringify({ id: i, name: 'timeline', arg: { connectionId: conn.info.connectionId } }));
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await expect.poll(() => s.logs.join('\n'), { timeout: 20_000 }).toMatch(/^warn: dropped UI client 127\.0\.0\.1:\d+: \d+ bytes queued for it, more than the 4194304-byte limit \(it stopped reading\)$/m);
    clearInterval(sample);
    // Dropped from the server's side: it no longer holds a queue for it. The reader is untouched.
    await expect.poll(() => s.server.clientsQueued().length).toBe(1);
    expect(peak).toBeLessThan(LIMIT + 2 * size);
    expect((await request(reader, 999, 'snapshot', null)).ok).toBe(true);
  });
});
