/**
 * The boxes of a fragmented MP4 after its moov, written straight into one
 * Buffer each (ISO/IEC 14496-12 8.8): a fragment's moof + mdat header, and
 * the mfra random-access index at the end.
 */

/** sample_depends_on = 2 (depends on no other sample), sample_is_non_sync_sample = 0 (8.8.3.1). */
export const SYNC_SAMPLE = 0x02000000;
/** sample_depends_on = 1, sample_is_non_sync_sample = 1. */
export const NON_SYNC_SAMPLE = 0x01010000;

/** One track's samples in a fragment, in decode order, already in the track's timescale. */
export interface TrafRun {
  trackId: number;
  /** Decode time of the first sample (tfdt). */
  baseDecodeTime: number;
  count: number;
  durations: ArrayLike<number>;
  sizes: ArrayLike<number>;
  flags: ArrayLike<number>;
  /** Composition offsets (presentation − decode), in the track's timescale. */
  offsets: ArrayLike<number>;
}

/** A random-access point: a sync sample's presentation time, its moof's file offset, traf and sample number (1-based). */
export interface RandomAccess {
  time: number;
  moof: number;
  traf: number;
  sample: number;
}

const TFHD = 16;
const TFDT = 20;
const TRUN_HEAD = 20;
/** trun per sample: duration, size, flags, composition offset. */
const TRUN_SAMPLE = 16;

function trafSize(r: TrafRun): number {
  return 8 + TFHD + TFDT + TRUN_HEAD + r.count * TRUN_SAMPLE;
}

function header(b: Buffer, at: number, size: number, type: string): number {
  b.writeUInt32BE(size, at);
  b.write(type, at + 4, 'latin1');
  return at + 8;
}

/**
 * moof (mfhd, then per track tfhd + tfdt + trun) followed by the header of
 * the mdat that holds the runs' samples, track after track in the order
 * given. `mdatBytes` is the samples' total size (under 4 GB: the writer cuts
 * fragments far smaller). Every sample has its own duration, size, flags and
 * composition offset: a fragment may start between keyframes, so sync
 * samples are marked one by one, never through defaults.
 */
export function fragmentHeader(sequence: number, runs: readonly TrafRun[], mdatBytes: number): Buffer {
  let moofSize = 8 + 16;
  for (const r of runs) moofSize += trafSize(r);
  const b = Buffer.allocUnsafe(moofSize + 8);
  let p = header(b, 0, moofSize, 'moof');
  p = header(b, p, 16, 'mfhd');
  b.writeUInt32BE(0, p);
  b.writeUInt32BE(sequence, p + 4);
  p += 8;
  let dataOffset = moofSize + 8;
  for (const r of runs) {
    p = header(b, p, trafSize(r), 'traf');
    p = header(b, p, TFHD, 'tfhd');
    b.writeUInt32BE(0x020000, p); // version 0, default-base-is-moof
    b.writeUInt32BE(r.trackId, p + 4);
    p = header(b, p + 8, TFDT, 'tfdt');
    b.writeUInt32BE(0x01000000, p); // version 1: 64-bit decode time
    b.writeBigUInt64BE(BigInt(r.baseDecodeTime), p + 4);
    p = header(b, p + 12, TRUN_HEAD + r.count * TRUN_SAMPLE, 'trun');
    let negative = false;
    for (let i = 0; i < r.count; i++) negative ||= r.offsets[i] < 0;
    // version 1 (signed offsets) only when one is negative: FFmpeg reads version 0 as unsigned, as it must.
    b.writeUInt32BE((negative ? 0x01000000 : 0) | 0x000f01, p); // data offset, duration, size, flags, composition offset
    b.writeUInt32BE(r.count, p + 4);
    b.writeInt32BE(dataOffset, p + 8);
    p += 12;
    for (let i = 0; i < r.count; i++) {
      b.writeUInt32BE(r.durations[i], p);
      b.writeUInt32BE(r.sizes[i], p + 4);
      b.writeUInt32BE(r.flags[i], p + 8);
      b.writeInt32BE(r.offsets[i], p + 12);
      p += TRUN_SAMPLE;
      dataOffset += r.sizes[i];
    }
  }
  header(b, p, mdatBytes + 8, 'mdat');
  return b;
}

/** mfra: one tfra per track (version 1, 32-bit traf/trun/sample numbers), then mfro with mfra's size. */
export function mfraBox(tracks: readonly { trackId: number; points: readonly RandomAccess[] }[]): Buffer {
  let size = 8 + 16;
  for (const t of tracks) size += 24 + t.points.length * 28;
  const b = Buffer.allocUnsafe(size);
  let p = header(b, 0, size, 'mfra');
  for (const t of tracks) {
    p = header(b, p, 24 + t.points.length * 28, 'tfra');
    b.writeUInt32BE(0x01000000, p);
    b.writeUInt32BE(t.trackId, p + 4);
    b.writeUInt32BE(0b111111, p + 8);
    b.writeUInt32BE(t.points.length, p + 12);
    p += 16;
    for (const a of t.points) {
      b.writeBigUInt64BE(BigInt(a.time), p);
      b.writeBigUInt64BE(BigInt(a.moof), p + 8);
      b.writeUInt32BE(a.traf, p + 16);
      b.writeUInt32BE(1, p + 20);
      b.writeUInt32BE(a.sample, p + 24);
      p += 28;
    }
  }
  p = header(b, p, 16, 'mfro');
  b.writeUInt32BE(0, p);
  b.writeUInt32BE(size, p + 4);
  return b;
}
