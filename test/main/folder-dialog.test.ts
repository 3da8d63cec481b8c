import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../app/contract/index.js';
import { runIntake, type IntakeMain } from '../../main/lifecycle.js';
import { BrowserWindow, app, fakeIpcMain, resetFake } from './fake-electron.js';

/** Electron's dialog, answering what the test says the user picked. */
const picked: { path: string | null; asked: number } = { path: null, asked: 0 };
vi.mock('electron', async () => ({
  ...(await import('./fake-electron.js')),
  dialog: {
    showOpenDialog: async () => {
      picked.asked++;
      return picked.path === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [picked.path] };
    },
  },
}));

let tmp: string;
let running: IntakeMain | null = null;
const request = (win: BrowserWindow, name: string, arg?: unknown): Promise<unknown> => fakeIpcMain.invoke(IPC_CHANNELS.request, win.webContents.ipcEvent(), name, arg);

beforeEach(() => {
  resetFake();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-dialog-'));
  for (const name of ['userData', 'videos', 'documents', 'home']) app.paths[name] = path.join(tmp, name);
  fs.mkdirSync(app.paths.userData, { recursive: true });
  fs.writeFileSync(path.join(app.paths.userData, 'settings.json'), JSON.stringify({ port: 0, recordDir: path.join(tmp, 'rec') }));
  picked.path = null;
  picked.asked = 0;
});
afterEach(async () => {
  await running?.service.close();
  running = null;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the desktop: a recording folder outside the one chosen at start comes from the folder dialog', () => {
  it('refuses a typed folder outside it, and takes one picked in the dialog', async () => {
    running = await runIntake();
    const win = BrowserWindow.all[0];
    const elsewhere = path.join(tmp, 'elsewhere');
    await expect(request(win, 'set-settings', { recordDir: elsewhere })).resolves.toMatchObject({ ok: false, error: { code: 'bad-request' } });
    await expect(request(win, 'choose-folder')).resolves.toEqual({ ok: true, res: { path: null } });
    picked.path = elsewhere;
    await expect(request(win, 'choose-folder')).resolves.toEqual({ ok: true, res: { path: elsewhere } });
    expect(picked.asked).toBe(2);
    await expect(request(win, 'set-settings', { recordDir: elsewhere })).resolves.toMatchObject({ ok: true, res: { settings: { recordDir: elsewhere } } });
    expect(JSON.parse(fs.readFileSync(path.join(app.paths.userData, 'settings.json'), 'utf8'))).toMatchObject({ recordDir: elsewhere });
    // The desktop window is trusted as a page with the token is: it may listen on the network.
    await expect(request(win, 'set-settings', { host: '0.0.0.0' })).resolves.toMatchObject({ ok: true, res: { settings: { host: '0.0.0.0' } } });
  });
});
