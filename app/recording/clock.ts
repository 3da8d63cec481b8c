/** A step back in the stream's timestamps larger than this is a reset, not audio/video interleaving. */
const MAX_BACK_MS = 1000;
/** A step forward larger than this is a jump (a publisher's clock change), not a gap in the media. */
const MAX_JUMP_MS = 10_000;
/** How far the timeline moves on at a discontinuity when no frame interval is known yet. */
const DEFAULT_STEP_MS = 33;

/**
 * A recording's own timeline: the first recorded frame is at 0 (whatever the
 * stream's uptime), and a reset or jump of the stream's timestamps never
 * makes the file's timeline jump or go back: the recording goes on one frame
 * after where it was, and the discontinuity is counted.
 *
 * Sequence headers and metadata are written at 0; only frames set the clock.
 * Timestamps are the 32-bit ms of RTMP, compared modulo 2^32 so that a wrap
 * is an ordinary step.
 */
export class RecordingClock {
  private base: number | null = null;
  /** Added to `ts - base` since the last discontinuity. */
  private offset = 0;
  /** The highest stream timestamp seen, and what it mapped to. */
  private lastIn = 0;
  private lastOut = 0;
  private step = DEFAULT_STEP_MS;
  /** Timestamp resets and jumps stepped over. */
  discontinuities = 0;
  /** The highest timestamp written so far (ms): the recording's duration up to its last frame's start. */
  end = 0;

  /** Whether a frame has started the timeline. */
  get started(): boolean {
    return this.base !== null;
  }

  /** The recording's time (ms, ≥ 0) of a frame whose stream timestamp is `ts`. */
  frame(ts: number): number {
    if (this.base === null) {
      this.base = ts;
      this.lastIn = ts;
      return 0;
    }
    // Signed distance modulo 2^32: a 32-bit wrap is a small forward step.
    const delta = ((ts - this.lastIn) << 0) | 0;
    if (delta < -MAX_BACK_MS || delta > MAX_JUMP_MS) {
      this.discontinuities++;
      // Go on one frame after the latest point written: nothing overlaps, nothing jumps.
      this.offset = this.lastOut + this.step - (((ts - this.base) << 0) | 0);
      this.lastIn = ts;
      this.lastOut += this.step;
      this.end = Math.max(this.end, this.lastOut);
      return this.lastOut;
    }
    const out = Math.max(0, (((ts - this.base) << 0) | 0) + this.offset);
    if (delta > 0) {
      if (delta <= 1000) this.step = delta;
      this.lastIn = ts;
      this.lastOut = out;
    }
    if (out > this.end) this.end = out;
    return out;
  }
}
