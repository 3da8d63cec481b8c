import { disk } from '../recording/disk.js';
import { BufferPool } from '../recording/buffer-pool.js';
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
/**
 * Staging buffers: a fast stream's grow to 1 MB; it keeps up to 6 written
 * ones (6 MB idle); 8 written MIN_STAGING ones are shared by every writer
 * (640 kB idle; 32 held ~2 MB more at the fan-in's peak for no fewer
 * allocations that showed). Why 6: a stream pushed as fast as the socket
 * holds the recorder's backlog bound (4 MB, recorder.ts) in queued buffers
 * plus the one it fills and the read that crosses the bound. Keeping 4, each
 * turn allocated a new 1 MB buffer while the old ones died in old space: 35
 * allocations in a 306 MB ingest and 77-89 MB peak RSS, against 6 and 66-68
 * MB (chunk size 128, bench/RESULTS.md "Reads into one shared buffer").
 */
const STAGING = new BufferPool(MIN_STAGING, 1024 * 1024, 8, 6);
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
  private readonly buffers = STAGING.writer();
  private readonly queue: WriteQueue<Staged>;
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
        this.buffers.give(item.buf);
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
      // A staging buffer filled up quickly: this stream is fast, and gets a bigger one next.
      if (this.fill > 0) this.buffers.filled(this.staging);
      this.submit();
      this.staging = this.buffers.take(n);
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
    return this.fill > 0 ? performance.now() - this.buffers.takenAt : 0;
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
