import type { ErrorCode, WireError } from '../contract/errors.js';
import { RtmpError } from '../errors.js';

/**
 * An error answering a UI request; crosses IPC and the WebSocket as
 * {code, message}. Its codes are the contract's one vocabulary, the same as
 * the engine's: a request for a stream that is not live is 'not-found'
 * whether the host or the engine notices first.
 */
export class UiError extends Error {
  constructor(
    readonly code: ErrorCode,
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
