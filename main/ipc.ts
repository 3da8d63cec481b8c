/**
 * The main process's side of the UI contract over Electron IPC: the only
 * file in main/ that touches `ipcMain` (a lint rule keeps it so, as in GitHub
 * Desktop). Requests arrive on one invoke channel and are answered with an
 * envelope, because a rejected `invoke` reaches the renderer as a bare
 * message and loses the error's code. Events leave on one send channel.
 * Nothing is answered unless it comes from our window's main frame showing
 * our own page (Fiddle's IpcMainManager, Desktop's trusted-ipc-sender.ts).
 */
import { ipcMain, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { IPC_CHANNELS, MEDIA_HEADER_BYTES, UI_REQUESTS, toWireError, type Envelope, type UiClient, type UiEventName, type UiEvents, type UiSink } from '../app/index.js';
import { isOwnPage } from './window.js';


/**
 * Why a message must be refused, or null if it comes from `win`'s own page:
 * the same webContents, its main frame (not an iframe), showing `indexUrl`.
 */
export function untrustedReason(win: BrowserWindow, event: IpcMainEvent | IpcMainInvokeEvent, indexUrl: string): string | null {
  if (win.isDestroyed()) return 'the window is closed';
  if (event.sender !== win.webContents) return `another webContents (#${event.sender.id})`;
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  if (frame.parent !== null) return `a subframe (${frame.url})`;
  if (!isOwnPage(frame.url, indexUrl)) return `a page that is not ours (${frame.url})`;
  return null;
}

/**
 * Answer the window's requests through `client` (whose `handle` validates
 * the argument). Untrusted senders get a rejected invoke and a log line;
 * unknown names get a 'bad-request' envelope. Returns the function that
 * removes the handler (a later window registers its own).
 */
export function handleRequests(win: BrowserWindow, client: Pick<UiClient, 'handle'>, indexUrl: string): () => void {
  ipcMain.handle(IPC_CHANNELS.request, async (event, name: unknown, arg: unknown): Promise<Envelope> => {
    const why = untrustedReason(win, event, indexUrl);
    if (why) {
      console.warn(`intake: refused a request from ${why}`);
      throw new Error('intake: request refused: not from the Intake window');
    }
    if (typeof name !== 'string' || !(UI_REQUESTS as readonly string[]).includes(name)) {
      return { ok: false, error: { code: 'bad-request', message: `unknown request ${JSON.stringify(name)}` } };
    }
    try {
      return { ok: true, res: await client.handle(name, arg) };
    } catch (err) {
      return { ok: false, error: toWireError(err) };
    }
  });
  return () => ipcMain.removeHandler(IPC_CHANNELS.request);
}

/**
 * Count media acknowledgements from the window's page into `onAck` (bytes).
 * Returns the function that stops listening.
 */
export function handleMediaAcks(win: BrowserWindow, indexUrl: string, onAck: (bytes: number) => void): () => void {
  const listener = (event: IpcMainEvent, bytes: unknown): void => {
    if (untrustedReason(win, event, indexUrl) !== null) return;
    if (typeof bytes === 'number' && Number.isFinite(bytes) && bytes >= 0) onAck(bytes);
  };
  ipcMain.on(IPC_CHANNELS.mediaAck, listener);
  return () => void ipcMain.removeListener(IPC_CHANNELS.mediaAck, listener);
}

/**
 * A Uint8Array that owns exactly its bytes. Why: Electron's IPC serialises a
 * typed array together with its whole backing ArrayBuffer (it does not treat
 * views as host objects, unlike Node's v8.serialize), so a 300-byte view into
 * Node's 8 KB Buffer pool would send 8 KB, and whatever else the pool held.
 */
export function ownBytes(data: Uint8Array): Uint8Array {
  // Not data.slice(): on a Buffer that is another view of the same memory.
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : new Uint8Array(data);
}

/**
 * The bytes to send for a media chunk, without a copy when it is a preview
 * batch: PreviewFeed makes each batch one buffer of its own, holding nothing
 * but the MEDIA_HEADER_BYTES header (preview id, arrival time) in front of
 * the FLV bytes, so the whole buffer Electron clones for the view is the
 * batch and its 20-byte header. Any other chunk goes through ownBytes.
 */
export function mediaBytes(previewId: number, data: Uint8Array): Uint8Array {
  const isBatch =
    data.byteOffset === MEDIA_HEADER_BYTES &&
    data.byteOffset + data.byteLength === data.buffer.byteLength &&
    new DataView(data.buffer, 0, MEDIA_HEADER_BYTES).getUint32(0) === previewId;
  return isBatch ? data : ownBytes(data);
}

/** An event sink for one window, with the media backlog the preview uses to drop frames for a stalled renderer. */
export interface WindowSink extends UiSink {
  /** The preload acknowledged `bytes` of media. */
  acked(bytes: number): void;
}

/**
 * Send the UI's events to `win` on IPC_CHANNELS.event as (name, payload);
 * nothing is sent once the window or its webContents is destroyed.
 * `backlog()` is media bytes sent and not yet acknowledged by the preload.
 */
export function eventSink(win: BrowserWindow): WindowSink {
  let unacked = 0;
  return {
    event<K extends UiEventName>(name: K, payload: UiEvents[K]): void {
      if (win.isDestroyed() || win.webContents.isDestroyed()) return;
      if (name === 'media') {
        const chunk = payload as UiEvents['media'];
        const data = mediaBytes(chunk.previewId, chunk.data);
        unacked += data.byteLength;
        win.webContents.send(IPC_CHANNELS.event, name, { previewId: chunk.previewId, data, arrivedAt: chunk.arrivedAt ?? NaN, offered: chunk.offered, forwarded: chunk.forwarded });
        return;
      }
      win.webContents.send(IPC_CHANNELS.event, name, payload);
    },
    backlog: () => unacked,
    acked(bytes: number): void {
      unacked = Math.max(0, unacked - bytes);
    },
  };
}
