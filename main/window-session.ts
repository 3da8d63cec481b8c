/**
 * One window attached to the service: its requests answered, its events
 * sent, its media acknowledged. A page that reloads (the user pressed
 * Ctrl+R, or its renderer was restarted after a crash) is a new UI: it gets
 * a fresh attachment, so the old page's preview stops feeding nobody.
 */
import type { BrowserWindow } from 'electron';
import { type IntakeService, TRUSTED_GRANTS, type UiClient } from '../app/index.js';
import { eventSink, handleMediaAcks, handleRequests, type WindowSink } from './ipc.js';

/** The part of the service a window needs. */
export type AttachableService = Pick<IntakeService, 'attach'>;

/** What serveWindow returns: for tests and for closing. */
export interface WindowSession {
  /** Requests answered through the current attachment. */
  readonly client: UiClient;
  readonly sink: WindowSink;
  /** Detach and unregister; also done when the window closes. */
  close(): void;
}

/**
 * Attach `win` to `service` until the window closes. `indexUrl` is the page
 * the window must be showing for its messages to be trusted.
 */
export function serveWindow(win: BrowserWindow, service: AttachableService, indexUrl: string): WindowSession {
  let sink = eventSink(win);
  // Our own page (ipc.ts checks every sender): it may do what a page with intake serve's token may.
  let client = service.attach(sink, TRUSTED_GRANTS);
  // Whether the current page has asked anything yet: an unused attachment is
  // still fresh, whichever order the first load's events arrive in.
  let used = false;
  const renew = (): void => {
    if (!used) return;
    client.detach();
    sink = eventSink(win);
    client = service.attach(sink, TRUSTED_GRANTS);
    used = false;
  };
  const offRequests = handleRequests(
    win,
    {
      handle: (name, arg) => {
        used = true;
        return client.handle(name, arg);
      },
    },
    indexUrl,
  );
  const offAcks = handleMediaAcks(win, indexUrl, (bytes) => sink.acked(bytes));
  const onNavigation = (details: { isMainFrame: boolean; isSameDocument: boolean }): void => {
    if (details.isMainFrame && !details.isSameDocument) renew();
  };
  win.webContents.on('did-start-navigation', onNavigation);
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    offRequests();
    offAcks();
    client.detach();
    if (!win.isDestroyed()) win.webContents.removeListener('did-start-navigation', onNavigation);
  };
  win.once('closed', close);
  return {
    get client() {
      return client;
    },
    get sink() {
      return sink;
    },
    close,
  };
}
