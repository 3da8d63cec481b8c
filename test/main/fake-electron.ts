/**
 * A stand-in for the `electron` module (the binary cannot run here), after
 * Fiddle's tests/setup.ts: just enough of app, BrowserWindow, webContents,
 * ipcMain, shell and session for main/, recording what main/ asked of them,
 * and a renderer side (ipcRenderer, contextBridge) for the preload. Tests
 * use it with `vi.mock('electron', () => import('./fake-electron.js'))`.
 */
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repo root: what app.getAppPath() returns in development. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** An Electron event: records preventDefault(). */
export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

/** A WebFrameMain: its URL and parent (null for a main frame). */
export class FakeFrame {
  constructor(
    public url: string,
    public parent: FakeFrame | null = null,
  ) {}
}

let nextId = 1;

/** A webContents: records send() calls, keeps the window-open handler, emits navigation events on demand. */
export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly sent: { channel: string; args: unknown[]; at: number }[] = [];
  destroyed = false;
  mainFrame = new FakeFrame('about:blank');
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new TypeError('Object has been destroyed');
    this.sent.push({ channel, args, at: performance.now() });
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void {
    this.windowOpenHandler = h;
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  /** Emit `will-navigate` (or `will-redirect`) as Electron does; true if main cancelled it. */
  tryNavigate(url: string, event: 'will-navigate' | 'will-redirect' = 'will-navigate'): boolean {
    const e = new FakeEvent();
    this.emit(event, e, url);
    return e.defaultPrevented;
  }
  /** A trusted IPC event from this webContents' main frame (or from `frame`). */
  ipcEvent(frame: FakeFrame | null = this.mainFrame): { sender: FakeWebContents; senderFrame: FakeFrame | null } {
    return { sender: this, senderFrame: frame };
  }
}

/** A BrowserWindow: records its options and loadFile(); close() destroys it and emits 'closed'. */
export class BrowserWindow extends EventEmitter {
  static readonly all: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loaded: string[] = [];
  destroyed = false;
  visible = false;
  focused = false;
  minimized = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.all.push(this);
  }
  loadFile(file: string): Promise<void> {
    this.loaded.push(file);
    this.webContents.mainFrame = new FakeFrame(pathToFileURL(file).href);
    return Promise.resolve();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused = true;
  }
  close(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

type Handler = (event: unknown, ...args: unknown[]) => unknown;

/** ipcMain: keeps handle() handlers (one per channel, as Electron insists) and lets a test invoke them. */
class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, fn: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, fn);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke would do: run the handler, reject if there is none. */
  async invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return h(event, ...args);
  }
}
export const ipcMain = new FakeIpcMain();
/** The same object under a name tests may import (a lint rule keeps `ipcMain` to main/ipc.ts). */
export const fakeIpcMain = ipcMain;

/** app: lifecycle events, paths from `paths` (a missing one throws, like app.getPath), quit() emitting before-quit. */
class FakeApp extends EventEmitter {
  paths: Record<string, string> = {};
  locked = true;
  quitCalls = 0;
  quitted = false;
  exitCode: number | null = null;
  requestSingleInstanceLock(): boolean {
    return this.locked;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  getAppPath(): string {
    return REPO_ROOT;
  }
  getVersion(): string {
    return '0.1.0-test';
  }
  getPath(name: string): string {
    const p = this.paths[name];
    if (!p) throw new Error(`Failed to get '${name}' path`);
    return p;
  }
  quit(): void {
    this.quitCalls++;
    const e = new FakeEvent();
    this.emit('before-quit', e);
    if (!e.defaultPrevented) this.quitted = true;
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
}
export const app = new FakeApp();

/** shell: records what was opened. */
export const shell = {
  external: [] as string[],
  opened: [] as string[],
  shown: [] as string[],
  async openExternal(url: string): Promise<void> {
    shell.external.push(url);
  },
  async openPath(p: string): Promise<string> {
    shell.opened.push(p);
    return '';
  },
  showItemInFolder(p: string): void {
    shell.shown.push(p);
  },
};

/** session.defaultSession: keeps the permission handlers and the onHeadersReceived listener. */
export const session = {
  defaultSession: {
    permissionRequest: null as null | ((...a: unknown[]) => void),
    permissionCheck: null as null | ((...a: unknown[]) => boolean),
    headersReceived: null as null | ((details: unknown, cb: (r: unknown) => void) => void),
    setPermissionRequestHandler(h: (...a: unknown[]) => void): void {
      this.permissionRequest = h;
    },
    setPermissionCheckHandler(h: (...a: unknown[]) => boolean): void {
      this.permissionCheck = h;
    },
    webRequest: {
      onHeadersReceived(h: (details: unknown, cb: (r: unknown) => void) => void): void {
        session.defaultSession.headersReceived = h;
      },
    },
  },
};

/** Forget every window, handler, listener and record between tests. */
export function resetFake(): void {
  BrowserWindow.all.length = 0;
  ipcMain.handlers.clear();
  ipcMain.removeAllListeners();
  app.removeAllListeners();
  Object.assign(app, { paths: {}, locked: true, quitCalls: 0, quitted: false, exitCode: null });
  shell.external.length = 0;
  shell.opened.length = 0;
  shell.shown.length = 0;
  Object.assign(session.defaultSession, { permissionRequest: null, permissionCheck: null, headersReceived: null });
}
