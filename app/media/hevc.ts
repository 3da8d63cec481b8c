/**
 * H.265 / HEVC: the HEVCDecoderConfigurationRecord of an hvc1 sequence start
 * and the sequence parameter set inside it (picture size, chroma format).
 */
import { readHevcSpsColour } from './hevc-vui.js';
import type { VideoColour } from './vui-colour.js';
import { MediaError } from '../errors.js';
import { BitReader, chromaSubsampling, removeEmulationPrevention } from './bit-reader.js';
import { MediaReader } from './byte-reader.js';
import { isAnnexB, splitAnnexB, splitNalUnits } from './nal.js';

/** The fields of an H.265 seq_parameter_set_rbsp() (7.3.2.2) we use. */
export interface HevcSps {
  /** 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4. */
  chromaFormatIdc: number;
  bitDepthLuma: number;
  bitDepthChroma: number;
  /** Display size, after the conformance window. */
  width: number;
  height: number;
  /** The colour description of the VUI, when the stream gives one. */
  colour?: VideoColour;
}

/** A decoded HEVC sequence header. */
export interface HevcConfig extends HevcSps {
  /** Codec string per ISO/IEC 14496-15 Annex E, e.g. `hvc1.1.6.L93.B0`. */
  codec: string;
  profileSpace: number;
  /** general_profile_idc: 1 Main, 2 Main 10, 3 Main Still Picture, 4 Range extensions... */
  profile: number;
  /** general_tier_flag: false Main tier, true High tier. */
  highTier: boolean;
  /** general_level_idc (30 x the level number). */
  level: number;
  /** Bytes of the NALUnitLength prefix in coded frames. */
  nalLengthSize: number;
  vps: Uint8Array[];
  sps: Uint8Array[];
  pps: Uint8Array[];
}

const NAL_VPS = 32;
const NAL_SPS = 33;
const NAL_PPS = 34;
const nalType = (nal: Uint8Array): number => (nal[0] >> 1) & 0x3f;

/**
 * Parses an HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1.2): `configurationVersion UI8;
 * general_profile_space UB[2]; general_tier_flag UB[1]; general_profile_idc UB[5];
 * general_profile_compatibility_flags UI32; general_constraint_indicator_flags UB[48];
 * general_level_idc UI8; ... (10 bytes) ...; constantFrameRate UB[2] numTemporalLayers UB[3]
 * temporalIdNested UB[1] lengthSizeMinusOne UB[2]; numOfArrays UI8; { array_completeness UB[1]
 * reserved UB[1] NAL_unit_type UB[6]; numNalus UI16; { nalUnitLength UI16; NAL } ... } ...`.
 * The codec string is built from the record's profile fields (Annex E.3): profile space ('', A,
 * B, C) + profile_idc; the 32 compatibility flags in reverse bit order, hex; L/H + level_idc;
 * the six constraint bytes in hex, trailing zero bytes omitted. An Annex B sequence header is
 * accepted too (fields then taken from the SPS's profile_tier_level, 4-byte NAL lengths assumed).
 */
export function parseHevcConfig(data: Uint8Array): HevcConfig {
  let ptl: Uint8Array;
  let nalLengthSize = 4;
  const arrays: Record<number, Uint8Array[]> = { [NAL_VPS]: [], [NAL_SPS]: [], [NAL_PPS]: [] };
  if (isAnnexB(data)) {
    for (const nal of splitAnnexB(data)) arrays[nalType(nal)]?.push(nal);
    const sps = arrays[NAL_SPS][0];
    if (sps === undefined) throw new MediaError('HEVC sequence header without SPS');
    // profile_tier_level(1, ...) starts after the 2-byte NAL header and one byte of SPS fields.
    ptl = removeEmulationPrevention(sps.subarray(3, 40));
    if (ptl.length < 12) throw new MediaError('HEVC SPS truncated');
  } else {
    const r = new MediaReader(data);
    r.u8('HEVCDecoderConfigurationRecord'); // configurationVersion: 0 in old drafts, 1 since
    ptl = r.bytesView(12, 'HEVCDecoderConfigurationRecord');
    r.skip(8, 'HEVCDecoderConfigurationRecord');
    nalLengthSize = (r.u8('HEVCDecoderConfigurationRecord') & 3) + 1;
    const numArrays = r.u8('HEVCDecoderConfigurationRecord');
    for (let i = 0; i < numArrays; i++) {
      const type = r.u8('NAL array') & 0x3f;
      const count = r.u16('NAL array');
      for (let j = 0; j < count; j++) {
        const nal = r.bytesView(r.u16('NAL unit length'), 'NAL unit');
        arrays[type]?.push(nal);
      }
    }
  }
  const sps = arrays[NAL_SPS][0];
  if (sps === undefined) throw new MediaError('HEVC sequence header without SPS');
  const parsed = parseHevcSps(sps);

  const profileSpace = ptl[0] >> 6;
  const highTier = (ptl[0] & 0x20) !== 0;
  const profile = ptl[0] & 0x1f;
  const compat = ((ptl[1] << 24) | (ptl[2] << 16) | (ptl[3] << 8) | ptl[4]) >>> 0;
  let reversed = 0;
  for (let i = 0; i < 32; i++) if (compat & (2 ** i)) reversed += 2 ** (31 - i);
  const level = ptl[11];
  const constraints = Array.from(ptl.subarray(5, 11));
  while (constraints.length > 0 && constraints[constraints.length - 1] === 0) constraints.pop();
  const codec = [
    'hvc1',
    `${['', 'A', 'B', 'C'][profileSpace]}${profile}`,
    reversed.toString(16).toUpperCase(),
    `${highTier ? 'H' : 'L'}${level}`,
    ...constraints.map((c) => c.toString(16).toUpperCase().padStart(2, '0')),
  ].join('.');
  return {
    ...parsed, codec, profileSpace, profile, highTier, level, nalLengthSize,
    vps: arrays[NAL_VPS], sps: arrays[NAL_SPS], pps: arrays[NAL_PPS],
  };
}

/**
 * Parses an SPS NAL unit (with its 2-byte NAL header) per H.265 7.3.2.2, up to the bit depths.
 * Size: pic_width/height_in_luma_samples minus the conformance window, whose offsets are in
 * units of SubWidthC / SubHeightC (Table 6-1: 2/2 for 4:2:0, 2/1 for 4:2:2, else 1/1).
 */
export function parseHevcSps(nal: Uint8Array): HevcSps {
  if (nal.length < 3 || nalType(nal) !== NAL_SPS) throw new MediaError('not an H.265 SPS NAL unit');
  const b = new BitReader(removeEmulationPrevention(nal.subarray(2)));
  b.skipBits(4); // sps_video_parameter_set_id
  const maxSubLayersMinus1 = b.readBits(3);
  b.skipBits(1); // sps_temporal_id_nesting_flag
  // profile_tier_level(1, sps_max_sub_layers_minus1), 7.3.3
  b.skipBits(96); // general profile (88 bits) + general_level_idc
  const subLayerFlags: number[] = [];
  for (let i = 0; i < maxSubLayersMinus1; i++) subLayerFlags.push(b.readBits(2));
  if (maxSubLayersMinus1 > 0) b.skipBits(2 * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
  for (const flags of subLayerFlags) {
    if (flags & 2) b.skipBits(88); // sub_layer_profile_present_flag
    if (flags & 1) b.skipBits(8); // sub_layer_level_present_flag
  }
  b.readUE(); // sps_seq_parameter_set_id
  const chromaFormatIdc = b.readUE();
  if (chromaFormatIdc > 3) throw new MediaError(`invalid chroma_format_idc ${chromaFormatIdc}`);
  const separateColourPlane = chromaFormatIdc === 3 && b.readFlag();
  let width = b.readUE();
  let height = b.readUE();
  if (b.readFlag()) {
    // conformance_window_flag
    const left = b.readUE();
    const right = b.readUE();
    const top = b.readUE();
    const bottom = b.readUE();
    const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
    const { subWidthC, subHeightC } = chromaSubsampling(chromaArrayType);
    width -= subWidthC * (left + right);
    height -= subHeightC * (top + bottom);
  }
  if (width <= 0 || height <= 0) throw new MediaError('H.265 SPS with an empty picture');
  const bitDepthLuma = b.readUE() + 8;
  const bitDepthChroma = b.readUE() + 8;
  const sps: HevcSps = { chromaFormatIdc, bitDepthLuma, bitDepthChroma, width, height };
  // The colour description is deep in the VUI: a field we cannot read leaves it out, not the SPS.
  try {
    const colour = readHevcSpsColour(b, maxSubLayersMinus1);
    if (colour) sps.colour = colour;
  } catch {
    // No colour description.
  }
  return sps;
}

/**
 * True when a coded HEVC frame (length-prefixed NAL units) holds an IRAP picture
 * (nal_unit_type 16..23: BLA, IDR, CRA). Throws {@link MediaError} on a length overrun.
 */
export function hevcFrameHasIrap(data: Uint8Array, nalLengthSize: number): boolean {
  return splitNalUnits(data, nalLengthSize).some((nal) => nal.length > 0 && nalType(nal) >= 16 && nalType(nal) <= 23);
}
