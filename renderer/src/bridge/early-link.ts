/**
 * The WebSocket renderer/early-link.js opened before the bundle ran
 * (browser mode only), and what it asked and received meanwhile. Why: that
 * classic script runs as the page's head is parsed, tens of ms before the
 * bundle could open a socket, so after a reload the snapshot and the
 * preview's cached GOP travel while the bundle loads. The bundle's WsClient
 * adopts the socket (ws-client.ts), answers its requests with what the
 * early requests got, and hands on every frame in the order it came.
 */

/** What early-link.js leaves on `window.__intakeEarlyLink`. */
export interface EarlyLink {
  ws: WebSocket | null;
  /** Frames received before adoption, in order (bounded by the script: it closes the socket past 16 MB). */
  frames: (string | ArrayBuffer)[];
  /** The requests it sends as the socket opens (or has sent), with their ids. */
  ahead?: EarlyRequest[];
  /** The first id the bundle may use. */
  nextId: number;
}

/** A request early-link.js sends on open: the bundle's first identical request takes its answer. */
export interface EarlyRequest {
  id: number;
  name: string;
  arg?: unknown;
}

declare global {
  interface Window {
    /** Left by early-link.js for the bundle; taken (and deleted) once. */
    __intakeEarlyLink?: EarlyLink;
  }
}

/** The key that matches a request to an early one: its name and argument as sent. */
export function requestKey(name: string, arg: unknown): string {
  return `${name}\n${JSON.stringify(arg) ?? ''}`;
}

/**
 * Take the early link, once, if it can still be used: its socket opening or
 * open, and the frames it kept well-formed. Anything else (no script, a
 * socket already closed, something odd on `window`) gives null, and the
 * bundle opens its own socket as before.
 */
export function takeEarlyLink(win: Window): EarlyLink | null {
  const link = win.__intakeEarlyLink;
  delete win.__intakeEarlyLink;
  if (!link || typeof link !== 'object' || !link.ws || !Array.isArray(link.frames) || !Number.isInteger(link.nextId)) return null;
  if (link.ws.readyState !== 0 && link.ws.readyState !== 1) return null;
  const ahead = Array.isArray(link.ahead) ? link.ahead.filter((r) => r && Number.isInteger(r.id) && typeof r.name === 'string') : [];
  return { ws: link.ws, frames: link.frames, ahead, nextId: link.nextId };
}
