/**
 * Whether an HEVC stream is interlaced, from its SPS (H.265 7.3.2.2): the
 * source flags of profile_tier_level (general_progressive_source_flag,
 * general_interlaced_source_flag: 7.4.4) and the VUI's field_seq_flag
 * (E.3.1: each picture is a field). x265 with `interlace=tff|bff` codes
 * fields and sets both. Once per sequence header, so it may walk the SPS.
 */
import { BitReader, removeEmulationPrevention } from '../media/bit-reader.js';

/** What the SPS says of interlacing. */
export interface HevcScan {
  /** general_progressive_source_flag, general_interlaced_source_flag. */
  progressiveSource: boolean;
  interlacedSource: boolean;
  /** VUI field_seq_flag; null without VUI or where the SPS could not be walked that far. */
  fieldSeq: boolean | null;
}

/** True for interlaced (fields coded, or an interlaced source alone), false for progressive, null where the SPS does not say. */
export function hevcInterlaced(s: HevcScan): boolean | null {
  if (s.fieldSeq) return true;
  if (s.interlacedSource && !s.progressiveSource) return true;
  // Frames coded as frames (field_seq_flag 0) of a source not said to be interlaced.
  if (s.fieldSeq === false || s.progressiveSource) return false;
  return null;
}

/** Reads the interlacing fields of an SPS NAL unit (with its 2-byte header); throws on a truncated one. */
export function scanHevcSps(nal: Uint8Array): HevcScan {
  const b = new BitReader(removeEmulationPrevention(nal.subarray(2)));
  b.skipBits(4); // sps_video_parameter_set_id
  const maxSub = b.readBits(3);
  b.skipBits(1 + 8 + 32); // temporal_id_nesting; profile space, tier, idc; compatibility flags
  const progressiveSource = b.readFlag();
  const interlacedSource = b.readFlag();
  b.skipBits(46 + 8); // the other constraint flags; general_level_idc
  const sub: number[] = [];
  for (let i = 0; i < maxSub; i++) sub.push(b.readBits(2));
  if (maxSub > 0) b.skipBits(2 * (8 - maxSub));
  for (const f of sub) b.skipBits((f & 2 ? 88 : 0) + (f & 1 ? 8 : 0));
  let fieldSeq: boolean | null = null;
  try {
    fieldSeq = vuiFieldSeq(b, maxSub);
  } catch {
    // An SPS this walk does not follow: the profile's source flags still say what they say.
  }
  return { progressiveSource, interlacedSource, fieldSeq };
}

/** From sps_seq_parameter_set_id to the VUI's field_seq_flag (null without VUI). */
function vuiFieldSeq(b: BitReader, maxSub: number): boolean | null {
  b.readUE(); // sps_seq_parameter_set_id
  const chroma = b.readUE();
  if (chroma === 3) b.skipBits(1); // separate_colour_plane_flag
  b.readUE();
  b.readUE(); // pic width, height
  if (b.readFlag()) for (let i = 0; i < 4; i++) b.readUE(); // conformance window
  b.readUE();
  b.readUE(); // bit depths
  const pocBits = b.readUE() + 4;
  const ordering = b.readFlag();
  for (let i = ordering ? 0 : maxSub; i <= maxSub; i++) for (let k = 0; k < 3; k++) b.readUE();
  for (let i = 0; i < 6; i++) b.readUE(); // block sizes, transform hierarchy depths
  if (b.readFlag() && b.readFlag()) skipScalingLists(b);
  b.skipBits(2); // amp, sample_adaptive_offset
  if (b.readFlag()) {
    b.skipBits(8); // pcm sample bit depths
    b.readUE();
    b.readUE();
    b.skipBits(1);
  }
  const sets = b.readUE();
  if (sets > 64) throw new RangeError('num_short_term_ref_pic_sets above 64');
  const deltaPocs: number[] = [];
  for (let i = 0; i < sets; i++) deltaPocs.push(skipShortTermRefPicSet(b, i, deltaPocs));
  if (b.readFlag()) {
    const n = b.readUE();
    if (n > 32) throw new RangeError('num_long_term_ref_pics_sps above 32');
    for (let i = 0; i < n; i++) b.skipBits(pocBits + 1);
  }
  b.skipBits(2); // temporal mvp, strong intra smoothing
  if (!b.readFlag()) return null; // vui_parameters_present_flag
  if (b.readFlag() && b.readBits(8) === 255) b.skipBits(32); // aspect ratio (EXTENDED_SAR)
  if (b.readFlag()) b.skipBits(1); // overscan
  if (b.readFlag()) {
    b.skipBits(4); // video_format, video_full_range_flag
    if (b.readFlag()) b.skipBits(24); // colour description
  }
  if (b.readFlag()) {
    b.readUE();
    b.readUE(); // chroma sample locations
  }
  b.skipBits(1); // neutral_chroma_indication_flag
  return b.readFlag();
}

/** scaling_list_data() (7.3.4). */
function skipScalingLists(b: BitReader): void {
  for (let size = 0; size < 4; size++) {
    for (let matrix = 0; matrix < 6; matrix += size === 3 ? 3 : 1) {
      if (!b.readFlag()) {
        b.readUE();
        continue;
      }
      if (size > 1) b.readSE();
      for (let i = Math.min(64, 1 << (4 + (size << 1))); i > 0; i--) b.readSE();
    }
  }
}

/** st_ref_pic_set(idx) (7.3.7) in an SPS; returns its NumDeltaPocs, which a later set predicted from it needs. */
function skipShortTermRefPicSet(b: BitReader, idx: number, deltaPocs: readonly number[]): number {
  if (idx > 0 && b.readFlag()) {
    b.skipBits(1);
    b.readUE(); // delta_rps_sign, abs_delta_rps_minus1 (an SPS set predicts from the one before it)
    let n = 0;
    for (let j = 0; j <= deltaPocs[idx - 1]; j++) {
      // A reference is kept when used by the current picture or, if not, when use_delta_flag says so.
      if (b.readFlag() || b.readFlag()) n++;
    }
    return n;
  }
  const negative = b.readUE();
  const positive = b.readUE();
  if (negative + positive > 32) throw new RangeError('more than 32 short-term references');
  for (let i = 0; i < negative + positive; i++) {
    b.readUE();
    b.skipBits(1);
  }
  return negative + positive;
}
