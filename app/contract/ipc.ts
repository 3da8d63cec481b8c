/**
 * Electron IPC, shared by main and the preload: the channel names and the
 * envelope a request resolves with (a rejected `invoke` reaches the page as
 * a bare message and would lose the error's code).
 */
import type { WireError } from './errors.js';

export const IPC_CHANNELS = {
  /** Renderer -> main requests (`invoke`), answered with an {@link Envelope}. */
  request: 'intake:request',
  /** Main -> renderer events, sent as (name, payload). */
  event: 'intake:event',
  /** The preload reports each media chunk it received (byte count), so main knows how far the page is behind. */
  mediaAck: 'intake:media-ack',
} as const;

/** What `invoke(IPC_CHANNELS.request, name, arg)` resolves with. */
export type Envelope<T = unknown> = { ok: true; res: T } | { ok: false; error: WireError };
