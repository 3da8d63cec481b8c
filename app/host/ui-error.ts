import { RtmpError } from '../errors.js';
import type { WireError } from '../contract/ui.js';

/** Why a UI request was refused. */
export type UiErrorCode = 'bad-request' | 'not-found' | 'unsupported' | 'unauthorized' | 'internal';

/** An error answering a UI request; crosses IPC and the WebSocket as {code, message}. */
export class UiError extends Error {
  constructor(
    readonly code: UiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UiError';
  }
}

/** The wire form of any error: typed errors keep their code, anything else is 'internal'. */
export function toWireError(err: unknown): WireError {
  if (err instanceof UiError || err instanceof RtmpError) return { code: err.code, message: err.message };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
