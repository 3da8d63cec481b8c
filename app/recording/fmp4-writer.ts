import type { FileSink } from './file-sink.js';
import { NON_SYNC_SAMPLE, type RandomAccess, SYNC_SAMPLE, type TrafRun, fragmentHeader, mfraBox } from './fmp4-boxes.js';
import { type InitSegment, type InitTrack, buildInitSegment } from './fmp4-init.js';

/**
 * Fragments hold the frames of one slot of this many ms of decode time, the
 * slots laid from the first frame on (0-1 s, 1-2 s, ...), whatever the
 * frames: issue 10 asks for fragments of at most ~1 s, so a killed process
 * loses at most ~1 s, and the writer holds at most ~1 s of frames. A grid,
 * not "1 s from the fragment's first frame": that first frame is as often
 * audio as video, and GOPs that divide 1 s would drift off the cuts.
 */
const MAX_FRAGMENT_MS = 1000;
/** Or before a frame that would make it hold more than this (a stream of huge frames). */
const MAX_FRAGMENT_BYTES = 16 * 1024 * 1024;
/**
 * Entries of a track's mfra index kept (about one a second: ~27 h of
 * recording, ~6 MB at most). Past it later keyframes are left out of the
 * index, which only speeds seeking: the fragments themselves say everything.
 */
const MAX_INDEX_POINTS = 100_000;
/** A fragment still open this long after its first frame arrived (a stalled stream) is written by `flushIdle`. */
const MAX_FRAGMENT_AGE_MS = 1000;

/** One track's samples in one fragment: decode and presentation times (ms), keyframe flags, the frames themselves. */
interface Samples {
  dts: number[];
  pts: number[];
  key: boolean[];
  data: Uint8Array[];
  /** The last sample's duration (ms): a fragment's last sample lasts what the one before it did. */
  step: number;
}

interface TrackState {
  kind: 'video' | 'audio';
  id: number;
  timescale: number;
  /** The open fragment's samples of this track. */
  open: Samples;
  points: RandomAccess[];
}

const samples = (step: number): Samples => ({ dts: [], pts: [], key: [], data: [], step });

/**
 * Writes a fragmented MP4 itself, after the ftyp + moov that Mediabunny
 * writes (fmp4-init.ts).
 *
 * Why not Mediabunny for the fragments: (1) cost. Per packet it runs an
 * async chain (the source's add, a mutex, its interleaver, each awaited) and
 * builds each moof twice from nested arrays of numbers: recording MP4 cost
 * 2.04x the CPU per GB of recording FLV in `npm run bench` ingest (target
 * 1.3x). Here a frame is pushed onto arrays, and a fragment is one Buffer
 * written field by field plus the frames by reference in one `writev`.
 * (2) fragments of at most ~1 s. Mediabunny cuts only where every track's
 * next frame is a keyframe, so a 10 s GOP made a 10 s fragment; its forced
 * cut (`forceFragmentFinalization`) mislabels sync samples (tfhd's default
 * flags come from the fragment's second sample, so a fragment that starts on
 * a delta frame marks every sample after its first as sync) and its tfra
 * lists each fragment's first sample as a sync point; it also derives decode
 * times by sorting presentation times, which is only right over whole GOPs.
 * Here decode times are the stream's own, and each sample says whether it is
 * a sync sample.
 */
export class Fmp4Writer {
  private readonly tracks: TrackState[];
  private init: InitSegment | null = null;
  /** Where the next box goes in the file. */
  private pos = 0;
  private sequence = 1;
  /** Fragments cut so far, and those cut before the head was known (written once it is: a moof needs the timescales). */
  private cuts = 0;
  private waiting: { tracks: Samples[]; bytes: number }[] = [];
  /** The decode time (ms) where the open fragment's slot ends. */
  private slotEnd = 0;
  private fragmentBytes = 0;
  private fragmentSamples = 0;
  private openedAt = 0;
  private failed = false;
  /** Resolves once the ftyp + moov are on their way to the disk. */
  readonly ready: Promise<void>;

  constructor(
    private readonly sink: FileSink,
    tracks: readonly InitTrack[],
    /** A fragment went to the sink: its frames' bytes, and where it ends in the file. */
    private readonly onFragment: (frameBytes: number, end: number) => void,
  ) {
    this.tracks = tracks.map((t) => ({ kind: t.setup.kind, id: 0, timescale: 1000, open: samples(t.setup.kind === 'video' ? 33 : 21), points: [] }));
    this.ready = buildInitSegment(tracks).then(
      (init) => {
        this.init = init;
        init.tracks.forEach((t, i) => Object.assign(this.tracks[i], t));
        this.sink.write(init.bytes, 0);
        this.pos = init.bytes.byteLength;
        for (const w of this.waiting) this.write(w.tracks, w.bytes);
        this.waiting = [];
      },
      (err: Error) => {
        this.failed = true;
        throw err;
      },
    );
  }

  /** A frame of track `index` (decode order within the track; times in ms on the recording's timeline). */
  add(index: number, data: Uint8Array, dts: number, pts: number, keyframe: boolean, durationMs: number): void {
    if (this.failed) return;
    if (this.fragmentSamples > 0 && this.due(dts, data.byteLength)) this.cut();
    const t = this.tracks[index].open;
    if (this.fragmentSamples === 0) {
      // The next slot on the grid (the same one after `flushIdle`), or one from this frame after a gap of more than a slot.
      if (this.cuts === 0 || dts >= this.slotEnd + MAX_FRAGMENT_MS) this.slotEnd = dts + MAX_FRAGMENT_MS;
      else if (dts >= this.slotEnd) this.slotEnd += MAX_FRAGMENT_MS;
      this.openedAt = performance.now();
    }
    t.dts.push(dts);
    t.pts.push(pts);
    t.key.push(this.tracks[index].kind === 'audio' || keyframe);
    t.data.push(data);
    t.step = durationMs;
    this.fragmentSamples++;
    this.fragmentBytes += data.byteLength;
  }

  /** Writes the open fragment if it has waited too long for the frame that would end it. */
  flushIdle(): void {
    if (this.fragmentSamples > 0 && performance.now() - this.openedAt >= MAX_FRAGMENT_AGE_MS) this.cut();
  }

  /** The last fragment and the mfra index; resolves once all of it is queued on the sink. */
  async finish(): Promise<void> {
    await this.ready;
    if (this.fragmentSamples > 0) this.cut();
    const mfra = mfraBox(this.tracks.map((t) => ({ trackId: t.id, points: t.points })));
    this.sink.write(mfra, this.pos);
    this.pos += mfra.byteLength;
  }

  private due(dts: number, bytes: number): boolean {
    return dts >= this.slotEnd || this.fragmentBytes + bytes > MAX_FRAGMENT_BYTES;
  }

  /** Closes the open fragment: written now, or once the head is. */
  private cut(): void {
    const tracks = this.tracks.map((t) => t.open);
    for (const t of this.tracks) t.open = samples(t.open.step);
    if (this.init) this.write(tracks, this.fragmentBytes);
    else this.waiting.push({ tracks, bytes: this.fragmentBytes });
    this.cuts++;
    this.fragmentBytes = 0;
    this.fragmentSamples = 0;
  }

  /** A fragment to the sink: moof + mdat header in one buffer, then every frame by reference. */
  private write(fragment: readonly Samples[], bytes: number): void {
    const runs: TrafRun[] = [];
    const parts: Uint8Array[] = [];
    const moof = this.pos;
    for (let k = 0; k < this.tracks.length; k++) {
      const tr = this.tracks[k];
      const t = fragment[k];
      const n = t.dts.length;
      if (n === 0) continue;
      const scale = tr.timescale / 1000;
      const durations = new Array<number>(n);
      const sizes = new Array<number>(n);
      const flags = new Array<number>(n);
      const offsets = new Array<number>(n);
      // Times are rounded from ms on the whole timeline (not summed per sample), so they never drift.
      let dt = Math.round(t.dts[0] * scale);
      for (let i = 0; i < n; i++) {
        const next = i + 1 < n ? Math.round(t.dts[i + 1] * scale) : dt + Math.round(t.step * scale);
        durations[i] = Math.max(0, next - dt);
        sizes[i] = t.data[i].byteLength;
        flags[i] = t.key[i] ? SYNC_SAMPLE : NON_SYNC_SAMPLE;
        offsets[i] = Math.round(t.pts[i] * scale) - dt;
        // tfra: every video keyframe, and each fragment's first audio frame (all audio frames are sync samples).
        if (t.key[i] && (tr.kind === 'video' || i === 0) && tr.points.length < MAX_INDEX_POINTS) tr.points.push({ time: dt + offsets[i], moof, traf: runs.length + 1, sample: i + 1 });
        dt = next;
      }
      runs.push({ trackId: tr.id, baseDecodeTime: Math.round(t.dts[0] * scale), count: n, durations, sizes, flags, offsets });
      for (const d of t.data) parts.push(d);
    }
    const head = fragmentHeader(this.sequence++, runs, bytes);
    parts.unshift(head);
    this.sink.writeParts(parts, this.pos);
    this.pos += head.byteLength + bytes;
    this.onFragment(bytes, this.pos);
  }
}
