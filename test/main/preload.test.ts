import fs from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, UI_EVENTS, UI_REQUESTS, type IntakeApi } from '../../app/contract/index.js';
import { appFiles } from '../../main/window.js';
import { buildMain } from './build.js';
import { acrossBridge, loadPreload, PRELOAD_CJS, type LoadedPreload } from './fake-renderer.js';

vi.mock('electron', () => import('./fake-electron.js'));

/** The preload's object as the page sees it, after the contextBridge copied it. */
function pageApi(p: LoadedPreload): IntakeApi {
  return p.contextBridge.mainWorld.intake as IntakeApi;
}

describe('the preload', () => {
  beforeAll(() => buildMain());

  it('is built where the window looks for it, and needs nothing but electron', () => {
    expect(appFiles().preload).toBe(PRELOAD_CJS);
    expect(fs.existsSync(PRELOAD_CJS)).toBe(true);
    const p = loadPreload();
    expect(p.required).toEqual(['electron']);
  });

  it('exposes exactly one object, window.intake, with transport, request and on', () => {
    const p = loadPreload();
    expect(Object.keys(p.contextBridge.mainWorld)).toEqual(['intake']);
    const api = pageApi(p);
    expect(Object.keys(api).sort()).toEqual(['on', 'request', 'transport']);
    expect(api.transport).toBe('electron');
  });

  it('sends every request of the contract on the request channel and resolves with the result', async () => {
    const p = loadPreload();
    p.ipcRenderer.answer = (_ch, name) => ({ ok: true, res: { echoed: name } });
    const api = pageApi(p);
    for (const name of UI_REQUESTS) await expect(api.request(name, { path: 'live/x' } as never)).resolves.toEqual({ echoed: name });
    expect(p.ipcRenderer.invoked.map((i) => i.channel)).toEqual(UI_REQUESTS.map(() => IPC_CHANNELS.request));
    expect(p.ipcRenderer.invoked[2].args).toEqual(['preview', { path: 'live/x' }]);
  });

  it('turns an error envelope into a rejection that keeps its code, in the page too', async () => {
    const p = loadPreload();
    p.ipcRenderer.answer = () => ({ ok: false, error: { code: 'not-found', message: 'no live stream live/x' } });
    const raw = p.contextBridge.raw.get('intake') as IntakeApi;
    await expect(raw.request('preview', { path: 'live/x' })).rejects.toMatchObject({ code: 'not-found', message: 'no live stream live/x' });
    await expect(pageApi(p).request('preview', { path: 'live/x' })).rejects.toMatchObject({ code: 'not-found', message: 'no live stream live/x', name: 'HostError' });
    // Why it is not an Error: the bridge rebuilds an Error from its message and drops the code.
    await expect(acrossBridge(Promise.reject(Object.assign(new Error('m'), { code: 'c' })))).rejects.not.toHaveProperty('code');
  });

  it('refuses an unknown request name without sending it', async () => {
    const p = loadPreload();
    await expect(pageApi(p).request('rm -rf' as never, undefined as never)).rejects.toMatchObject({ code: 'bad-request' });
    expect(p.ipcRenderer.invoked).toEqual([]);
  });

  it('delivers only the named event, payload only, until unsubscribed', () => {
    const p = loadPreload();
    const api = pageApi(p);
    const got: unknown[][] = [];
    const off = api.on('status', (...args: unknown[]) => got.push(args));
    expect(p.ipcRenderer.listenerCount(IPC_CHANNELS.event)).toBe(1);
    p.ipcRenderer.deliver(IPC_CHANNELS.event, 'status', { state: 'listening' });
    p.ipcRenderer.deliver(IPC_CHANNELS.event, 'settings', { port: 1 });
    expect(got).toEqual([[{ state: 'listening' }]]);
    off();
    p.ipcRenderer.deliver(IPC_CHANNELS.event, 'status', { state: 'stopped' });
    expect(got).toHaveLength(1);
    expect(p.ipcRenderer.listenerCount(IPC_CHANNELS.event)).toBe(0);
    off();
  });

  it('keeps two subscriptions of one function apart, and one failing listener from the others', () => {
    const p = loadPreload();
    const api = pageApi(p);
    const calls: string[] = [];
    const fn = (): void => void calls.push('fn');
    const offA = api.on('batch', fn);
    api.on('batch', fn);
    api.on('batch', () => {
      throw new Error('listener bug');
    });
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    offA();
    p.ipcRenderer.deliver(IPC_CHANNELS.event, 'batch', {});
    expect(calls).toEqual(['fn']);
    expect(err).toHaveBeenCalledTimes(1);
    err.mockRestore();
  });

  it('accepts every event of the contract and refuses others', () => {
    const api = pageApi(loadPreload());
    for (const name of UI_EVENTS) expect(typeof api.on(name, () => {})).toBe('function');
    expect(() => api.on('nope' as never, () => {})).toThrow(/unknown event/);
  });

  it('acknowledges each media chunk with its size', () => {
    const p = loadPreload();
    const chunks: number[] = [];
    pageApi(p).on('media', (m) => chunks.push(m.data.byteLength));
    p.ipcRenderer.deliver(IPC_CHANNELS.event, 'media', { previewId: 1, data: new Uint8Array(1000) });
    p.ipcRenderer.deliver(IPC_CHANNELS.event, 'media', { previewId: 1, data: new Uint8Array(24) });
    expect(chunks).toEqual([1000, 24]);
    expect(p.ipcRenderer.sent).toEqual([
      { channel: IPC_CHANNELS.mediaAck, args: [1000] },
      { channel: IPC_CHANNELS.mediaAck, args: [24] },
    ]);
  });
});
