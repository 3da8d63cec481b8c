/**
 * The preload: exposes one object, `window.intake` (the contract's
 * IntakeApi), and nothing else; the page never sees ipcRenderer, its event
 * objects, or Node. A sandboxed preload can require only 'electron' (and a
 * few Node built-ins), so this file is CommonJS, imports nothing from app/
 * but types, and repeats the contract's names, checked against it when
 * compiled.
 */
// CommonJS under verbatimModuleSyntax: `import x = require()` is how a .cts imports a value.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import electron = require('electron');
import type { IpcRendererEvent } from 'electron';
import type { Envelope, IPC_CHANNELS, IntakeApi, UiEventName, UiRequestName, WireError } from '../app/contract/index.js';

const { contextBridge, ipcRenderer } = electron;

// The channel names of IPC_CHANNELS; the types keep them in step.
const REQUEST_CHANNEL: (typeof IPC_CHANNELS)['request'] = 'intake:request';
const EVENT_CHANNEL: (typeof IPC_CHANNELS)['event'] = 'intake:event';
const ACK_CHANNEL: (typeof IPC_CHANNELS)['mediaAck'] = 'intake:media-ack';

const REQUESTS: readonly string[] = ['snapshot', 'set-settings', 'preview', 'start-recording', 'stop-recording', 'timeline', 'open-folder', 'open-external', 'choose-folder', 'ping', 'timeline-at', 'follow'] satisfies UiRequestName[];
const EVENTS: readonly string[] = ['status', 'settings', 'batch', 'media', 'preview-end'] satisfies UiEventName[];
// A contract name missing from the lists above fails to compile here.
type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
const _allRequests: Missing<UiRequestName, 'snapshot' | 'set-settings' | 'preview' | 'start-recording' | 'stop-recording' | 'timeline' | 'open-folder' | 'open-external' | 'choose-folder' | 'ping' | 'timeline-at' | 'follow'> = true;
const _allEvents: Missing<UiEventName, 'status' | 'settings' | 'batch' | 'media' | 'preview-end'> = true;
void _allRequests;
void _allEvents;

/**
 * A request's failure as the page receives it. A plain object, not an
 * Error: the contextBridge rebuilds a thrown Error in the page from its
 * message alone and would drop the code.
 */
function failure(error: WireError): WireError & { name: 'HostError' } {
  // Copied field by field into plain strings: main sends only codes of the contract's vocabulary.
  return { name: 'HostError', code: String(error.code) as WireError['code'], message: String(error.message) };
}

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<{ fn: Listener }>>();

// One ipcRenderer listener, there while anything is subscribed: it passes
// only the payload on (never the IpcRendererEvent), and acknowledges media
// so main can tell a stalled page from a busy stream.
function dispatch(_event: IpcRendererEvent, name: unknown, payload: unknown): void {
  const subs = typeof name === 'string' ? listeners.get(name) : undefined;
  for (const sub of subs ? [...subs] : []) {
    try {
      sub.fn(payload);
    } catch (err) {
      console.error(`intake: a '${String(name)}' listener threw`, err);
    }
  }
  if (name === 'media') {
    const data = (payload as { data?: unknown } | null)?.data;
    if (data instanceof Uint8Array) ipcRenderer.send(ACK_CHANNEL, data.byteLength);
  }
}
let subscriptions = 0;

const api: IntakeApi = {
  transport: 'electron',
  async request(name, arg) {
    if (!REQUESTS.includes(name)) throw failure({ code: 'bad-request', message: `unknown request ${JSON.stringify(name)}` });
    const envelope = (await ipcRenderer.invoke(REQUEST_CHANNEL, name, arg)) as Envelope;
    if (envelope.ok) return envelope.res as never;
    throw failure(envelope.error);
  },
  on(name, listener) {
    if (!EVENTS.includes(name)) throw new Error(`intake: unknown event ${JSON.stringify(name)}`);
    if (typeof listener !== 'function') throw new Error('intake: on() needs a listener function');
    // A fresh entry per call: the same function subscribed twice is two subscriptions.
    const sub = { fn: listener as Listener };
    let subs = listeners.get(name);
    if (!subs) listeners.set(name, (subs = new Set()));
    subs.add(sub);
    if (subscriptions++ === 0) ipcRenderer.on(EVENT_CHANNEL, dispatch);
    return () => {
      if (!subs.delete(sub)) return;
      if (--subscriptions === 0) ipcRenderer.removeListener(EVENT_CHANNEL, dispatch);
    };
  },
};

contextBridge.exposeInMainWorld('intake', api);
