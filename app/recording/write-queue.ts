/** A disk that stops taking writes fails the file, not the process. */
export const MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/** One queued write: whatever the writer needs to write it, and its length. */
export interface QueuedWrite {
  readonly bytes: number;
}

/** What the OS answers a write: an error, or how many bytes it took (possibly fewer than asked). */
export type WriteDone = (err: NodeJS.ErrnoException | null, n: number) => void;

/**
 * Writes `item` from byte `done` of it (0 at first, more after a short
 * write) and calls `cb` once, as `fs.write` does.
 */
export type WriteFn<T extends QueuedWrite> = (item: T, done: number, cb: WriteDone) => void;

/**
 * Writes in the order they were queued, one in flight at a time; a short
 * write goes on where the OS stopped; bounded: past MAX_QUEUED_BYTES not yet
 * taken, or at the first error, the queue fails once (`onError`) and drops
 * what it holds. Shared by the FLV writer (AppendWriter) and the MP4/MKV
 * writer (FileSink), which differ only in how one item is written.
 *
 * Why one callback bound once, not a closure per write: only one write is in
 * flight, so its item and progress live in fields and a write allocates
 * nothing here.
 */
export class WriteQueue<T extends QueuedWrite> {
  private readonly queue: T[] = [];
  private queuedBytes = 0;
  private current: T | null = null;
  private done = 0;
  private error: Error | null = null;
  private idle: (() => void)[] = [];
  private readonly afterWrite: WriteDone = (err, n) => this.wrote(err, n);
  /** Bytes the OS has taken. */
  written = 0;

  constructor(
    private readonly write: WriteFn<T>,
    private readonly onError: (err: Error) => void,
    /** Called after each item is written whole, before the next one starts. */
    private readonly onItemWritten?: (item: T) => void,
  ) {}

  /** Bytes queued (the one in flight included) and not yet written whole. */
  get backlog(): number {
    return this.queuedBytes;
  }

  /** The first failure, if any. */
  get failed(): Error | null {
    return this.error;
  }

  /** Queue `item` (ignored once failed, and when empty). */
  push(item: T): void {
    if (this.error || item.bytes === 0) return;
    this.queue.push(item);
    this.queuedBytes += item.bytes;
    if (this.queuedBytes > MAX_QUEUED_BYTES) {
      this.fail(new Error(`the disk has not taken ${this.queuedBytes >> 20} MB of queued writes`));
      return;
    }
    this.next();
  }

  /** Resolves once everything queued is written (or the queue failed). */
  drain(): Promise<void> {
    if (!this.current && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private next(): void {
    if (this.current) return;
    const item = this.queue[0];
    if (!item || this.error) {
      const waiters = this.idle;
      this.idle = [];
      for (const w of waiters) w();
      return;
    }
    this.current = item;
    this.done = 0;
    this.write(item, 0, this.afterWrite);
  }

  private wrote(err: NodeJS.ErrnoException | null, n: number): void {
    const item = this.current!;
    if (err) {
      this.current = null;
      this.fail(err);
      return;
    }
    if (n <= 0) {
      // Never an answer for a file, but a loop if it were.
      this.current = null;
      this.fail(new Error('the disk took 0 bytes of a write'));
      return;
    }
    this.written += n;
    this.done += n;
    if (this.error) {
      // Failed (the bound) while this write was in flight: the queue is gone, only the waiters are left.
      this.current = null;
      this.next();
      return;
    }
    if (this.done < item.bytes) {
      this.write(item, this.done, this.afterWrite);
      return;
    }
    this.current = null;
    this.queue.shift();
    this.queuedBytes -= item.bytes;
    this.onItemWritten?.(item);
    this.next();
  }

  /** Fail once (the first error is the one reported); either way, wake the drain waiters if nothing is in flight. */
  private fail(err: Error): void {
    if (!this.error) {
      this.error = err;
      this.queue.length = 0;
      this.queuedBytes = 0;
      this.onError(err);
    }
    this.next();
  }
}
