import { Target } from 'mediabunny';
import type { FileSink } from './file-sink.js';

/** Bytes on their way to the disk above which the muxer waits at its next flush. */
const HIGH_WATER_BYTES = 4 * 1024 * 1024;
/**
 * With `coalesce`, a flushed run goes to the disk once it holds this much or
 * the last one went this long ago. Why: the MKV muxer flushes after every
 * block, and a write per frame (23,000 writes for the bench's 5 minutes) was
 * two thirds of MKV's cost. An MP4 flush is a whole fragment: it goes at once.
 */
const MIN_RUN_BYTES = 256 * 1024;
const MAX_RUN_AGE_MS = 500;
/** A forward seek by at most this much stays in the run (zero-filled). */
const MAX_GAP_BYTES = 64;
/** The first staging buffer for the muxer's own bytes (a fragment's moof is 1-3 kB; it grows when needed). */
const STAGING_BYTES = 16 * 1024;

/** mediabunny's internal Target protocol (not in its .d.ts): what its Writer and Output call. */
interface TargetProtocol {
  _emit(event: 'finalized'): void;
}

/**
 * The muxer's target: mediabunny's output written straight to the file sink.
 *
 * Why not its StreamTarget: that copies every write (`data.slice()`), then
 * copies them all again into one buffer at each flush; at 8 Mbit/s that was
 * two copies of every frame and a fragment's worth of garbage a second.
 * Here the frames the recorder handed to the muxer (listed in `frames`) are
 * kept by reference, and only the muxer's own bytes (box headers, moof,
 * cluster and block headers, which it writes from scratch buffers and
 * patches by seeking back) are copied, into a small staging buffer. At each
 * flush the contiguous run goes to the sink as one `writev`.
 *
 * `onRun` sees each run before it is written: `staging` says which parts are
 * the muxer's own bytes (where the recorder looks for the first Cluster).
 * Used for MKV; MP4's fragments are written by fmp4-writer.ts.
 * A write before the current run (a header patched at the end) goes out on
 * its own, copied.
 */
export class MuxerTarget extends Target {
  private parts: Uint8Array[] = [];
  private staged: boolean[] = [];
  private runStart = 0;
  private runEnd = 0;
  private staging = new Uint8Array(STAGING_BYTES);
  /** Bytes of `staging` taken by parts already listed, and by the open part (the last one, when `open`). */
  private used = 0;
  private open = false;
  private emittedAt = performance.now();

  constructor(
    private readonly sink: FileSink,
    private readonly frames: WeakSet<Uint8Array>,
    private readonly onRun: (parts: readonly Uint8Array[], staged: readonly boolean[], pos: number) => void,
    /** Whether flushed runs may wait (MKV, once its first frame is on its way: a file cut short still holds one). */
    private readonly coalesce: () => boolean,
  ) {
    super();
  }

  /** @internal mediabunny: the writer starts. */
  _start(): void {}

  /** @internal mediabunny: `data` goes at `pos` (valid only during the call unless it is a frame). */
  _write(data: Uint8Array, pos: number): void {
    if (data.byteLength === 0) return;
    if (pos === this.runEnd) this.append(data);
    else if (pos > this.runEnd && pos - this.runEnd <= MAX_GAP_BYTES) {
      // A field skipped to be patched later (an EBML element's size): zeros until then.
      this.append(new Uint8Array(pos - this.runEnd));
      this.append(data);
    } else if (pos >= this.runStart && pos + data.byteLength <= this.runEnd) this.patch(data, pos);
    else {
      this.emitRun();
      if (pos < this.runEnd) {
        // Before what is already on its way: a header patched at the end, written on its own.
        this.sink.write(data.slice(), pos);
        return;
      }
      this.runStart = this.runEnd = pos;
      this.append(data);
    }
  }

  /** @internal mediabunny: a fragment or cluster is complete; waits while the disk is behind. */
  async _flush(): Promise<void> {
    if (!this.coalesce() || this.runEnd - this.runStart >= MIN_RUN_BYTES || performance.now() - this.emittedAt >= MAX_RUN_AGE_MS) this.emitRun();
    if (this.sink.backlog > HIGH_WATER_BYTES) await this.sink.drain();
    if (this.sink.failed) throw this.sink.failed;
  }

  /** @internal mediabunny: the file is complete. */
  async _finalize(): Promise<void> {
    this.emitRun();
    await this.sink.drain();
    if (this.sink.failed) throw this.sink.failed;
    (this as unknown as TargetProtocol)._emit('finalized');
  }

  /** Hands over what a flush left waiting once it is MAX_RUN_AGE_MS old (a stream that stalls mid-cluster is still on disk). */
  flushIdle(): void {
    if (performance.now() - this.emittedAt >= MAX_RUN_AGE_MS) this.emitRun();
  }

  /** @internal mediabunny: the output is closed or cancelled. */
  async _close(): Promise<void> {}

  private append(data: Uint8Array): void {
    this.runEnd += data.byteLength;
    if (this.frames.has(data)) {
      this.open = false;
      this.parts.push(data);
      this.staged.push(false);
      return;
    }
    const last = this.parts.length - 1;
    if (this.open && this.used + data.byteLength <= this.staging.byteLength) {
      const part = this.parts[last];
      this.staging.set(data, this.used);
      this.used += data.byteLength;
      this.parts[last] = this.staging.subarray(part.byteOffset, this.used);
      return;
    }
    // A new staging buffer when this one is full (parts listed earlier keep the old one).
    if (this.used + data.byteLength > this.staging.byteLength) {
      this.staging = new Uint8Array(Math.max(STAGING_BYTES, data.byteLength * 2));
      this.used = 0;
    }
    const start = this.used;
    this.staging.set(data, start);
    this.used += data.byteLength;
    this.parts.push(this.staging.subarray(start, this.used));
    this.staged.push(true);
    this.open = true;
  }

  /** An overwrite inside the run (a box size patched): in place, part by part; a frame's bytes are copied before they are changed. */
  private patch(data: Uint8Array, pos: number): void {
    let at = this.runStart;
    for (let i = 0; i < this.parts.length && at < pos + data.byteLength; i++) {
      const part = this.parts[i];
      const end = at + part.byteLength;
      if (end > pos) {
        if (!this.staged[i]) {
          this.parts[i] = part.slice();
          this.staged[i] = true;
        }
        const from = Math.max(pos, at);
        const to = Math.min(pos + data.byteLength, end);
        this.parts[i].set(data.subarray(from - pos, to - pos), from - at);
      }
      at = end;
    }
  }

  /** Hands the run to the sink and starts the next one where it ends. */
  private emitRun(): void {
    this.emittedAt = performance.now();
    if (this.parts.length > 0) {
      this.onRun(this.parts, this.staged, this.runStart);
      this.sink.writeParts(this.parts, this.runStart);
    }
    this.parts = [];
    this.staged = [];
    this.runStart = this.runEnd;
    // The sink holds views of staging[0, used): later bytes go after them, in the same buffer while it has room.
    this.open = false;
  }
}
