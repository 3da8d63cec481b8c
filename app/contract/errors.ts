/**
 * The one error vocabulary of Intake. Every error that ends a connection,
 * fails a recording, stops the listener or refuses a UI request carries one
 * of these codes, and the same condition has the same code wherever it is
 * raised (the engine, the host, Electron's main process), so a UI, a script
 * reading `--json` or a test can tell *which* rule was broken.
 */
export const ErrorCode = {
  // A peer broke a protocol rule (the connection is closed).
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

  // The machine or the configuration.
  /** Recorder I/O error (cannot create the folder or the file, a write failed). */
  Recorder: 'recorder',
  /** Invalid configuration or CLI usage, or a listener that cannot start (port in use, no permission). */
  Config: 'config',

  // A request (from a UI, the CLI or a script) that cannot be answered.
  /** The request is malformed: unknown name, missing or ill-typed argument, a value out of range. */
  BadRequest: 'bad-request',
  /** What the request names does not exist (now): no live stream at that path, no such connection. */
  NotFound: 'not-found',
  /** This host cannot do it (open a folder in browser mode), or not now (the listener is not running). */
  Unsupported: 'unsupported',
  /** Anything else: a bug or an unexpected failure of the OS; the message says what. */
  Internal: 'internal',
} as const;

/** Any code of {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error as it crosses IPC, the WebSocket or a JSON log line: a stable code and a sentence for people. */
export interface WireError {
  code: ErrorCode;
  message: string;
}
