/**
 * The WebSocket framing of the UI contract (browser mode). Text frames carry
 * JSON: requests from the UI, responses and events from the host. Binary
 * frames carry preview media: a 4-byte big-endian preview id, then FLV bytes.
 * No Node imports: the renderer bundles this file too.
 */
import type { WireError } from './errors.js';
import type { UiEventName, UiEvents, UiRequestName } from './ui.js';

/** Where the WebSocket is served. */
export const WS_PATH = '/ws';
/** Close code when the token is missing or wrong (4000-4999 are the application's). */
export const WS_CLOSE_UNAUTHORIZED = 4401;
/** Bytes before the FLV data in a binary media frame. */
export const MEDIA_HEADER_BYTES = 4;

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
