/**
 * The large buffers a recording fills and hands to the disk (the FLV
 * writer's staging, the MP4 recorder's frame chunks), reused once written.
 *
 * Why one pool shape for both: a recording of a slow stream needs one
 * buffer and a written one back now and then, while a file pushed as fast
 * as the socket goes fills a buffer in a few ms and wants fewer, larger
 * writes. So a writer starts at the pool's `min` size and doubles, up to
 * `max`, each time it fills a buffer within FAST_FILL_MS; it keeps a few of
 * its written large buffers, and written `min` buffers go to spares shared
 * by every writer of the kind (100 slow streams need 100 buffers and a few
 * spares between them, not a spare each). Why keep buffers at all: a
 * dropped one has usually lived long enough to reach V8's old space, where
 * its memory waits for a full collection (bench/RESULTS.md: 20-40 MB more
 * peak RSS at ingest without them).
 */

/** A buffer filled faster than this belongs to a fast stream: the next one is twice the size. */
const FAST_FILL_MS = 100;

/** The sizes and bounds of one kind of buffer (one per kind of writer). */
export class BufferPool {
  /** Written `min` buffers, for any writer of this kind. */
  private readonly shared: Buffer[] = [];

  constructor(
    /** Every writer's first buffer, and a slow stream's only size. */
    readonly min: number,
    /** The most a fast stream's buffer grows to. */
    readonly max: number,
    /** Written `min` buffers kept for every writer together. */
    readonly maxShared: number,
    /** Written larger buffers each fast writer keeps. */
    readonly maxOwn: number,
  ) {}

  /** A writer's own view of the pool. */
  writer(): PoolWriter {
    return new PoolWriter(this);
  }

  /** A written `min` buffer, or a new one. */
  takeShared(): Buffer {
    return this.shared.pop() ?? Buffer.allocUnsafeSlow(this.min);
  }

  /** Keep a written `min` buffer for any writer (within the bound). */
  giveShared(buf: Buffer): void {
    if (this.shared.length < this.maxShared) this.shared.push(buf);
  }
}

/** One writer's buffers: its growing size, when it took its last one, and its written large ones. */
export class PoolWriter {
  /** The size of the next buffer taken. */
  nextSize: number;
  /** When the last buffer was taken (performance.now()). */
  takenAt = 0;
  private readonly own: Buffer[] = [];

  constructor(private readonly pool: BufferPool) {
    this.nextSize = pool.min;
  }

  /** The writer filled `buf` (taken last): filled within FAST_FILL_MS, its next buffers are twice the size, and smaller kept ones go. */
  filled(buf: Buffer): void {
    if (performance.now() - this.takenAt >= FAST_FILL_MS) return;
    const next = Math.min(buf.byteLength * 2, this.pool.max);
    if (next === this.nextSize) return;
    this.nextSize = next;
    for (let i = this.own.length - 1; i >= 0; i--) if (this.own[i].byteLength < next) this.own.splice(i, 1);
  }

  /** A buffer of at least `need` bytes (and at least the writer's size) to fill next. */
  take(need: number): Buffer {
    this.takenAt = performance.now();
    const size = Math.max(need, this.nextSize);
    if (size === this.pool.min) return this.pool.takeShared();
    const i = this.own.findIndex((b) => b.byteLength >= size);
    return i >= 0 ? this.own.splice(i, 1)[0] : Buffer.allocUnsafeSlow(size);
  }

  /** A buffer the disk has taken: kept for reuse within the bounds, else left to the collector. */
  give(buf: Buffer): void {
    if (buf.byteLength === this.pool.min) this.pool.giveShared(buf);
    else if (buf.byteLength >= this.nextSize && this.own.length < this.pool.maxOwn) this.own.push(buf);
  }
}
