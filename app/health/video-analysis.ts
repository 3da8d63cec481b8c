/**
 * Per-frame analysis of a stream's video: GOPs (keyframe to keyframe, in
 * seconds and frames, closed or open), B-frames and reorder depth from the
 * composition time offsets, inter-frame deltas and their jitter, and the
 * pace of arrival against the media clock. O(1) per frame and no allocation
 * per frame: counters, Welford sums and typed-array rings (see ring.ts).
 */
import { NumberRing, RecordRing } from './ring.js';
import { type GopKind, avcGopKind, hevcGopKind } from './nal-scan.js';

/** GOPs kept for the median and the charts. */
export const GOP_HISTORY = 256;
const GOP_FIELDS = ['atMs', 'mediaMs', 'seconds', 'frames', 'bytes', 'closed'] as const;

/** Media ahead of the wall clock by more than this: faster than real time (an encoder flushing its lookahead sends ~1.5 s at once). */
export const AHEAD_MS = 3000;
/** Media behind the wall clock by more than this (more each time): starved. */
export const BEHIND_MS = 1000;

/** What a frame raised, for the stream's analyser to turn into findings. */
export interface PaceEvent {
  kind: 'ahead' | 'behind';
  ms: number;
}

export class VideoAnalysis {
  /** FourCC of the coded frames' codec ('avc1', 'hvc1'...), from the sequence header. */
  codec: string | null = null;
  nalLengthSize = 4;
  readonly gopSeconds = new NumberRing(GOP_HISTORY);
  readonly gopFrames = new NumberRing(GOP_HISTORY);
  readonly gops = new RecordRing(64, GOP_FIELDS);
  idrKeyframes = 0;
  openKeyframes = 0;
  private lastKeyTs: number | null = null;
  private lastKeyMedia = 0;
  private framesInGop = 0;
  private bytesInGop = 0;
  // B-frames: a frame shown before one decoded earlier follows a run of them.
  private maxPts = Number.NEGATIVE_INFINITY;
  private run = 0;
  maxBRun = 0;
  maxCts = 0;
  dtsAfterPts = 0;
  // Inter-frame deltas: Welford's running mean and variance, and this second's min / max.
  private prevTs: number | null = null;
  private deltas = 0;
  private mean = 0;
  private m2 = 0;
  /**
   * This second's smallest and largest delta, stored on every frame. Why not
   * `if (d < secMin) secMin = d`: in a steady stream that store runs once a
   * second (the first frame after nextSecond), the first time before V8 had
   * given the function its feedback vector, so TurboFan compiled it with no
   * feedback for the store, and every fresh process deoptimised and compiled
   * this routine again a second into its first stream.
   */
  secMin = Number.POSITIVE_INFINITY;
  secMax = Number.NEGATIVE_INFINITY;
  // Pace: wall - media at the segment's first frame, and how far past it was last reported.
  private paceRef: number | null = null;
  /** The largest lead of media over the wall clock in this segment (ms). */
  aheadMax = 0;
  private reportedAhead = 0;
  private reportedBehind = 0;

  /** Forget what spans a timestamp discontinuity (a new segment of the clock). */
  newSegment(): void {
    this.lastKeyTs = null;
    this.prevTs = null;
    this.maxPts = Number.NEGATIVE_INFINITY;
    this.run = 0;
    this.paceRef = null;
    this.aheadMax = this.reportedAhead = this.reportedBehind = 0;
  }

  /**
   * One coded frame: `ts` its unwrapped DTS (ms), `cts` its composition
   * offset, `gap` whether the clock stepped over skipped frames before it.
   * Returns a completed GOP's duration in ms (else -1), so the caller can
   * stamp it; pace events go to `pace`.
   */
  frame(ts: number, cts: number, data: Uint8Array, keyframe: boolean, bytes: number, gap: boolean, wallMs: number, mediaMs: number, pace: (e: PaceEvent) => void): number {
    let completed = -1;
    if (keyframe) {
      const kind = this.gopKind(data);
      if (kind === 1) this.idrKeyframes++;
      else if (kind === 0) this.openKeyframes++;
      if (this.lastKeyTs !== null && ts > this.lastKeyTs) {
        completed = ts - this.lastKeyTs;
        this.gopSeconds.push(completed / 1000);
        this.gopFrames.push(this.framesInGop);
        this.gops.push({ atMs: wallMs, mediaMs: this.lastKeyMedia, seconds: completed / 1000, frames: this.framesInGop, bytes: this.bytesInGop, closed: kind });
      }
      this.lastKeyTs = ts;
      this.lastKeyMedia = mediaMs;
      this.framesInGop = 0;
      this.bytesInGop = 0;
    }
    this.framesInGop++;
    this.bytesInGop += bytes;

    const pts = ts + cts;
    if (cts < 0) this.dtsAfterPts++;
    // Math.max / Math.min rather than `if (x > max) max = x` here and below: see secMin.
    this.maxCts = Math.max(this.maxCts, cts);
    if (pts < this.maxPts) {
      this.maxBRun = Math.max(this.maxBRun, ++this.run);
    } else {
      this.run = 0;
      this.maxPts = pts;
    }

    if (this.prevTs !== null && ts > this.prevTs && !gap) {
      const d = ts - this.prevTs;
      this.deltas++;
      const delta = d - this.mean;
      this.mean += delta / this.deltas;
      this.m2 += delta * (d - this.mean);
      this.secMin = Math.min(this.secMin, d);
      this.secMax = Math.max(this.secMax, d);
    }
    this.prevTs = ts;

    const off = wallMs - ts;
    if (this.paceRef === null) this.paceRef = off;
    const ahead = this.paceRef - off;
    const behind = off - this.paceRef;
    // The first time only; a growing lead is reported by the stats tick (aheadToReport).
    this.aheadMax = Math.max(this.aheadMax, ahead);
    if (ahead > AHEAD_MS && this.reportedAhead === 0) {
      this.reportedAhead = ahead;
      pace({ kind: 'ahead', ms: ahead });
    }
    if (behind > BEHIND_MS && behind > this.reportedBehind + BEHIND_MS) {
      this.reportedBehind = behind;
      pace({ kind: 'behind', ms: behind });
    } else if (behind < BEHIND_MS / 2) {
      this.reportedBehind = 0;
    }
    return completed;
  }

  /**
   * The lead to report now (ms): the segment's largest, if it has grown since
   * the last report; else 0. Called by the analyser's stats tick and before
   * a new segment, not per frame. Why: a file pushed as fast as the socket
   * takes it gains half a second of lead every ~15 frames, and reporting
   * each step from the frame (a finding updated with its words, ~400 times
   * in a one-second push of 600 s of media) ran cold code in the frame path
   * of every fresh process. The finding still gets its first moment from the
   * frame that crossed AHEAD_MS, and after each tick it holds the largest
   * lead (it used to lag by up to 1.5 s); its count is the reports: the
   * crossing and each tick in which the lead grew.
   */
  aheadToReport(): number {
    if (this.reportedAhead === 0 || this.aheadMax <= this.reportedAhead) return 0;
    this.reportedAhead = this.aheadMax;
    return this.aheadMax;
  }

  /** Seconds of the GOP in progress (from its keyframe to the latest frame), or null before a keyframe. */
  currentGopSeconds(): number | null {
    return this.lastKeyTs === null || this.prevTs === null ? null : (this.prevTs - this.lastKeyTs) / 1000;
  }

  /** Mean inter-frame delta (ms) and its standard deviation, or null before two frames. */
  interval(): { mean: number; jitter: number } | null {
    return this.deltas === 0 ? null : { mean: this.mean, jitter: this.deltas > 1 ? Math.sqrt(this.m2 / (this.deltas - 1)) : 0 };
  }

  /** Reset this second's min and max delta. */
  nextSecond(): void {
    this.secMin = Number.POSITIVE_INFINITY;
    this.secMax = Number.NEGATIVE_INFINITY;
  }

  private gopKind(data: Uint8Array): GopKind {
    if (this.codec === 'avc1') return avcGopKind(data, this.nalLengthSize);
    if (this.codec === 'hvc1') return hevcGopKind(data, this.nalLengthSize);
    return -1;
  }
}
