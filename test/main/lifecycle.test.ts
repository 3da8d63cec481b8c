import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../app/contract/index.js';
import { runIntake, type IntakeMain } from '../../main/lifecycle.js';
import { BrowserWindow, app, fakeIpcMain, resetFake } from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

let tmp: string;
let running: IntakeMain | null = null;

/** Fake user folders; settings.json written first if `settings` is given. */
function folders(settings?: object, paths: string[] = ['userData', 'videos', 'documents', 'home']): void {
  for (const name of paths) app.paths[name] = path.join(tmp, name);
  if (settings) {
    fs.mkdirSync(app.paths.userData, { recursive: true });
    fs.writeFileSync(path.join(app.paths.userData, 'settings.json'), JSON.stringify(settings));
  }
}

const request = (win: BrowserWindow, name: string, arg?: unknown): Promise<unknown> => fakeIpcMain.invoke(IPC_CHANNELS.request, win.webContents.ipcEvent(), name, arg);

beforeEach(() => {
  resetFake();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-main-'));
});
afterEach(async () => {
  await running?.service.close();
  running = null;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the desktop app', () => {
  it('starts the receiver from the saved settings and shows one window, focused again on a second launch', async () => {
    folders({ port: 0, recordDir: path.join(tmp, 'rec') });
    running = await runIntake();
    const status = running!.service.status;
    expect(status).toMatchObject({ state: 'listening', host: '127.0.0.1' });
    expect(status.port).toBeGreaterThan(0);
    expect(running!.service.settings.recordDir).toBe(path.join(tmp, 'rec'));
    expect(BrowserWindow.all).toHaveLength(1);
    const win = BrowserWindow.all[0];
    win.minimized = true;
    app.emit('second-instance');
    expect(BrowserWindow.all).toHaveLength(1);
    expect(win).toMatchObject({ minimized: false, visible: true, focused: true });
    await expect(request(win, 'snapshot')).resolves.toMatchObject({ ok: true, res: { host: { transport: 'electron', canOpenFolder: true } } });
  });

  it('keeps a settings change on disk for the next launch', async () => {
    folders({ port: 0 });
    running = await runIntake();
    const win = BrowserWindow.all[0];
    await expect(request(win, 'set-settings', { autoRecord: true })).resolves.toMatchObject({ ok: true, res: { settings: { autoRecord: true } } });
    expect(JSON.parse(fs.readFileSync(path.join(app.paths.userData, 'settings.json'), 'utf8'))).toMatchObject({ autoRecord: true, port: 0 });
    await expect(request(win, 'set-settings', { port: 'x' })).resolves.toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('records to Documents/Intake where the OS has no Videos folder', async () => {
    folders(undefined, ['userData', 'documents']);
    fs.mkdirSync(app.paths.userData, { recursive: true });
    fs.writeFileSync(path.join(app.paths.userData, 'settings.json'), '{"port": 0, "autoRecord": "yes"}'); // a bad field: its default
    running = await runIntake();
    expect(running!.service.settings).toMatchObject({ recordDir: path.join(tmp, 'documents', 'Intake'), autoRecord: false });
  });

  it('shows a port in use in the window instead of failing', async () => {
    const net = await import('node:net');
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      folders({ port });
      running = await runIntake();
      expect(running!.service.status).toMatchObject({ state: 'error', port, error: { code: expect.any(String) } });
      expect(BrowserWindow.all).toHaveLength(1);
    } finally {
      blocker.close();
    }
  });

  it('finishes the receiver before quitting', async () => {
    folders({ port: 0 });
    running = await runIntake();
    const close = vi.spyOn(running!.service, 'close');
    app.quit();
    expect(app.quitted).toBe(false); // held for the receiver
    expect(close).toHaveBeenCalledTimes(1);
    app.quit(); // a second request while stopping waits too
    expect(close).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(app.quitted).toBe(true));
    expect(running!.service.status.state).toBe('stopped');
    running = null;
  });

  it('quits on the last window closed (not on macOS, where the Dock brings it back)', async () => {
    folders({ port: 0 });
    running = await runIntake();
    BrowserWindow.all[0].close();
    app.emit('window-all-closed');
    expect(app.quitCalls).toBe(process.platform === 'darwin' ? 0 : 1);
    await vi.waitFor(() => expect(app.quitted).toBe(process.platform !== 'darwin'));
  });

  it('leaves the work to the instance already running', async () => {
    folders({ port: 0 });
    app.locked = false;
    await expect(runIntake()).resolves.toBeNull();
    expect(app.quitCalls).toBe(1);
    expect(BrowserWindow.all).toHaveLength(0);
  });
});
