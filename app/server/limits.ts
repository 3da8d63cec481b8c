import { type ChunkLimits, DEFAULT_CHUNK_LIMITS } from '../rtmp/chunk-decoder.js';

/** Every limit a peer can run into, each with a clear reason when it does. */
export interface Limits extends ChunkLimits {
  /** Time from TCP accept to a complete handshake. */
  handshakeTimeoutMs: number;
  /** Time without a single byte from the peer. */
  idleTimeoutMs: number;
  /** Bytes received but not yet parsed, per connection. */
  maxBufferedBytes: number;
  /** Connections open at once. */
  maxConnections: number;
  /**
   * Connections from one address that have not published yet. A newcomer
   * beyond it takes the seat of one that has sent nothing, so idle sockets
   * from one address cannot lock a publisher out (see WaitingRoom).
   */
  maxWaitingPerAddress: number;
  /**
   * A publisher silent this long gives its key up to a new publisher of the
   * same key: an encoder reconnecting after a network drop must not wait for
   * the idle time-out of a connection that is already dead.
   */
  takeoverAfterMs: number;
  /** Unwritten recording bytes above which the publisher's socket is paused until the disk catches up. */
  recordBacklogBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  ...DEFAULT_CHUNK_LIMITS,
  handshakeTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  maxBufferedBytes: DEFAULT_CHUNK_LIMITS.maxMessageLength + 64 * 1024,
  maxConnections: 1000,
  // An encoder publishes within milliseconds of connecting, but many can start at once behind one address (a studio's NAT,
  // the bench's fan-in of 200 publishers that all connect before any publishes): 32 closed such publishers mid-connect.
  maxWaitingPerAddress: 256,
  takeoverAfterMs: 5_000,
  // The OS takes a megabyte in well under a millisecond: a deeper queue only holds memory (16 MB was 10 MB more peak RSS
  // at ingest); 2 MB paused a fast publisher so often that ingest at chunk size 128 cost 25 % more CPU.
  recordBacklogBytes: 4 * 1024 * 1024,
};
