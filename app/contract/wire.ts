/**
 * The WebSocket framing of the UI contract (browser mode). Text frames carry
 * JSON: requests from the UI, responses and events from the host. Binary
 * frames carry preview media: a 4-byte big-endian preview id, the 8-byte
 * big-endian float64 arrival time of the chunk's newest video frame (ms since
 * the epoch on the host's clock; NaN when the chunk has none), then FLV bytes.
 * No Node imports: the renderer bundles this file too.
 */
import type { WireError } from './errors.js';
import type { UiEventName, UiEvents, UiRequestName } from './ui.js';

/** Where the WebSocket is served. */
export const WS_PATH = '/ws';
/** Close code when the token is missing or wrong (4000-4999 are the application's). */
export const WS_CLOSE_UNAUTHORIZED = 4401;
/** Bytes before the FLV data in a binary media frame: preview id (u32) and arrival time (f64). */
export const MEDIA_HEADER_BYTES = 12;
/** Where the arrival time sits in a media frame. */
export const MEDIA_ARRIVAL_OFFSET = 4;

/** UI -> host. */
export interface ClientFrame {
  id: number;
  name: UiRequestName;
  arg: unknown;
}

/** Host -> UI (text frames). Media goes in binary frames. */
export type ServerFrame =
  | { id: number; ok: true; res: unknown }
  | { id: number; ok: false; error: WireError }
  | { [K in Exclude<UiEventName, 'media'>]: { event: K; payload: UiEvents[K] } }[Exclude<UiEventName, 'media'>];
