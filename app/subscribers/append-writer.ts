import { disk } from '../recording/disk.js';
import { type WriteDone, WriteQueue } from '../recording/write-queue.js';

/**
 * A stream's staging buffer, and so its usual write: a 2 Mbit/s stream fills
 * it in about a third of a second. Why this size: each `fs.write` is a round
 * trip through libuv's thread pool, so the number of writes, not their size,
 * is what recording 100 streams costs; at 16 kB and a flush every 100 ms it
 * was 1,000 writes a second and a quarter of the receiver's CPU (64 kB
 * measured 1.59x nginx-rtmp's CPU, 128 kB 1.46x). Not larger: every stream
 * holds one, and 100 recordings at 128 kB (with 32 shared spares) peaked at
 * 84 MB; at 80 kB, with the recorder's flush only for bytes a second old (so
 * a stream that fills its buffer is not also flushed by the timer), 78.5 MB
 * at the same CPU (bench/RESULTS.md, "Fan-in staging").
 */
export const MIN_STAGING = 80 * 1024;
/** Fast streams (a file pushed as fast as the socket goes) get staging up to this. */
const MAX_STAGING = 1024 * 1024;
/** A staging buffer filled faster than this belongs to a fast stream: the next one is twice the size. */
const FAST_FILL_MS = 100;
/**
 * Written buffers a fast stream keeps for reuse (up to 4 MB idle per fast
 * stream). Why keep them: a dropped buffer has usually lived long enough to
 * reach V8's old space, where its memory waits for a full collection; fewer
 * spares measured 20-40 MB more peak RSS at ingest.
 */
const MAX_SPARES = 4;
/**
 * Written MIN_STAGING buffers, shared by every writer: 100 slow streams need
 * 100 staging buffers and a few spares between them (the writes in flight),
 * not a spare each (bounded at 640 kB idle; 32 spares held ~2 MB more at the
 * fan-in's peak for no fewer allocations that showed).
 */
const sharedSpares: Buffer[] = [];
const MAX_SHARED_SPARES = 8;
const EMPTY = Buffer.alloc(0);

/** A staging buffer handed to the queue: its first `bytes` are the data. */
interface Staged {
  readonly buf: Buffer;
  readonly bytes: number;
}

/**
 * Appends to a file through staging buffers: callers reserve space and fill
 * it in place, full buffers are written in order with one `fs.write` in
 * flight at a time (a {@link WriteQueue}), and a failure is reported once.
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
  private readonly queue: WriteQueue<Staged>;
  /** Larger written buffers of this (fast) writer, for reuse. */
  private readonly spares: Buffer[] = [];
  /** When the current staging buffer was taken (performance.now()). */
  private stagedAt = 0;
  private lowWaiters: { low: number; resolve: () => void }[] = [];
  /** Bytes handed to the writer, written or not. */
  accepted = 0;

  constructor(
    private readonly fd: number,
    onError: (err: Error) => void,
    onWritten?: () => void,
  ) {
    this.queue = new WriteQueue<Staged>(
      (item, done, cb) => this.writeStaged(item, done, cb),
      (err) => {
        onError(err);
        this.wakeBelow();
      },
      (item) => {
        // Keep written buffers for reuse, so a steady stream allocates nothing.
        this.give(item.buf);
        onWritten?.();
        if (this.lowWaiters.length) this.wakeBelow();
      },
    );
  }

  /** Bytes the OS has taken. */
  get written(): number {
    return this.queue.written;
  }

  /** Room for `n` bytes, filled by the caller right away: returns the buffer and offset to write at. */
  reserve(n: number): { buf: Buffer; off: number } {
    if (this.staging.length - this.fill < n) {
      // A staging buffer filled up quickly: this stream is fast, give it a bigger one next.
      if (this.fill > 0 && performance.now() - this.stagedAt < FAST_FILL_MS) this.nextSize = Math.min(this.staging.length * 2, MAX_STAGING);
      this.submit();
      this.staging = this.take(Math.max(n, this.nextSize));
      this.stagedAt = performance.now();
    }
    const off = this.fill;
    this.fill += n;
    this.accepted += n;
    return { buf: this.staging, off };
  }

  /** Bytes staged and not yet handed to the OS. */
  get staged(): number {
    return this.fill;
  }

  /** How long ago the oldest staged byte was accepted (ms; 0 with nothing staged). */
  get stagedAgeMs(): number {
    return this.fill > 0 ? performance.now() - this.stagedAt : 0;
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
    if (this.queue.failed || this.backlog < high) return null;
    this.flush();
    return new Promise((resolve) => this.lowWaiters.push({ low, resolve }));
  }

  /** Flush and resolve once every accepted byte is written (or the writer failed). */
  drain(): Promise<void> {
    this.flush();
    return this.queue.drain();
  }

  private submit(): void {
    const bytes = this.fill;
    if (bytes === 0) return;
    const buf = this.staging;
    this.staging = EMPTY;
    this.fill = 0;
    this.queue.push({ buf, bytes });
  }

  private writeStaged(item: Staged, done: number, cb: WriteDone): void {
    disk.write(this.fd, item.buf, done, item.bytes - done, null, cb);
  }

  /** A buffer of at least `size` bytes: a written one if one is kept, else a new one. */
  private take(size: number): Buffer {
    if (size === MIN_STAGING) return sharedSpares.pop() ?? Buffer.allocUnsafeSlow(MIN_STAGING);
    const i = this.spares.findIndex((b) => b.length >= size);
    if (i >= 0) return this.spares.splice(i, 1)[0];
    return Buffer.allocUnsafe(size);
  }

  /** Keep a written buffer for the next `take`, within the bounds. */
  private give(buf: Buffer): void {
    if (buf.length === MIN_STAGING) {
      if (sharedSpares.length < MAX_SHARED_SPARES) sharedSpares.push(buf);
    } else if (buf.length >= this.nextSize && this.spares.length < MAX_SPARES) {
      this.spares.push(buf);
    }
  }

  private wakeBelow(): void {
    const failed = this.queue.failed;
    const backlog = this.backlog;
    const still: typeof this.lowWaiters = [];
    for (const w of this.lowWaiters) {
      if (failed || backlog < w.low) w.resolve();
      else still.push(w);
    }
    this.lowWaiters = still;
  }
}
