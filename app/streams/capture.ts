/** What the last frame's timestamp did to the count (see {@link CaptureCounter.frame}). */
export const TsEvent = {
  None: 0,
  /** A step forward of more than 1.5 intervals (and at most {@link JUMP_MS}): frames the encoder never sent. */
  Skip: 1,
  /** Back to near zero from later on: a new segment. */
  Reset: 2,
  /** Forward by more than {@link JUMP_MS}: a new segment. */
  Jump: 3,
  /** Backwards (by more than a second: a new segment; less: counted, nothing moves). */
  Backwards: 4,
} as const;
export type TsEvent = (typeof TsEvent)[keyof typeof TsEvent];

/** A forward step longer than this is a jump of the clock, not a gap in the frames: a minute. */
export const JUMP_MS = 60_000;
/** A backward step longer than this starts a new segment. */
const BACK_SEGMENT_MS = 1000;
/** A step back to below this (from beyond twice it) is a reset of the clock to zero. */
const RESET_NEAR_ZERO_MS = 1000;

/**
 * Frame capture, as DESIGN.md defines it:
 *
 *   expected = round((last_ts - first_ts) / interval) + 1   per segment
 *   capture  = received / (expected - frames the encoder skipped), at most 100 %
 *
 * with the interval taken from the stream's declared rate (onMetaData
 * framerate, or an audio codec's samples per frame / sample rate) or, without
 * one, from the timestamp deltas.
 *
 * Who lost what: Intake proves its own share by byte accounting (every byte
 * read is consumed into complete chunks; what a disconnect discards is said
 * per stream), so a step of the clock by more than 1.5 intervals with nothing
 * in between is frames the encoder never sent: counted as `skipped`, a
 * health finding, not a loss. A timestamp discontinuity (a reset to zero, a
 * jump of more than a minute, a step back of more than a second) closes the
 * segment and starts a new one, instead of turning the clock's count into
 * 0.2 % or 200 %.
 *
 * Without a declared rate we take the median delta to reject gaps, then the
 * mean of the deltas within 0.5..1.5 medians as the interval: RTMP carries
 * milliseconds, so 30 fps arrives as 33, 33, 34 and the median alone (33)
 * would claim frames that never existed.
 */
export class CaptureCounter {
  received = 0;
  /** Segments of the clock so far (1 once a frame arrived). */
  segments = 0;
  /** What the last frame's timestamp did ({@link TsEvent}); the step in ms is `lastStep`. */
  lastEvent: TsEvent = TsEvent.None;
  lastStep = 0;
  /** The last frame's timestamp (unwrapped), as counted. */
  lastTs = 0;
  private first: number | null = null;
  private last = 0;
  /** Sum of the closed segments' spans (last - first), in ms. */
  private closedSpan = 0;
  /** Sum of the gap steps (each > 1.5 intervals) and how many there were: the frames skipped follow from them. */
  private gapMs = 0;
  private gapSteps = 0;
  private declaredInterval: number | null = null;
  /** Histogram of deltas in ms, for the median without keeping every sample. */
  private readonly deltas = new Map<number, number>();
  private deltaCount = 0;
  /** The interval as last estimated (refreshed every 64 deltas: the median is not worth a sort per frame). */
  private cachedInterval: number | null = null;

  /** Set the interval in ms from a declared rate (frames or audio frames per second). */
  declareRate(perSecond: number | undefined): void {
    if (perSecond && Number.isFinite(perSecond) && perSecond > 0 && perSecond < 10_000) {
      this.declaredInterval = 1000 / perSecond;
      this.cachedInterval = this.declaredInterval;
    }
  }

  /** Count one received frame with its (unwrapped) timestamp in ms; sets `lastEvent`. No allocation. */
  frame(timestamp: number): void {
    this.received++;
    this.lastEvent = TsEvent.None;
    this.lastTs = timestamp;
    if (this.first === null) {
      this.first = timestamp;
      this.last = timestamp;
      this.segments = 1;
      return;
    }
    const d = timestamp - this.last;
    this.lastStep = d;
    if (d > JUMP_MS) return this.newSegment(timestamp, TsEvent.Jump);
    if (d < 0) {
      if (-d <= BACK_SEGMENT_MS) {
        this.lastEvent = TsEvent.Backwards;
        return;
      }
      const reset = timestamp < RESET_NEAR_ZERO_MS && this.last > 2 * RESET_NEAR_ZERO_MS;
      return this.newSegment(timestamp, reset ? TsEvent.Reset : TsEvent.Backwards);
    }
    if (d === 0) return;
    this.last = timestamp;
    if (this.deltaCount < 100_000) {
      this.deltas.set(d, (this.deltas.get(d) ?? 0) + 1);
      this.deltaCount++;
      if (this.declaredInterval === null && (this.deltaCount & 63) === 1) this.cachedInterval = this.interval();
    }
    const iv = this.cachedInterval;
    if (iv !== null && d > iv * 1.5) {
      this.gapMs += d;
      this.gapSteps++;
      this.lastEvent = TsEvent.Skip;
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

  /** Frames the publisher's clock spans, segment by segment (skipped frames included). */
  expected(): number {
    if (this.first === null) return 0;
    const iv = this.interval();
    if (iv === null) return this.received;
    return Math.round((this.closedSpan + this.last - this.first) / iv) + this.segments;
  }

  /** Frames the encoder never sent: the clock stepped over them (each gap's round(step / interval) - 1). */
  skipped(): number {
    const iv = this.interval();
    if (iv === null || this.gapSteps === 0) return 0;
    return Math.max(0, Math.round(this.gapMs / iv) - this.gapSteps);
  }

  /** received / (expected - skipped) in percent, never above 100 (null before there is anything to compare). */
  percent(): number | null {
    const e = this.expected() - this.skipped();
    if (e <= 0) return null;
    return Math.min(100, (this.received / e) * 100);
  }

  private newSegment(timestamp: number, kind: TsEvent): void {
    this.closedSpan += this.last - this.first!;
    this.first = timestamp;
    this.last = timestamp;
    this.segments++;
    this.lastEvent = kind;
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
