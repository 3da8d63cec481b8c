import { describe, expect, it } from 'vitest';
import { type EarlyLink, takeEarlyLink } from '../../../renderer/src/bridge/early-link.js';
import { WsClient } from '../../../renderer/src/bridge/ws-client.js';

/** The socket early-link.js opened: a stand-in that records what is sent and lets the test play the host. */
class FakeSocket {
  readyState = 0;
  binaryType = 'arraybuffer';
  sent: string[] = [];
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  send(s: string): void {
    this.sent.push(s);
  }
  close(): void {
    this.readyState = 3;
    this.onclose?.({ code: 1000 });
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  reply(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

/** What early-link.js leaves: the preview and the snapshot asked ahead, sent on open by its own handler. */
function early(sock: FakeSocket, frames: (string | ArrayBuffer)[] = []): EarlyLink {
  const ahead = [
    { id: 1, name: 'preview', arg: { path: 'live/a' } },
    { id: 2, name: 'snapshot' },
  ];
  sock.onopen = () => {
    for (const r of ahead) sock.send(JSON.stringify(r));
  };
  return { ws: sock as unknown as WebSocket, frames, ahead, nextId: 3 };
}

/** A binary media frame: preview id, arrival, offered, forwarded, then the bytes. */
function media(previewId: number, bytes: number[]): ArrayBuffer {
  const b = new ArrayBuffer(20 + bytes.length);
  const v = new DataView(b);
  v.setUint32(0, previewId);
  v.setFloat64(4, 1000);
  v.setUint32(12, 5);
  v.setUint32(16, 5);
  new Uint8Array(b, 20).set(bytes);
  return b;
}

const client = (link: EarlyLink | null) => new WsClient({ url: 'ws://127.0.0.1:8080/ws', early: link, WebSocketImpl: class { constructor() { throw new Error('the client opened a socket of its own'); } } as unknown as typeof WebSocket });

describe('WsClient adopting the early link (renderer/early-link.js)', () => {
  it('takes an open socket: what arrived before is handed on in order after this task, and requests asked ahead are not sent again', async () => {
    const sock = new FakeSocket();
    const link = early(sock);
    sock.open();
    // Arrived while the bundle loaded: the GOP, the preview's answer, an event, the snapshot's answer.
    link.frames.push(media(1, [0x46, 0x4c, 0x56]), JSON.stringify({ id: 1, ok: true, res: { previewId: 1 } }), JSON.stringify({ event: 'status', payload: { state: 'listening' } }), JSON.stringify({ id: 2, ok: true, res: { snap: 1 } }));
    const c = client(link);
    const seen: string[] = [];
    c.on('media', (m) => seen.push(`media ${m.previewId} ${[...m.data].join(',')} forwarded ${m.forwarded}`));
    c.on('status', () => seen.push('status'));
    const states: string[] = [];
    c.followLink((s) => states.push(s));
    const preview = c.request('preview', { path: 'live/a' }).then((r) => seen.push(`preview answer ${r.previewId}`));
    const snap = c.request('snapshot', undefined).then(() => seen.push('snapshot answer'));
    expect(states).toEqual(['open']);
    expect(seen).toEqual([]); // nothing before the task that built the client has registered its listeners
    await Promise.all([preview, snap]);
    expect(seen).toEqual(['media 1 70,76,86 forwarded 5', 'status', 'preview answer 1', 'snapshot answer']);
    // Only what the early script sent: the two were not asked again.
    expect(sock.sent.map((s) => (JSON.parse(s) as { id: number }).id)).toEqual([1, 2]);
    // A later request takes the next id, and a second identical request is a request of its own.
    void c.request('snapshot', undefined).catch(() => {});
    expect(JSON.parse(sock.sent[2])).toMatchObject({ id: 3, name: 'snapshot' });
    c.close();
  });

  it('takes a socket still connecting: the early script sends its requests on open, then the client\'s queue goes', async () => {
    const sock = new FakeSocket();
    const c = client(early(sock));
    const states: string[] = [];
    c.followLink((s) => states.push(s));
    const snap = c.request('snapshot', undefined);
    void c.request('follow', { connectionIds: [1] }).catch(() => {});
    expect(sock.sent).toEqual([]);
    sock.open();
    expect(states).toEqual(['connecting', 'open']);
    expect(sock.sent.map((s) => (JSON.parse(s) as { name: string }).name)).toEqual(['preview', 'snapshot', 'follow']);
    sock.reply({ id: 2, ok: true, res: { snap: 2 } });
    await expect(snap).resolves.toEqual({ snap: 2 });
    c.close();
  });

  it('fails what waits on an adopted socket that drops, and asks again on the next one', async () => {
    const sock = new FakeSocket();
    sock.open();
    const opened: FakeSocket[] = [];
    const c = new WsClient({
      url: 'ws://127.0.0.1:8080/ws',
      early: early(sock),
      reconnectMs: 5,
      WebSocketImpl: class extends FakeSocket {
        constructor() {
          super();
          opened.push(this);
        }
      } as unknown as typeof WebSocket,
    });
    const snap = c.request('snapshot', undefined);
    sock.close();
    await expect(snap).rejects.toMatchObject({ code: 'disconnected' });
    await new Promise((r) => setTimeout(r, 20));
    expect(opened).toHaveLength(1);
    opened[0].open();
    void c.request('snapshot', undefined).catch(() => {});
    expect(JSON.parse(opened[0].sent[0])).toMatchObject({ name: 'snapshot', id: 3 });
    c.close();
  });

  it('leaves alone what cannot be used: no link, a closed socket, something odd on window', () => {
    const win = {} as Window;
    expect(takeEarlyLink(win)).toBeNull();
    const closed = new FakeSocket();
    closed.readyState = 3;
    win.__intakeEarlyLink = { ws: closed as unknown as WebSocket, frames: [], nextId: 1 };
    expect(takeEarlyLink(win)).toBeNull();
    win.__intakeEarlyLink = { ws: new FakeSocket() as unknown as WebSocket, frames: 'x' as never, nextId: 1 };
    expect(takeEarlyLink(win)).toBeNull();
    const ok = new FakeSocket();
    win.__intakeEarlyLink = { ws: ok as unknown as WebSocket, frames: [], ahead: [{ id: 1, name: 'snapshot' }, { id: 'x', name: 'preview' } as never], nextId: 2 };
    expect(takeEarlyLink(win)).toMatchObject({ ahead: [{ id: 1, name: 'snapshot' }], nextId: 2 });
    // Taken once.
    expect(win.__intakeEarlyLink).toBeUndefined();
    expect(takeEarlyLink(win)).toBeNull();
  });
});
