import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { opened, request, serveInProcess } from './ws-helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function page(url: string): Promise<WebSocket> {
  // No Origin header: any local process can connect to a loopback `intake serve` this way.
  const ws = new WebSocket(url);
  cleanups.push(() => ws.terminate());
  await opened(ws);
  return ws;
}

describe('what a page may change (issue 8: a client without Origin moved the listener to 0.0.0.0 and the folder to /etc)', () => {
  it('a page without the token cannot move the listener beyond loopback, nor the folder out of the one chosen at start', async () => {
    const s = await serveInProcess({ token: 'tok3n', tokenRequired: false }, cleanups);
    const ws = await page(s.wsUrl);
    for (const host of ['0.0.0.0', '::', '192.168.1.20']) {
      const r = await request(ws, 1, 'set-settings', { host });
      expect(r).toMatchObject({ ok: false, error: { code: 'bad-request', message: `listening on ${host}, beyond this machine, needs the token: open the URL with ?token= that intake serve printed` } });
    }
    const etc = await request(ws, 2, 'set-settings', { recordDir: '/etc' });
    expect(etc).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/^\/etc is outside the recording folder chosen at start/) } });
    const dotdot = await request(ws, 3, 'set-settings', { recordDir: path.join(s.dir, '..', '..', 'etc') });
    expect(dotdot).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(s.service.settings).toMatchObject({ host: '127.0.0.1', recordDir: s.dir });
    // What stays open to any page: loopback addresses, the port, auto-record, a folder inside the chosen one.
    expect(await request(ws, 4, 'set-settings', { host: '127.0.0.1', autoRecord: true, recordDir: path.join(s.dir, 'tonight') })).toMatchObject({ ok: true });
    expect(s.service.status.state).toBe('listening');
  });

  it('a page that presents the token may listen on the network', async () => {
    const s = await serveInProcess({ token: 'tok3n', tokenRequired: false }, cleanups);
    const wrong = await page(`${s.wsUrl}?token=nope`);
    expect(await request(wrong, 1, 'set-settings', { host: '0.0.0.0' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const ws = await page(`${s.wsUrl}?token=tok3n`);
    const r = await request(ws, 2, 'set-settings', { host: '0.0.0.0' });
    expect(r).toMatchObject({ ok: true, res: { settings: { host: '0.0.0.0' }, status: { state: 'listening', host: '0.0.0.0' } } });
  });
});
