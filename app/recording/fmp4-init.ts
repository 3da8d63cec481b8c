import { BufferTarget, EncodedAudioPacketSource, EncodedPacket, EncodedVideoPacketSource, Mp4OutputFormat, Output } from 'mediabunny';
import { zeroMoovDurations } from './mp4-durations.js';
import type { TrackSetup } from './track-setup.js';

/** One track of the file as the init segment declares it. */
export interface InitTrack {
  setup: TrackSetup;
  /** The track's first frame (a video track's first keyframe): VP9's and AV1's boxes are built from it. */
  first: Uint8Array;
  /** Shown by players for the tracks of a multitrack stream. */
  name?: string;
}

/** A fragmented MP4's head: ftyp + moov, and what the fragments need from it. */
export interface InitSegment {
  bytes: Uint8Array;
  /** Per track, in the order given: its id in the file and its media timescale (mdhd). */
  tracks: { id: number; timescale: number }[];
}

/** The boxes at the top level of `b`, as [type, start, end]. */
function topBoxes(b: Buffer): [string, number, number][] {
  const out: [string, number, number][] = [];
  for (let p = 0; p + 8 <= b.length; ) {
    const size = b.readUInt32BE(p);
    if (size < 8 || p + size > b.length) break;
    out.push([b.toString('latin1', p + 4, p + 8), p, p + size]);
    p += size;
  }
  return out;
}

/** Each trak's tkhd track id and mdhd timescale, in file order (ISO/IEC 14496-12 8.3.2, 8.4.2). */
function trackScales(b: Buffer, start: number, end: number): { id: number; timescale: number }[] {
  const out: { id: number; timescale: number }[] = [];
  for (let p = start; p + 8 <= end; p += b.readUInt32BE(p)) {
    if (b.readUInt32BE(p) < 8) break;
    if (b.toString('latin1', p + 4, p + 8) !== 'trak') continue;
    const trakEnd = p + b.readUInt32BE(p);
    const tkhd = b.indexOf('tkhd', p, 'latin1') + 4;
    const mdhd = b.indexOf('mdhd', p, 'latin1') + 4;
    if (tkhd < 8 || mdhd < 8 || tkhd > trakEnd || mdhd > trakEnd) throw new Error('the muxer wrote a trak without tkhd or mdhd');
    out.push({ id: b.readUInt32BE(tkhd + (b[tkhd] === 1 ? 20 : 12)), timescale: b.readUInt32BE(mdhd + (b[mdhd] === 1 ? 20 : 12)) });
  }
  return out;
}

/**
 * The ftyp and moov of a fragmented MP4 holding these tracks, written by
 * Mediabunny: its sample entries (avcC, hvcC, av1C, vpcC, esds, dOps, colr)
 * are what we would otherwise write by hand. It muxes each track's first
 * frame into a throwaway buffer and keeps the boxes before the first moof;
 * the durations in them (that one frame's) are set to 0, "unknown", as a
 * fragmented file's are until the recording is finished.
 */
export async function buildInitSegment(tracks: readonly InitTrack[]): Promise<InitSegment> {
  const target = new BufferTarget();
  const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'fragmented' }), target });
  const sources = tracks.map((t) => {
    if (t.setup.kind === 'video') {
      const s = new EncodedVideoPacketSource(t.setup.codec as 'avc');
      output.addVideoTrack(s, t.name ? { name: t.name } : {});
      return s;
    }
    const s = new EncodedAudioPacketSource(t.setup.codec as 'aac');
    output.addAudioTrack(s, t.name ? { name: t.name } : {});
    return s;
  });
  await output.start();
  for (let i = 0; i < tracks.length; i++) {
    const packet = new EncodedPacket(tracks[i].first, 'key', 0, 0.02);
    await sources[i].add(packet, { decoderConfig: tracks[i].setup.config } as never);
  }
  await output.finalize();
  const b = Buffer.from(target.buffer!);
  const boxes = topBoxes(b);
  const moov = boxes.find(([type]) => type === 'moov');
  const ftyp = boxes.find(([type]) => type === 'ftyp');
  if (!moov || !ftyp || ftyp[1] !== 0 || moov[1] !== ftyp[2]) throw new Error('the muxer wrote no ftyp + moov');
  const bytes = Buffer.from(b.subarray(0, moov[2]));
  zeroMoovDurations(bytes, moov[1]);
  const scales = trackScales(bytes, moov[1] + 8, moov[2]);
  if (scales.length !== tracks.length) throw new Error(`the muxer wrote ${scales.length} tracks for ${tracks.length}`);
  return { bytes, tracks: scales };
}
