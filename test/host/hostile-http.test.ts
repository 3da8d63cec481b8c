import { afterEach, describe, expect, it } from 'vitest';
import { getStatus, rawRequest, serveChild } from './serve-child.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * Requests that once killed `intake serve` (issue 8): each gets a status of
 * its own, and the server keeps answering.
 */
describe('intake serve: a hostile HTTP request fails alone', () => {
  it('a NUL in the path is a 400, not a crash', async () => {
    const s = await serveChild();
    cleanups.push(() => s.stop());
    expect(await rawRequest(s.httpPort, 'GET /%00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')).toBe(400);
    expect(await rawRequest(s.httpPort, 'GET /assets/%00.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')).toBe(400);
    expect(await getStatus(s.httpPort, '/')).toBe(200);
    expect(s.intake.proc.exitCode).toBeNull();
  });

  it('an upgrade to a path that is not a URL is refused, not a crash', async () => {
    const s = await serveChild();
    cleanups.push(() => s.stop());
    const upgrade = (path: string): string =>
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;
    expect(await rawRequest(s.httpPort, upgrade('//'))).toBe(400);
    expect(await rawRequest(s.httpPort, upgrade('//a:99999/ws'))).toBe(400);
    expect(await rawRequest(s.httpPort, 'GET // HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')).toBe(400);
    expect(await getStatus(s.httpPort, '/')).toBe(200);
    expect(s.intake.proc.exitCode).toBeNull();
  });
});
