import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, MEDIA_HEADER_BYTES, type UiEventName, type UiEvents } from '../../app/contract/index.js';
import type { UiClient, UiSink } from '../../app/host/session-host.js';
import { UiError } from '../../app/host/ui-error.js';
import { eventSink, handleMediaAcks, handleRequests, mediaBytes, ownBytes } from '../../main/ipc.js';
import { PreviewFeed } from '../../app/subscribers/preview-feed.js';
import { appFiles } from '../../main/window.js';
import { serveWindow } from '../../main/window-session.js';
import { BrowserWindow, FakeFrame, FakeWebContents, fakeIpcMain, resetFake } from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

const { indexHtml, indexUrl } = appFiles();

/** A window showing our page, as createMainWindow leaves it. */
function ourWindow(): BrowserWindow {
  const win = new BrowserWindow({});
  void win.loadFile(indexHtml);
  return win;
}

function fakeClient(): UiClient & { calls: [string, unknown][] } {
  const calls: [string, unknown][] = [];
  return {
    calls,
    async handle(name, arg) {
      calls.push([name, arg]);
      if (name === 'timeline') throw new UiError('not-found', 'no connection #7');
      return { answered: name };
    },
    detach() {},
  };
}

const invoke = (event: unknown, ...args: unknown[]): Promise<unknown> => fakeIpcMain.invoke(IPC_CHANNELS.request, event, ...args);

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  resetFake();
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

describe('requests', () => {
  it('from our window are answered in an envelope that keeps the error code', async () => {
    const win = ourWindow();
    const client = fakeClient();
    handleRequests(win as never, client, indexUrl);
    const ev = win.webContents.ipcEvent();
    await expect(invoke(ev, 'snapshot', undefined)).resolves.toEqual({ ok: true, res: { answered: 'snapshot' } });
    await expect(invoke(ev, 'timeline', { connectionId: 7 })).resolves.toEqual({ ok: false, error: { code: 'not-found', message: 'no connection #7' } });
    expect(client.calls).toEqual([
      ['snapshot', undefined],
      ['timeline', { connectionId: 7 }],
    ]);
  });

  it('from another webContents, a subframe, another page or a vanished frame are refused and logged', async () => {
    const win = ourWindow();
    const client = fakeClient();
    handleRequests(win as never, client, indexUrl);
    const other = new FakeWebContents();
    other.mainFrame = new FakeFrame(indexUrl);
    const refused = [
      other.ipcEvent(),
      win.webContents.ipcEvent(new FakeFrame(indexUrl, win.webContents.mainFrame)),
      win.webContents.ipcEvent(new FakeFrame('https://evil.example/')),
      win.webContents.ipcEvent(new FakeFrame('file:///tmp/evil.html')),
      win.webContents.ipcEvent(null),
    ];
    for (const ev of refused) await expect(invoke(ev, 'snapshot', undefined)).rejects.toThrow(/refused/);
    expect(client.calls).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(refused.length);
    expect(String(warn.mock.calls[0][0])).toMatch(/another webContents/);
    // A hash route is still our page, and so is its URL encoded differently (Chromium's and Node's escaping can differ).
    await expect(invoke(win.webContents.ipcEvent(new FakeFrame(`${indexUrl}#/x`)), 'snapshot', undefined)).resolves.toMatchObject({ ok: true });
    const reEncoded = indexUrl.replace('/dist/', '/di%73t/');
    expect(reEncoded).not.toBe(indexUrl);
    await expect(invoke(win.webContents.ipcEvent(new FakeFrame(reEncoded)), 'snapshot', undefined)).resolves.toMatchObject({ ok: true });
  });

  it('with a name outside the contract are refused before reaching the service', async () => {
    const win = ourWindow();
    const client = fakeClient();
    handleRequests(win as never, client, indexUrl);
    for (const name of ['shell', 'constructor', 42, undefined]) {
      await expect(invoke(win.webContents.ipcEvent(), name, {})).resolves.toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    expect(client.calls).toEqual([]);
  });

  it('stop being answered when the handler is removed', async () => {
    const win = ourWindow();
    const off = handleRequests(win as never, fakeClient(), indexUrl);
    off();
    await expect(invoke(win.webContents.ipcEvent(), 'snapshot', undefined)).rejects.toThrow(/No handler/);
  });
});

describe('events', () => {
  it('go out as (name, payload) on the event channel, and not at all to a destroyed window', () => {
    const win = ourWindow();
    const sink = eventSink(win as never);
    sink.event('status', { state: 'listening' } as UiEvents['status']);
    expect(win.webContents.sent.map((s) => [s.channel, ...s.args])).toEqual([[IPC_CHANNELS.event, 'status', { state: 'listening' }]]);
    win.webContents.destroyed = true;
    expect(() => sink.event('status', { state: 'stopped' } as UiEvents['status'])).not.toThrow();
    win.destroyed = true;
    expect(() => sink.event('status', { state: 'stopped' } as UiEvents['status'])).not.toThrow();
    expect(win.webContents.sent).toHaveLength(1);
  });

  it('send media as bytes of its own, and count them until the preload acknowledges them', () => {
    const win = ourWindow();
    const sink = eventSink(win as never);
    handleMediaAcks(win as never, indexUrl, (n) => sink.acked(n));
    const pooled = Buffer.from('a small chunk of FLV'); // a view into Node's shared 8 KB pool
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.length);
    sink.event('media', { previewId: 3, data: pooled });
    const sent = win.webContents.sent[0].args[1] as UiEvents['media'];
    expect(sent.previewId).toBe(3);
    expect(Buffer.from(sent.data).toString()).toBe('a small chunk of FLV');
    expect(sent.data.buffer.byteLength).toBe(pooled.length);
    const own = new Uint8Array(64);
    expect(ownBytes(own)).toBe(own);
    expect(sink.backlog!()).toBe(pooled.length);
    fakeIpcMain.emit(IPC_CHANNELS.mediaAck, new FakeWebContents().ipcEvent(), pooled.length); // not our window: ignored
    fakeIpcMain.emit(IPC_CHANNELS.mediaAck, win.webContents.ipcEvent(), 'lots'); // not a count: ignored
    expect(sink.backlog!()).toBe(pooled.length);
    fakeIpcMain.emit(IPC_CHANNELS.mediaAck, win.webContents.ipcEvent(), pooled.length);
    expect(sink.backlog!()).toBe(0);
  });
});

describe('media over IPC', () => {
  it('sends a preview batch as it is: its buffer holds nothing but the batch and its 12-byte header (preview id, arrival time)', () => {
    const win = ourWindow();
    const sink = eventSink(win as never);
    const feed = new PreviewFeed({ previewId: 12, flags: { audio: true, video: true }, send: (data) => sink.event('media', { previewId: 12, data }), backlog: () => sink.backlog!(), ended: () => {} });
    feed.tag({ type: 9, timestamp: 0, body: Buffer.from('1701000000', 'hex'), frame: true, keyframe: true, sequenceHeader: false });
    feed.end('done');
    const sent = win.webContents.sent[0].args[1] as UiEvents['media'];
    expect(sent.data.buffer.byteLength).toBe(sent.data.byteLength + MEDIA_HEADER_BYTES); // what Electron's serializer clones
    expect(mediaBytes(12, sent.data)).toBe(sent.data);
    expect(sink.backlog!()).toBe(sent.data.byteLength);
  });

  it('copies a chunk that is not a batch of this preview', () => {
    const header = [0, 0, 0, 12, ...new Array<number>(MEDIA_HEADER_BYTES - 4).fill(0)]; // preview id 12, arrival time, counts
    const batch = new Uint8Array([...header, 0x46, 0x4c, 0x56]);
    const view = batch.subarray(MEDIA_HEADER_BYTES);
    expect(mediaBytes(12, view)).toBe(view);
    const other = mediaBytes(13, view); // another preview's id in front: not ours to send
    expect(other).not.toBe(view);
    expect(other.buffer.byteLength).toBe(3);
    const middle = new Uint8Array([...header, 0x46, 0x4c, 0x56, 0xee]).subarray(MEDIA_HEADER_BYTES, MEDIA_HEADER_BYTES + 3); // more bytes behind it
    expect(mediaBytes(12, middle).buffer.byteLength).toBe(3);
  });
});

describe('a window session', () => {
  it('re-attaches after a reload of a page that had asked something, and detaches when the window closes', async () => {
    const win = ourWindow();
    const attached: { sink: UiSink; detached: boolean }[] = [];
    const service = {
      attach(sink: UiSink): UiClient {
        const entry = { sink, detached: false };
        attached.push(entry);
        return { handle: async (name: string) => name, detach: () => void (entry.detached = true) };
      },
    };
    const session = serveWindow(win as never, service as never, indexUrl);
    const nav = { isMainFrame: true, isSameDocument: false };
    win.webContents.emit('did-start-navigation', nav); // the first load: the attachment is unused, kept
    expect(attached).toHaveLength(1);
    await expect(invoke(win.webContents.ipcEvent(), 'snapshot', undefined)).resolves.toEqual({ ok: true, res: 'snapshot' });
    win.webContents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true });
    win.webContents.emit('did-start-navigation', { isMainFrame: false, isSameDocument: false });
    expect(attached).toHaveLength(1);
    win.webContents.emit('did-start-navigation', nav); // a reload
    expect(attached.map((a) => a.detached)).toEqual([true, false]);
    expect(session.sink).toBe(attached[1].sink);
    session.sink.event('settings' as UiEventName, {} as never);
    expect(win.webContents.sent).toHaveLength(1);
    win.close();
    expect(attached[1].detached).toBe(true);
    expect(fakeIpcMain.handlers.size).toBe(0);
    expect(fakeIpcMain.listenerCount(IPC_CHANNELS.mediaAck)).toBe(0);
  });
});
