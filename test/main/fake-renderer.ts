/**
 * The renderer side of the stand-in: an ipcRenderer that records what the
 * preload sends and lets a test push events, a contextBridge that copies
 * values the way Electron's does (a thrown or rejected Error arrives as a new
 * Error with only its message; objects lose their prototype), and a loader
 * that runs the compiled preload as a sandboxed preload is run: CommonJS,
 * with a `require` that knows only 'electron'.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { types } from 'node:util';
import vm from 'node:vm';
import { REPO_ROOT } from './fake-electron.js';

/** The compiled preload (tsc -b tsconfig.main.json). */
export const PRELOAD_CJS = path.join(REPO_ROOT, 'dist', 'main', 'preload.cjs');

/** ipcRenderer: invoke() answered by `answer`, send() recorded, `deliver` plays main's webContents.send. */
export class FakeIpcRenderer extends EventEmitter {
  readonly invoked: { channel: string; args: unknown[] }[] = [];
  readonly sent: { channel: string; args: unknown[] }[] = [];
  answer: (channel: string, ...args: unknown[]) => unknown = () => undefined;
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return this.answer(channel, ...args);
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  /** Main sent (channel, ...args) to this renderer; `event` is what the preload's listener gets first. */
  deliver(channel: string, ...args: unknown[]): void {
    this.emit(channel, { senderId: 0, ports: [] }, ...args);
  }
}

/** Copy a value across the bridge as Electron's contextBridge does. */
export function acrossBridge(v: unknown): unknown {
  if (typeof v === 'function') {
    return (...args: unknown[]) => {
      let r: unknown;
      try {
        r = (v as (...a: unknown[]) => unknown)(...args.map(acrossBridge));
      } catch (err) {
        throw acrossBridge(err);
      }
      return acrossBridge(r);
    };
  }
  // Realm-independent checks: the preload runs in its own vm context, as it runs in its own world.
  if (types.isPromise(v)) {
    return v.then(acrossBridge, (err: unknown) => {
      throw acrossBridge(err);
    });
  }
  if (types.isNativeError(v)) return new Error(v.message);
  if (ArrayBuffer.isView(v)) return structuredClone(v);
  if (Array.isArray(v)) return v.map(acrossBridge);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, acrossBridge(x)]));
  return v;
}

/** contextBridge: what the preload exposed, raw (isolated world) and as the page sees it (main world). */
export class FakeContextBridge {
  readonly raw = new Map<string, unknown>();
  readonly mainWorld: Record<string, unknown> = {};
  exposeInMainWorld(key: string, api: unknown): void {
    if (key in this.mainWorld) throw new Error(`Cannot bind an API on top of an existing property on the window object`);
    this.raw.set(key, api);
    this.mainWorld[key] = acrossBridge(api);
  }
}

/** A loaded preload: its renderer-side fakes and what it required. */
export interface LoadedPreload {
  ipcRenderer: FakeIpcRenderer;
  contextBridge: FakeContextBridge;
  required: string[];
}

/** Run dist/main/preload.cjs in a fresh context with only 'electron' requirable. */
export function loadPreload(): LoadedPreload {
  const ipcRenderer = new FakeIpcRenderer();
  const contextBridge = new FakeContextBridge();
  const required: string[] = [];
  const requireElectronOnly = (id: string): unknown => {
    required.push(id);
    if (id === 'electron') return { ipcRenderer, contextBridge };
    throw new Error(`module not found: ${id} (a sandboxed preload can only require 'electron' and a few built-ins)`);
  };
  const code = fs.readFileSync(PRELOAD_CJS, 'utf8');
  const wrapper = vm.runInNewContext(`(function (exports, require, module) {${code}\n})`, { console, Uint8Array }, { filename: PRELOAD_CJS });
  const module = { exports: {} };
  wrapper(module.exports, requireElectronOnly, module);
  return { ipcRenderer, contextBridge, required };
}
