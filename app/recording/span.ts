/**
 * A recording's presentation span: from its earliest presentation time to
 * the latest presentation time plus that frame's duration, over every track.
 * This, not the highest decode time, is the duration the file shows: with
 * B-frames a P-frame is presented after the B-frames decoded behind it, so
 * the decode-order figure was up to 3 frames off (`-bf 3`).
 */
export class PresentationSpan {
  private start = Infinity;
  /** Where the latest-presented frame ends (ms on the recording's timeline). */
  end = 0;

  /** A frame presented at `pts` (ms) for `durationMs`. */
  add(pts: number, durationMs: number): void {
    if (pts < this.start) this.start = pts;
    if (pts + durationMs > this.end) this.end = pts + durationMs;
  }

  /** The span in ms (0 before any frame). */
  get ms(): number {
    return this.start === Infinity ? 0 : this.end - this.start;
  }
}
