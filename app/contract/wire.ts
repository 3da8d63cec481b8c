/**
 * The WebSocket framing of the UI contract (browser mode). Text frames carry
 * JSON: requests from the UI, responses and events from the host. Binary
 * frames carry preview media: a 20-byte header of big-endian numbers (the
 * preview id u32; the float64 arrival time of the chunk's newest video frame,
 * ms since the epoch on the host's clock, NaN when the chunk has none; the
 * u32 counts `offered` and `forwarded` of MediaChunk), then FLV bytes.
 * No Node imports: the renderer bundles this file too.
 */
import type { WireError } from './errors.js';
import type { UiEventName, UiEvents, UiRequestName } from './ui.js';

/** Where the WebSocket is served. */
export const WS_PATH = '/ws';
/** Close code when the token is missing or wrong (4000-4999 are the application's). */
export const WS_CLOSE_UNAUTHORIZED = 4401;
/** Bytes before the FLV data in a binary media frame: preview id (u32), arrival time (f64), offered and forwarded (u32 each). */
export const MEDIA_HEADER_BYTES = 20;
/** Where the arrival time sits in a media frame. */
export const MEDIA_ARRIVAL_OFFSET = 4;
/** Where MediaChunk.offered sits (u32). */
export const MEDIA_OFFERED_OFFSET = 12;
/** Where MediaChunk.forwarded sits (u32). */
export const MEDIA_FORWARDED_OFFSET = 16;

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
