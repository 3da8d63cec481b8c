/**
 * Frame capture, as DESIGN.md defines it:
 *
 *   expected = round((last_ts - first_ts) / interval) + 1
 *
 * with the interval taken from the stream's declared rate (onMetaData
 * framerate, or an audio codec's samples per frame / sample rate) or, without
 * one, from the timestamp deltas. A jump of more than 1.5 intervals therefore
 * counts the frames that are missing.
 *
 * Without a declared rate we take the median delta to reject gaps, then the
 * mean of the deltas within 0.5..1.5 medians as the interval: RTMP carries
 * milliseconds, so 30 fps arrives as 33, 33, 34 and the median alone (33)
 * would claim frames that never existed.
 */
export class CaptureCounter {
  received = 0;
  private first: number | null = null;
  private last = 0;
  private declaredInterval: number | null = null;
  /** Histogram of deltas in ms, for the median without keeping every sample. */
  private readonly deltas = new Map<number, number>();
  private deltaCount = 0;

  /** Set the interval in ms from a declared rate (frames or audio frames per second). */
  declareRate(perSecond: number | undefined): void {
    if (perSecond && Number.isFinite(perSecond) && perSecond > 0 && perSecond < 10_000) this.declaredInterval = 1000 / perSecond;
  }

  /** Count one received frame with its (unwrapped, monotonic where the stream is) timestamp in ms. */
  frame(timestamp: number): void {
    this.received++;
    if (this.first === null) {
      this.first = timestamp;
      this.last = timestamp;
      return;
    }
    const d = timestamp - this.last;
    if (d > 0) {
      this.last = timestamp;
      if (this.deltaCount < 100_000) {
        this.deltas.set(d, (this.deltas.get(d) ?? 0) + 1);
        this.deltaCount++;
      }
    }
  }

  /** The interval in ms used for `expected`, or null when unknown yet. */
  interval(): number | null {
    if (this.declaredInterval !== null) return this.declaredInterval;
    if (this.deltaCount === 0) return null;
    const sorted = [...this.deltas.keys()].sort((a, b) => a - b);
    let seen = 0;
    let median = sorted[0];
    for (const d of sorted) {
      seen += this.deltas.get(d)!;
      if (seen * 2 >= this.deltaCount) {
        median = d;
        break;
      }
    }
    let sum = 0;
    let n = 0;
    for (const d of sorted) {
      if (d >= median * 0.5 && d <= median * 1.5) {
        const c = this.deltas.get(d)!;
        sum += d * c;
        n += c;
      }
    }
    return n > 0 ? sum / n : median;
  }

  /** Frames the publisher must have sent. */
  expected(): number {
    if (this.first === null) return 0;
    const iv = this.interval();
    if (iv === null) return this.received;
    return Math.round((this.last - this.first) / iv) + 1;
  }

  /** received / expected in percent (null before there is anything to compare). */
  percent(): number | null {
    const e = this.expected();
    return e === 0 ? null : (this.received / e) * 100;
  }
}

/** Unwraps 32-bit RTMP timestamps into a monotonic-capable number line. */
export class TimestampUnwrapper {
  private epoch = 0;
  private prev: number | null = null;

  unwrap(ts: number): number {
    if (this.prev !== null) {
      if (ts < this.prev && this.prev - ts > 0x80000000) this.epoch += 0x100000000;
      else if (ts > this.prev && ts - this.prev > 0x80000000 && this.epoch > 0) return ts + this.epoch - 0x100000000;
    }
    this.prev = ts;
    return ts + this.epoch;
  }
}

/**
 * Events per second and bits per second over a sliding one-second window.
 *
 * Why a ring of typed arrays: every frame of every track adds one entry (7,700
 * a second with 100 publishers). Plain arrays compacted every 1,024 entries
 * held ~1,000 dead numbers per array (2.4 MB of heap at 100 streams) and
 * allocated on each compaction; the ring holds only the last second's
 * entries (grown by doubling when a second holds more) and allocates nothing
 * in steady state.
 */
export class RateMeter {
  private times = new Float64Array(64);
  private sizes = new Float64Array(64);
  /** Index of the oldest entry in the ring. */
  private head = 0;
  private count = 0;
  private bytesInWindow = 0;

  add(now: number, bytes: number): void {
    this.trim(now);
    if (this.count === this.times.length) this.grow();
    const i = (this.head + this.count) % this.times.length;
    this.times[i] = now;
    this.sizes[i] = bytes;
    this.count++;
    this.bytesInWindow += bytes;
  }

  /** [eventsPerSecond, bitsPerSecond] over the last second ending at `now`. */
  read(now: number): [number, number] {
    this.trim(now);
    return [this.count, this.bytesInWindow * 8];
  }

  /** Entries the ring can hold before it grows (the most seen within one second, rounded up). */
  get capacity(): number {
    return this.times.length;
  }

  private trim(now: number): void {
    const cap = this.times.length;
    while (this.count > 0 && this.times[this.head] <= now - 1000) {
      this.bytesInWindow -= this.sizes[this.head];
      this.head = (this.head + 1) % cap;
      this.count--;
    }
    // Exact again when empty (no drift from adding and subtracting fractions).
    if (this.count === 0) this.bytesInWindow = 0;
  }

  private grow(): void {
    const cap = this.times.length;
    const times = new Float64Array(cap * 2);
    const sizes = new Float64Array(cap * 2);
    for (let k = 0; k < this.count; k++) {
      times[k] = this.times[(this.head + k) % cap];
      sizes[k] = this.sizes[(this.head + k) % cap];
    }
    this.times = times;
    this.sizes = sizes;
    this.head = 0;
  }
}
