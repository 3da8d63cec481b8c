import { EventEmitter } from 'node:events';
import type { PeerStream } from '../../app/server/connection.js';

/**
 * One end of an in-memory duplex pair. What one end writes arrives at the
 * other as 'data' on a later turn of the event loop, as from a socket (never
 * inside the write), cut into reads of at most `readSize` bytes. Paused ends
 * hold what arrives until resumed.
 */
export class MemoryStream extends EventEmitter implements PeerStream {
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 4242;
  peer: MemoryStream | null = null;
  /** Everything written, in order. */
  readonly written: Buffer[] = [];
  private held: Buffer[] = [];
  private paused = false;
  destroyed = false;

  constructor(private readonly readSize = Infinity) {
    super();
  }

  write(bytes: Buffer): boolean {
    const copy = Buffer.from(bytes);
    this.written.push(copy);
    const peer = this.peer;
    if (peer && !this.destroyed) setImmediate(() => peer.arrive(copy));
    return true;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    const held = this.held;
    this.held = [];
    for (const b of held) this.emitReads(b);
  }

  end(callback?: () => void): void {
    const peer = this.peer;
    setImmediate(() => {
      peer?.emit('end');
      callback?.();
    });
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    setImmediate(() => this.emit('close'));
  }

  /** Bytes from the peer. */
  private arrive(bytes: Buffer): void {
    if (this.destroyed) return;
    if (this.paused) this.held.push(bytes);
    else this.emitReads(bytes);
  }

  private emitReads(bytes: Buffer): void {
    for (let off = 0; off < bytes.length; off += this.readSize) {
      // A pause taken during a read holds the rest, as a socket would.
      if (this.paused) {
        this.held.push(bytes.subarray(off));
        return;
      }
      this.emit('data', bytes.subarray(off, Math.min(bytes.length, off + this.readSize)));
    }
  }
}

/** Two connected ends: [server side, client side]. */
export function memoryPair(readSize = Infinity): [MemoryStream, MemoryStream] {
  const a = new MemoryStream(readSize);
  const b = new MemoryStream(readSize);
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/** Let every pending delivery (and the ones it causes) happen. */
export async function settle(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}
