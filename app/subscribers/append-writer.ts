import fs from 'node:fs';

/** Staging starts small (a slow stream never needs more) and doubles, up to this, for fast ones. */
const MIN_STAGING = 16 * 1024;
const MAX_STAGING = 1024 * 1024;
/** A disk that stops taking writes fails the file, not the process. */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);

/**
 * Appends to a file through staging buffers: callers reserve space and fill
 * it in place, full buffers are written in order with one `fs.write` in
 * flight at a time, and a failure is reported once.
 *
 * Why this shape: a recording must not hold the media it receives (the
 * engine reuses its reassembly buffers), so each tag is copied once into a
 * staging buffer — a memcpy — and written in large blocks. Plain callbacks,
 * not promises: one write per staging buffer, whatever the tag rate.
 */
export class AppendWriter {
  private staging: Buffer = EMPTY;
  private fill = 0;
  private nextSize = MIN_STAGING;
  private readonly queue: { buf: Buffer; len: number }[] = [];
  private queuedBytes = 0;
  private inFlight = false;
  private spare: Buffer | null = null;
  private error: Error | null = null;
  private drainWaiters: (() => void)[] = [];
  private lowWaiters: { low: number; resolve: () => void }[] = [];
  /** Bytes handed to the writer, written or not. */
  accepted = 0;
  /** Bytes the OS has taken. */
  written = 0;

  constructor(
    private readonly fd: number,
    private readonly onError: (err: Error) => void,
    private readonly onWritten?: () => void,
  ) {}

  /** Room for `n` bytes, filled by the caller right away: returns the buffer and offset to write at. */
  reserve(n: number): { buf: Buffer; off: number } {
    if (this.staging.length - this.fill < n) {
      // A staging buffer filled up: this stream is fast, give it a bigger one next.
      if (this.fill > 0) this.nextSize = Math.min(this.staging.length * 2, MAX_STAGING);
      this.submit();
      const size = Math.max(n, this.nextSize);
      this.staging = this.spare && this.spare.length >= size ? this.spare : Buffer.allocUnsafe(size);
      if (this.staging === this.spare) this.spare = null;
    }
    const off = this.fill;
    this.fill += n;
    this.accepted += n;
    return { buf: this.staging, off };
  }

  /** Hand what is staged to the OS (a timer or the end of a stream calls this). */
  flush(): void {
    this.submit();
  }

  /** Bytes accepted but not yet taken by the OS. */
  get backlog(): number {
    return this.accepted - this.written;
  }

  /**
   * Null while the backlog is under `high`; otherwise a promise that resolves
   * once it is back under `low` (or the writer failed). Lets a fast publisher
   * be slowed down by TCP instead of outrunning the disk.
   */
  pressure(high: number, low: number): Promise<void> | null {
    if (this.error || this.backlog < high) return null;
    this.flush();
    return new Promise((resolve) => this.lowWaiters.push({ low, resolve }));
  }

  /** Flush and resolve once every accepted byte is written (or the writer failed). */
  drain(): Promise<void> {
    this.flush();
    if (!this.inFlight && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private submit(): void {
    const len = this.fill;
    if (len === 0) return;
    const buf = this.staging;
    this.staging = EMPTY;
    this.fill = 0;
    if (this.error) return;
    this.queue.push({ buf, len });
    this.queuedBytes += len;
    if (this.queuedBytes > MAX_QUEUED_BYTES) {
      this.fail(new Error(`the disk has not taken ${this.queuedBytes >> 20} MB of queued writes`));
      return;
    }
    this.next();
  }

  private next(): void {
    if (this.inFlight) return;
    const item = this.queue[0];
    if (!item || this.error) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
      return;
    }
    this.inFlight = true;
    this.writeFrom(item.buf, 0, item.len);
  }

  private writeFrom(buf: Buffer, off: number, len: number): void {
    fs.write(this.fd, buf, off, len - off, null, (err, n) => {
      if (err) {
        this.inFlight = false;
        this.fail(err);
        return;
      }
      this.written += n;
      if (off + n < len) {
        this.writeFrom(buf, off + n, len);
        return;
      }
      this.inFlight = false;
      this.queue.shift();
      this.queuedBytes -= len;
      // Keep one written buffer for reuse, so a steady stream allocates nothing.
      if (!this.spare || buf.length > this.spare.length) this.spare = buf;
      this.onWritten?.();
      if (this.lowWaiters.length) this.wakeBelow();
      this.next();
    });
  }

  private wakeBelow(): void {
    const backlog = this.backlog;
    const still: typeof this.lowWaiters = [];
    for (const w of this.lowWaiters) {
      if (this.error || backlog < w.low) w.resolve();
      else still.push(w);
    }
    this.lowWaiters = still;
  }

  private fail(err: Error): void {
    if (this.error) return;
    this.error = err;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.onError(err);
    this.wakeBelow();
    this.next();
  }
}
