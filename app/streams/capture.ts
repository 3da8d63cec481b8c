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

/** Events per second and bits per second over a sliding one-second window. */
export class RateMeter {
  private readonly times: number[] = [];
  private readonly sizes: number[] = [];
  private head = 0;
  private bytesInWindow = 0;

  add(now: number, bytes: number): void {
    this.times.push(now);
    this.sizes.push(bytes);
    this.bytesInWindow += bytes;
    this.trim(now);
  }

  /** [eventsPerSecond, bitsPerSecond] over the last second ending at `now`. */
  read(now: number): [number, number] {
    this.trim(now);
    return [this.times.length - this.head, this.bytesInWindow * 8];
  }

  private trim(now: number): void {
    while (this.head < this.times.length && this.times[this.head] <= now - 1000) {
      this.bytesInWindow -= this.sizes[this.head];
      this.head++;
    }
    if (this.head > 1024) {
      this.times.splice(0, this.head);
      this.sizes.splice(0, this.head);
      this.head = 0;
    }
  }
}
