import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IntakeApi } from '../../../app/contract/ui.js';
import { WS_CLOSE_UNAUTHORIZED } from '../../../app/contract/wire.js';
import { withHostErrors } from '../../../renderer/src/bridge/index.js';
import { HostError, type LinkState, QUEUED_REQUESTS_MAX, WsClient } from '../../../renderer/src/bridge/ws-client.js';

/** A WebSocket stand-in: records what the client sends and lets the test play the host. */
class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  binaryType = 'blob';
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(s: string): void {
    this.sent.push(s);
  }
  close(): void {
    this.drop(1000);
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  drop(code: number): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  reply(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

function client(token: string | null = null) {
  FakeSocket.all = [];
  const c = new WsClient({ url: 'ws://127.0.0.1:8080/ws', token, reconnectMs: 10, heartbeatMs: 1000, timeoutMs: 3000, WebSocketImpl: FakeSocket as unknown as typeof WebSocket });
  return { c, sock: () => FakeSocket.all[FakeSocket.all.length - 1] };
}

afterEach(() => vi.useRealTimers());

describe('WsClient (the browser-mode bridge)', () => {
  it('sends what was asked before the open ahead of what the open\'s listeners ask (the early preview before the snapshot)', () => {
    const { c, sock } = client();
    void c.request('preview', { path: 'live/x' }).catch(() => {});
    c.onLink((state) => {
      if (state === 'open') void c.request('snapshot', undefined).catch(() => {});
    });
    sock().open();
    expect(sock().sent.map((s) => (JSON.parse(s) as { name: string }).name)).toEqual(['preview', 'snapshot']);
  });

  it('queues requests until open, then matches responses by id', async () => {
    const { c, sock } = client('tok');
    expect(sock().url).toBe('ws://127.0.0.1:8080/ws?token=tok');
    expect(sock().binaryType).toBe('arraybuffer');
    const a = c.request('snapshot', undefined);
    const b = c.request('preview', { path: 'live/x' });
    expect(sock().sent).toEqual([]);
    sock().open();
    const sent = sock().sent.map((s) => JSON.parse(s) as { id: number; name: string; arg: unknown });
    expect(sent.map((f) => f.name)).toEqual(['snapshot', 'preview']);
    sock().reply({ id: sent[1].id, ok: false, error: { code: 'not-found', message: 'no live stream live/x' } });
    sock().reply({ id: sent[0].id, ok: true, res: { hello: 1 } });
    await expect(a).resolves.toEqual({ hello: 1 });
    const err = await b.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect(err).toMatchObject({ code: 'not-found', message: 'no live stream live/x' });
  });

  it('bounds the requests that wait for a host not yet reached: past the bound they fail at once, the queued ones go out on open', async () => {
    const { c, sock } = client();
    const waiting = Array.from({ length: QUEUED_REQUESTS_MAX }, () => c.request('ping', undefined));
    const over = await c.request('snapshot', undefined).catch((e: unknown) => e);
    expect(over).toBeInstanceOf(HostError);
    expect(over).toMatchObject({ code: 'disconnected', message: expect.stringContaining(`${QUEUED_REQUESTS_MAX} requests already wait`) });
    sock().open();
    expect(sock().sent).toHaveLength(QUEUED_REQUESTS_MAX);
    for (const f of sock().sent.map((t) => JSON.parse(t) as { id: number })) sock().reply({ id: f.id, ok: true, res: null });
    await expect(Promise.all(waiting)).resolves.toHaveLength(QUEUED_REQUESTS_MAX);
    // Once open, requests are sent at once, however many.
    void c.request('snapshot', undefined);
    expect(sock().sent).toHaveLength(QUEUED_REQUESTS_MAX + 1);
  });

  it('delivers JSON events and binary media (preview id, arrival time, offered and forwarded counts, then FLV bytes) to listeners until unsubscribed', () => {
    const { c, sock } = client();
    sock().open();
    const batches: unknown[] = [];
    const media: { previewId: number; arrivedAt?: number; offered?: number; forwarded?: number; data: number[] }[] = [];
    const off = c.on('batch', (b) => batches.push(b));
    c.on('media', (m) => media.push({ previewId: m.previewId, arrivedAt: m.arrivedAt, offered: m.offered, forwarded: m.forwarded, data: [...m.data] }));
    sock().reply({ event: 'batch', payload: { n: 1 } });
    // id 258; 1000.0 as a big-endian float64; offered 300; forwarded 290; 'FLV'
    const frame = new Uint8Array([0, 0, 1, 2, 0x40, 0x8f, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 0x2c, 0, 0, 1, 0x22, 0x46, 0x4c, 0x56]);
    sock().onmessage?.({ data: frame.buffer });
    off();
    sock().reply({ event: 'batch', payload: { n: 2 } });
    expect(batches).toEqual([{ n: 1 }]);
    expect(media).toEqual([{ previewId: 258, arrivedAt: 1000, offered: 300, forwarded: 290, data: [0x46, 0x4c, 0x56] }]);
  });

  it('fails pending requests on a drop, reports the link, and reconnects', async () => {
    vi.useFakeTimers();
    const { c, sock } = client();
    const links: LinkState[] = [];
    c.onLink((s) => links.push(s));
    const first = sock();
    first.open();
    const p = c.request('snapshot', undefined);
    first.drop(1006);
    await expect(p).rejects.toMatchObject({ code: 'disconnected' });
    vi.advanceTimersByTime(20);
    expect(sock()).not.toBe(first);
    sock().open();
    expect(links).toEqual(['open', 'closed', 'connecting', 'open']);
  });

  it("followLink (the contract's link member) reports the current state, then every change", () => {
    const { c, sock } = client();
    const links: LinkState[] = [];
    const stop = c.followLink((s) => links.push(s));
    sock().open();
    stop();
    sock().drop(1006);
    expect(links).toEqual(['connecting', 'open']);
    c.close();
  });

  it('stops at a refused token instead of retrying forever', () => {
    vi.useFakeTimers();
    const { c, sock } = client('wrong');
    const first = sock();
    first.drop(WS_CLOSE_UNAUTHORIZED);
    vi.advanceTimersByTime(5000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(c.state).toBe('unauthorized');
  });
});

describe('WsClient heartbeat (a host that stopped answering)', () => {
  const pings = (sock: FakeSocket): { id: number; name: string }[] =>
    sock.sent.map((t) => JSON.parse(t) as { id: number; name: string }).filter((f) => f.name === 'ping');

  it('pings a silent host, and a host that answers stays open', () => {
    vi.useFakeTimers();
    const { c, sock } = client();
    sock().open();
    vi.advanceTimersByTime(999);
    expect(pings(sock())).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(pings(sock())).toHaveLength(1);
    sock().reply({ id: pings(sock())[0].id, ok: true, res: null });
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(1000);
      const last = pings(sock()).pop();
      if (last) sock().reply({ id: last.id, ok: true, res: null });
    }
    expect(pings(sock()).length).toBeGreaterThan(3);
    expect(c.state).toBe('open');
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('any frame from the host counts as an answer: a busy host is not pinged', () => {
    vi.useFakeTimers();
    const { c, sock } = client();
    sock().open();
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(500);
      sock().reply({ event: 'batch', payload: {} });
    }
    expect(pings(sock())).toHaveLength(0);
    expect(c.state).toBe('open');
  });

  it('a hung host (socket open, ping unanswered) is given up within heartbeat + timeout: pending requests fail, the link is lost, and it reconnects', async () => {
    vi.useFakeTimers();
    const { c, sock } = client();
    const links: LinkState[] = [];
    c.onLink((s) => links.push(s));
    const first = sock();
    first.open();
    const p = c.request('timeline', { connectionId: 1 });
    vi.advanceTimersByTime(1000);
    expect(pings(first)).toHaveLength(1);
    vi.advanceTimersByTime(2999);
    expect(c.state).toBe('open');
    vi.advanceTimersByTime(1);
    expect(c.state).toBe('closed');
    await expect(p).rejects.toMatchObject({ code: 'disconnected' });
    expect(first.readyState).toBe(3);
    // A request while the host is lost fails at once, rather than run when it comes back.
    await expect(c.request('start-recording', { path: 'live/a' })).rejects.toMatchObject({ code: 'disconnected' });
    vi.advanceTimersByTime(10);
    expect(sock()).not.toBe(first);
    sock().open();
    expect(links).toEqual(['open', 'closed', 'connecting', 'open']);
  });

  it('a connection attempt that never opens (the host stopped, its port still accepting) is retried after the timeout', () => {
    vi.useFakeTimers();
    const { c, sock } = client();
    const first = sock();
    vi.advanceTimersByTime(2999);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1 + 10);
    expect(FakeSocket.all).toHaveLength(2);
    expect(first.readyState).toBe(3);
    // The abandoned socket's late close is not a second drop.
    first.onclose?.({ code: 1006 });
    expect(FakeSocket.all).toHaveLength(2);
    expect(c.state).toBe('connecting');
  });
});

describe('withHostErrors (the Electron bridge)', () => {
  it("turns the preload's plain {code, message} rejection into a HostError", async () => {
    const raw: IntakeApi = {
      transport: 'electron',
      on: () => () => {},
      request: () => Promise.reject({ name: 'HostError', code: 'unsupported', message: 'no folders here' }),
    };
    const err = await withHostErrors(raw).request('open-folder', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect(err).toMatchObject({ code: 'unsupported', message: 'no folders here' });
    expect(withHostErrors(raw).transport).toBe('electron');
    expect(withHostErrors(raw).followLink).toBeUndefined();
  });
});
