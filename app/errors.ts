/**
 * Typed errors of the engine. Every error that ends a connection or rejects
 * input carries a stable `code`, so the UI and the CLI can show *which* rule a
 * peer broke, and so it can cross IPC as a plain `{ code, message }`.
 */
export const ErrorCode = {
  /** C0 version byte or handshake packet content we cannot accept. */
  Handshake: 'handshake',
  /** The peer did not finish the handshake in time. */
  HandshakeTimeout: 'handshake-timeout',
  /** A chunk header that cannot be valid (e.g. format 1-3 on a fresh chunk stream). */
  ChunkHeader: 'chunk-header',
  /** Set Chunk Size outside 1..2^31-1. (What a large chunk size can make us buffer is bounded by maxMessageLength.) */
  ChunkSize: 'chunk-size',
  /** A message length above the configured maximum. */
  MessageTooLarge: 'message-too-large',
  /** More bytes buffered for one connection than the configured cap. */
  BufferOverflow: 'buffer-overflow',
  /** Too many chunk streams with partial messages. */
  TooManyChunkStreams: 'too-many-chunk-streams',
  /** An AMF0/AMF3 value that cannot be decoded. */
  Amf: 'amf',
  /** A protocol message whose payload is malformed for its type. */
  Message: 'message',
  /** Nothing received for longer than the idle time-out. */
  IdleTimeout: 'idle-timeout',
  /** The server refused the connection (e.g. too many connections). */
  ConnectionLimit: 'connection-limit',
  /** Media payload that cannot be parsed (bad sequence header...). */
  Media: 'media',
  /** Socket-level error (ECONNRESET...). */
  Socket: 'socket',
  /** Recorder I/O error. */
  Recorder: 'recorder',
  /** Invalid configuration or CLI usage. */
  Config: 'config',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The base error of the engine. */
export class RtmpError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RtmpError';
    this.code = code;
  }

  /** The form in which an error crosses IPC, the WebSocket or a JSON log line. */
  toJSON(): { code: ErrorCode; message: string } {
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
