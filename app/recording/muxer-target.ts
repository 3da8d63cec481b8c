import { Target } from 'mediabunny';
import type { FileSink } from './file-sink.js';

/** Bytes on their way to the disk above which the muxer waits (its backpressure). */
const HIGH_WATER_BYTES = 4 * 1024 * 1024;
/**
 * Writes at least this long are kept by reference until the flush: they are
 * frames (the recorder's own copies, never written to again) or boxes built
 * fresh for the write. Shorter ones are copied: the muxer writes box fields
 * through a small buffer it reuses.
 */
const KEEP_BYTES = 1024;

/** A contiguous range of the file being gathered until the muxer flushes. */
interface Run {
  pos: number;
  size: number;
  parts: Uint8Array[];
}

/**
 * The muxer's target: what mediabunny writes between two flushes (a fragment
 * or a cluster, and at the end the patches of its headers) is gathered into
 * contiguous runs and handed to the file sink as one positional write each.
 *
 * Why not mediabunny's StreamTarget: it copies every write, then sorts and
 * merges them into a new buffer at each flush; here a frame is copied once
 * (into its run) and runs are kept in write order, which is already sorted.
 * `onChunk` sees each run before it is written (and may rewrite it in place).
 * The muxer waits while more than 4 MB are on their way to the disk.
 *
 * Target's members below are mediabunny's internal protocol (not in its
 * typings): `_start`, `_write(data, pos)`, `_flush`, `_finalize`, `_close`.
 */
export class SinkTarget extends Target {
  private runs: Run[] = [];

  constructor(
    private readonly sink: FileSink,
    private readonly onChunk: (data: Uint8Array, position: number) => void,
  ) {
    super();
  }

  _start(): void {}

  _write(data: Uint8Array, pos: number): void {
    // A container box's header is written with size 0, then patched once its children are written: patch the run in place.
    if (this.patch(data, pos)) return;
    const kept = data.byteLength >= KEEP_BYTES ? data : data.slice();
    const last = this.runs.at(-1);
    if (last && last.pos + last.size === pos) {
      last.parts.push(kept);
      last.size += kept.byteLength;
    } else {
      this.runs.push({ pos, size: kept.byteLength, parts: [kept] });
    }
  }

  /** Writes `data` over bytes already gathered, when a run holds all of them; false otherwise (then it is a run of its own, written later, which is as good). */
  private patch(data: Uint8Array, pos: number): boolean {
    const end = pos + data.byteLength;
    const run = this.runs.find((r) => r.pos <= pos && end <= r.pos + r.size);
    if (!run) return false;
    let at = run.pos;
    for (let i = 0; i < run.parts.length && at < end; i++) {
      let part = run.parts[i];
      const from = Math.max(pos, at);
      const to = Math.min(end, at + part.byteLength);
      if (from < to) {
        // A frame kept by reference may be shared (a cached GOP's body): copy it before writing into it.
        if (part.byteLength >= KEEP_BYTES) run.parts[i] = part = part.slice();
        part.set(data.subarray(from - pos, to - pos), from - at);
      }
      at += part.byteLength;
    }
    return true;
  }

  async _flush(): Promise<void> {
    const runs = this.runs;
    this.runs = [];
    for (const r of runs) {
      const data = r.parts.length === 1 ? r.parts[0] : Buffer.concat(r.parts, r.size);
      this.onChunk(data, r.pos);
      this.sink.write(data, r.pos);
    }
    if (this.sink.failed) throw this.sink.failed;
    if (this.sink.backlog > HIGH_WATER_BYTES) await this.sink.drain();
    if (this.sink.failed) throw this.sink.failed;
  }

  async _finalize(): Promise<void> {
    await this._flush();
    await this.sink.drain();
    if (this.sink.failed) throw this.sink.failed;
  }

  async _close(): Promise<void> {}
}
