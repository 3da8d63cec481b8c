import { ByteQueue } from '../util/byte-queue.js';
import {
  type ClientHandshakeState,
  type ClientHelloOptions,
  HANDSHAKE_PACKET_SIZE,
  RTMP_VERSION,
  type ServerHandshakeResult,
  clientFinish,
  clientHello,
  serverHandshake,
} from './handshake.js';

/**
 * The handshake as the first phase of a transport: bytes go into one queue
 * and a packet is taken only once it is complete (handshake.ts does the
 * packets themselves). Each role writes its packets through `write`.
 */
export interface HandshakePhase {
  /** Bytes received and held until their packet is complete. */
  readonly buffered: number;
  /**
   * Feed bytes as read. Returns null while the handshake is incomplete; once
   * it completes, the bytes that followed it in the queue (the first chunks,
   * possibly none). Throws RtmpError(Handshake) on a packet it cannot accept.
   */
  push(bytes: Buffer): Buffer | null;
  /** The bytes last pushed are about to be reused by the reader: keep what is held of them. */
  keepUnparsed(): void;
}

/** Server side: C0+C1 in, S0+S1+S2 out, C2 in. */
export class ServerHandshakePhase implements HandshakePhase {
  private readonly queue = new ByteQueue();
  private answered = false;

  /** @param hello Called once S0+S1+S2 went out, with what C0+C1 told about the client. */
  constructor(
    private readonly write: (bytes: Buffer) => void,
    private readonly hello: (hs: ServerHandshakeResult) => void,
  ) {}

  get buffered(): number {
    return this.queue.length;
  }

  keepUnparsed(): void {
    this.queue.keepLast();
  }

  push(bytes: Buffer): Buffer | null {
    const q = this.queue;
    q.push(bytes);
    if (!this.answered) {
      if (q.length < 1 + HANDSHAKE_PACKET_SIZE) {
        // Reject a wrong version byte at once rather than after 1536 more bytes that will never come.
        if (q.length >= 1 && q.peekByte(0) !== RTMP_VERSION) serverHandshake(q.peek(1));
        return null;
      }
      const hs = serverHandshake(q.read(1 + HANDSHAKE_PACKET_SIZE));
      this.answered = true;
      this.write(hs.response);
      this.hello(hs);
    }
    if (q.length < HANDSHAKE_PACKET_SIZE) return null;
    q.skip(HANDSHAKE_PACKET_SIZE);
    return q.read(q.length);
  }
}

/** Client side: C0+C1 out at once, S0+S1+S2 in, C2 out. */
export class ClientHandshakePhase implements HandshakePhase {
  private readonly queue = new ByteQueue();
  private readonly state: ClientHandshakeState;

  constructor(
    private readonly write: (bytes: Buffer) => void,
    opts: ClientHelloOptions = {},
  ) {
    const { c0c1, state } = clientHello(opts);
    this.state = state;
    write(c0c1);
  }

  get buffered(): number {
    return this.queue.length;
  }

  keepUnparsed(): void {
    this.queue.keepLast();
  }

  push(bytes: Buffer): Buffer | null {
    const q = this.queue;
    q.push(bytes);
    if (q.length < 1 + 2 * HANDSHAKE_PACKET_SIZE) return null;
    this.write(clientFinish(this.state, q.read(1 + 2 * HANDSHAKE_PACKET_SIZE)).c2);
    return q.read(q.length);
  }
}
