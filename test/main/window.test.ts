import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openFolder } from '../../main/desktop-shell.js';
import { ALLOWED_PERMISSIONS, ELECTRON_CSP, addCspHeader, guardAllWebContents, restrictPermissions } from '../../main/security.js';
import { WINDOW_BACKGROUND, appFiles, createMainWindow } from '../../main/window.js';
import { type BrowserWindow, FakeEvent, FakeWebContents, REPO_ROOT, app, resetFake, session, shell } from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

beforeEach(() => {
  resetFake();
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

describe('the window', () => {
  it('is isolated, sandboxed, without Node or webview, dark until drawn, and loads our built page', () => {
    const win = createMainWindow() as unknown as BrowserWindow;
    const o = win.options as { webPreferences: Record<string, unknown> } & Record<string, unknown>;
    expect(o.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: path.join(REPO_ROOT, 'dist', 'main', 'preload.cjs'),
    });
    expect(o).toMatchObject({ show: false, backgroundColor: WINDOW_BACKGROUND });
    expect(o.minWidth as number).toBeGreaterThanOrEqual(1000);
    expect(o.minHeight as number).toBeGreaterThanOrEqual(640);
    expect(win.loaded).toEqual([path.join(REPO_ROOT, 'dist', 'renderer', 'index.html')]);
    expect(win.visible).toBe(false);
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
  });

  it('stays on our page: other navigations and redirects are cancelled, web links go to the OS browser', () => {
    const wc = (createMainWindow() as unknown as BrowserWindow).webContents;
    const own = appFiles().indexUrl;
    expect(wc.tryNavigate(`${own}#/streams`)).toBe(false);
    expect(wc.tryNavigate('https://obsproject.com/')).toBe(true);
    expect(wc.tryNavigate('file:///etc/passwd')).toBe(true);
    expect(wc.tryNavigate('https://evil.example/', 'will-redirect')).toBe(true);
    expect(wc.tryNavigate(pathToFileURL('/tmp/other.html').href, 'will-redirect')).toBe(true);
    expect(shell.external).toEqual(['https://obsproject.com/', 'https://evil.example/']);
  });

  it('never opens a window: window.open and target=_blank are denied, http(s) ones opened in the OS browser', () => {
    const wc = (createMainWindow() as unknown as BrowserWindow).webContents;
    expect(wc.windowOpenHandler!({ url: 'https://ffmpeg.org/' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'file:///bin/sh' })).toEqual({ action: 'deny' });
    expect(shell.external).toEqual(['https://ffmpeg.org/']);
  });
});

describe('app-wide guards', () => {
  it('deny <webview> and new windows to any webContents created later', () => {
    guardAllWebContents();
    const wc = new FakeWebContents();
    app.emit('web-contents-created', new FakeEvent(), wc);
    const attach = new FakeEvent();
    wc.emit('will-attach-webview', attach, {}, { src: 'https://evil.example/' });
    expect(attach.defaultPrevented).toBe(true);
    expect(wc.windowOpenHandler!({ url: 'https://x.example/' })).toEqual({ action: 'deny' });
    expect(shell.external).toEqual([]);
  });

  it('grant only clipboard writing and fullscreen, only to our file:// main frame', () => {
    restrictPermissions(session.defaultSession as never);
    const ses = session.defaultSession;
    const ask = (permission: string, requestingUrl: string, isMainFrame = true): boolean => {
      let granted: boolean | undefined;
      ses.permissionRequest!(null, permission, (ok: boolean) => (granted = ok), { requestingUrl, isMainFrame });
      const checked = ses.permissionCheck!(null, permission, new URL(requestingUrl).origin, { requestingUrl, isMainFrame });
      expect(checked).toBe(granted);
      return granted!;
    };
    const own = appFiles().indexUrl;
    expect(ALLOWED_PERMISSIONS).toEqual(['clipboard-sanitized-write', 'fullscreen']);
    expect(ask('fullscreen', own)).toBe(true);
    expect(ask('clipboard-sanitized-write', own)).toBe(true);
    for (const p of ['media', 'clipboard-read', 'notifications', 'geolocation', 'openExternal', 'display-capture']) expect(ask(p, own)).toBe(false);
    expect(ask('fullscreen', 'https://evil.example/')).toBe(false);
    expect(ask('fullscreen', own, false)).toBe(false);
  });

  it('add a CSP header, keeping one a response already had', () => {
    addCspHeader(session.defaultSession as never);
    let out: { responseHeaders: Record<string, string[]> } | undefined;
    session.defaultSession.headersReceived!({ responseHeaders: { 'content-security-policy': ["default-src 'self'"] } }, (r) => (out = r as typeof out));
    expect(out!.responseHeaders['content-security-policy']).toEqual(["default-src 'self'", ELECTRON_CSP]);
    session.defaultSession.headersReceived!({ responseHeaders: {} }, (r) => (out = r as typeof out));
    expect(out!.responseHeaders['Content-Security-Policy']).toEqual([ELECTRON_CSP]);
  });

  it("use the page's own CSP, minus the WebSocket the browser mode needs", () => {
    const html = fs.readFileSync(path.join(REPO_ROOT, 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)![1];
    const directives = (csp: string): Map<string, string> => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
    const page = directives(meta);
    const ours = directives(ELECTRON_CSP);
    expect([...ours.keys()].sort()).toEqual([...page.keys()].sort());
    for (const [k, v] of ours) if (k !== 'connect-src') expect(v, k).toBe(page.get(k));
    expect(ours.get('connect-src')).toBe("'self'");
    expect(ours.get('default-src')).toBe("'none'");
    expect(ours.get('script-src')).toBe("'self'");
  });
});

describe('open-folder', () => {
  it('opens the recording folder (creating it), reveals files and bundles, refuses relative paths', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-shell-'));
    try {
      const rec = path.join(dir, 'Intake');
      await openFolder(rec);
      expect(fs.statSync(rec).isDirectory()).toBe(true);
      expect(shell.opened).toEqual([rec]);
      const file = path.join(rec, 'live_x.flv');
      fs.writeFileSync(file, 'FLV');
      fs.mkdirSync(path.join(dir, 'Calculator.app'));
      await openFolder(file);
      await openFolder(path.join(dir, 'Calculator.app'));
      expect(shell.shown).toEqual([file, path.join(dir, 'Calculator.app')]);
      expect(shell.opened).toEqual([rec]);
      await expect(openFolder('relative/dir')).rejects.toMatchObject({ code: 'bad-request' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
