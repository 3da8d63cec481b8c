import { disk } from './disk.js';

/** A disk that stops taking writes fails the file, not the process. */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/**
 * Positional writes of a muxer's output to one file, in order, one
 * `fs.write` in flight: the muxer (mediabunny) hands over a fragment or a
 * cluster at a time, and at the end seeks back to patch its headers, so
 * writes carry their position. Bounded: past 64 MB queued the file fails.
 *
 * `ready()` is the backpressure the muxer's WritableStream waits on; the
 * recorder turns it into pressure on the publisher.
 */
export class FileSink {
  private readonly queue: { data: Uint8Array; pos: number }[] = [];
  private queuedBytes = 0;
  private inFlight = false;
  private error: Error | null = null;
  private idle: (() => void)[] = [];
  /** Bytes the OS has taken. */
  written = 0;
  /** The end of the file as written so far. */
  size = 0;

  constructor(
    private readonly fd: number,
    private readonly onError: (err: Error) => void,
    private readonly onWritten?: () => void,
  ) {}

  /** Bytes handed over but not yet taken by the OS. */
  get backlog(): number {
    return this.queuedBytes;
  }

  /** The first failure, if any. */
  get failed(): Error | null {
    return this.error;
  }

  /** Queue `data` (kept by reference: the muxer hands over a buffer it no longer touches) for `pos`. */
  write(data: Uint8Array, pos: number): void {
    if (this.error) return;
    this.queue.push({ data, pos });
    this.queuedBytes += data.byteLength;
    if (this.queuedBytes > MAX_QUEUED_BYTES) {
      this.fail(new Error(`the disk has not taken ${this.queuedBytes >> 20} MB of queued writes`));
      return;
    }
    this.next();
  }

  /** Resolves once everything queued is written (or the sink failed). */
  drain(): Promise<void> {
    if (!this.inFlight && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private next(): void {
    if (this.inFlight) return;
    const item = this.queue[0];
    if (!item || this.error) {
      const waiters = this.idle;
      this.idle = [];
      for (const w of waiters) w();
      return;
    }
    this.inFlight = true;
    this.writeFrom(item.data, 0, item.pos);
  }

  private writeFrom(data: Uint8Array, off: number, pos: number): void {
    disk.write(this.fd, data, off, data.byteLength - off, pos + off, (err, n) => {
      if (err) {
        this.inFlight = false;
        this.fail(err);
        return;
      }
      this.written += n;
      if (off + n < data.byteLength) {
        this.writeFrom(data, off + n, pos);
        return;
      }
      this.size = Math.max(this.size, pos + data.byteLength);
      this.inFlight = false;
      this.queue.shift();
      this.queuedBytes -= data.byteLength;
      this.onWritten?.();
      this.next();
    });
  }

  private fail(err: Error): void {
    if (this.error) return;
    this.error = err;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.onError(err);
    this.next();
  }
}
