/**
 * Typed errors of the engine. Every error that ends a connection or rejects
 * input carries a stable `code` from the contract's one vocabulary
 * (`app/contract/errors.ts`), so the UI and the CLI can show *which* rule a
 * peer broke, and so it can cross IPC as a plain `{ code, message }`.
 */
import { ErrorCode, type WireError } from './contract/errors.js';

/** The codes, re-exported for the engine's modules (the contract owns the list). */
export { ErrorCode };

/** The base error of the engine. */
export class RtmpError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RtmpError';
    this.code = code;
  }

  /** The form in which an error crosses IPC, the WebSocket or a JSON log line. */
  toJSON(): WireError {
    return { code: this.code, message: this.message };
  }
}

/** Raised by decoders on malformed AMF data. */
export class AmfError extends RtmpError {
  constructor(message: string) {
    super(ErrorCode.Amf, message);
    this.name = 'AmfError';
  }
}

/** Raised by media parsers on malformed codec data. */
export class MediaError extends RtmpError {
  constructor(message: string) {
    super(ErrorCode.Media, message);
    this.name = 'MediaError';
  }
}
