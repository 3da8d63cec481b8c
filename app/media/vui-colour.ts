/**
 * The colour description of an H.264 or H.265 stream, from the start of its
 * SPS's VUI (H.264 E.1.1, H.265 E.2.1; the code points are those of
 * ITU-T H.273, as MP4's `colr` box and Matroska's Colour element take them).
 */
import type { BitReader } from './bit-reader.js';

/** The colour code points of a stream (H.273), and whether luma/chroma use the full range. */
export interface VideoColour {
  /** colour_primaries: 1 BT.709, 9 BT.2020, ... */
  primaries: number;
  /** transfer_characteristics: 1 BT.709, 16 PQ, 18 HLG, ... */
  transfer: number;
  /** matrix_coefficients: 1 BT.709, 9 BT.2020 non-constant, ... */
  matrix: number;
  fullRange: boolean;
}

/**
 * Reads `vui_parameters()` from its first field up to the colour description
 * (the two codecs lay this part out alike): `aspect_ratio_info_present_flag
 * u(1) [aspect_ratio_idc u(8) [sar_width u(16) sar_height u(16) when 255]];
 * overscan_info_present_flag u(1) [overscan_appropriate_flag u(1)];
 * video_signal_type_present_flag u(1) [video_format u(3)
 * video_full_range_flag u(1) colour_description_present_flag u(1)
 * [colour_primaries u(8) transfer_characteristics u(8) matrix_coeffs u(8)]]`.
 * Undefined when the stream does not describe its colour.
 */
export function readVuiColour(b: BitReader): VideoColour | undefined {
  if (b.readFlag() && b.readBits(8) === 255) b.skipBits(32);
  if (b.readFlag()) b.skipBits(1);
  if (!b.readFlag()) return undefined;
  b.skipBits(3);
  const fullRange = b.readFlag();
  if (!b.readFlag()) return undefined;
  return { primaries: b.readBits(8), transfer: b.readBits(8), matrix: b.readBits(8), fullRange };
}
