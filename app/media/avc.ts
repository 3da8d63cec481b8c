/**
 * H.264 / AVC: the AVCDecoderConfigurationRecord of an AVC sequence header and
 * the sequence parameter set inside it (picture size, profile, chroma format).
 */
import { MediaError } from '../errors.js';
import { readVuiColour, type VideoColour } from './vui-colour.js';
import { BitReader, chromaSubsampling, removeEmulationPrevention } from './bit-reader.js';
import { MediaReader } from './byte-reader.js';
import { isAnnexB, splitAnnexB, splitNalUnits } from './nal.js';

/** The fields of an H.264 seq_parameter_set_rbsp() (7.3.2.1.1) we use. */
export interface AvcSps {
  profileIdc: number;
  /** constraint_set0..5_flag and reserved_zero_2bits, as the byte. */
  constraintFlags: number;
  levelIdc: number;
  /** 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4. */
  chromaFormatIdc: number;
  bitDepthLuma: number;
  bitDepthChroma: number;
  /** frame_mbs_only_flag: false for interlaced (field or MBAFF) coding. */
  frameMbsOnly: boolean;
  /** Display size, after frame cropping. */
  width: number;
  height: number;
  /** The colour description of the VUI, when the stream gives one. */
  colour?: VideoColour;
}

/** A decoded AVC sequence header. */
export interface AvcConfig extends AvcSps {
  /** RFC 6381 codec string `avc1.PPCCLL` (profile, compatibility, level in lower-case hex). */
  codec: string;
  /** AVCProfileIndication. */
  profile: number;
  /** AVCLevelIndication. */
  level: number;
  /** Bytes of the NALUnitLength prefix in coded frames (lengthSizeMinusOne + 1). */
  nalLengthSize: number;
  sps: Uint8Array[];
  pps: Uint8Array[];
}

const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

/**
 * Parses an AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1):
 * `configurationVersion = 1 UI8; AVCProfileIndication UI8; profile_compatibility UI8;
 * AVCLevelIndication UI8; reserved '111111'b lengthSizeMinusOne UB[2]; reserved '111'b
 * numOfSequenceParameterSets UB[5]; { sequenceParameterSetLength UI16; NAL } ...;
 * numOfPictureParameterSets UI8; { pictureParameterSetLength UI16; NAL } ...` (the optional
 * high-profile extension after the PPS is ignored). An Annex B sequence header (start codes,
 * as some encoders send) is accepted too, with 4-byte NAL lengths assumed.
 */
export function parseAvcConfig(data: Uint8Array): AvcConfig {
  let sps: Uint8Array[];
  let pps: Uint8Array[];
  let nalLengthSize = 4;
  if (isAnnexB(data)) {
    const units = splitAnnexB(data);
    sps = units.filter((u) => (u[0] & 0x1f) === 7);
    pps = units.filter((u) => (u[0] & 0x1f) === 8);
  } else {
    const r = new MediaReader(data);
    const version = r.u8('AVCDecoderConfigurationRecord');
    if (version !== 1) throw new MediaError(`unsupported AVCDecoderConfigurationRecord version ${version}`);
    r.skip(3, 'AVCDecoderConfigurationRecord');
    nalLengthSize = (r.u8('AVCDecoderConfigurationRecord') & 3) + 1;
    sps = [];
    pps = [];
    const numSps = r.u8('AVCDecoderConfigurationRecord') & 0x1f;
    for (let i = 0; i < numSps; i++) sps.push(r.bytesView(r.u16('SPS length'), 'SPS'));
    const numPps = r.u8('AVCDecoderConfigurationRecord');
    for (let i = 0; i < numPps; i++) pps.push(r.bytesView(r.u16('PPS length'), 'PPS'));
  }
  if (sps.length === 0) throw new MediaError('AVC sequence header without SPS');
  const parsed = parseAvcSps(sps[0]);
  // The record repeats the SPS's profile/compatibility/level; the SPS is authoritative.
  const codec = `avc1.${hex2(parsed.profileIdc)}${hex2(parsed.constraintFlags)}${hex2(parsed.levelIdc)}`;
  return { ...parsed, codec, profile: parsed.profileIdc, level: parsed.levelIdc, nalLengthSize, sps, pps };
}

/**
 * Parses an SPS NAL unit (with its 1-byte NAL header) per H.264 7.3.2.1.1, up to frame cropping.
 * Size: `width = (pic_width_in_mbs_minus1 + 1) * 16 - CropUnitX * (left + right)`,
 * `height = (2 - frame_mbs_only_flag) * (pic_height_in_map_units_minus1 + 1) * 16 - CropUnitY * (top + bottom)`
 * with CropUnitX/Y from ChromaArrayType (7.4.2.1.1, Table 6-1).
 */
export function parseAvcSps(nal: Uint8Array): AvcSps {
  if (nal.length < 4 || (nal[0] & 0x1f) !== 7) throw new MediaError('not an H.264 SPS NAL unit');
  const b = new BitReader(removeEmulationPrevention(nal.subarray(1)));
  const profileIdc = b.readBits(8);
  const constraintFlags = b.readBits(8);
  const levelIdc = b.readBits(8);
  b.readUE(); // seq_parameter_set_id
  let chromaFormatIdc = 1;
  let separateColourPlane = false;
  let bitDepthLuma = 8;
  let bitDepthChroma = 8;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormatIdc = b.readUE();
    if (chromaFormatIdc > 3) throw new MediaError(`invalid chroma_format_idc ${chromaFormatIdc}`);
    if (chromaFormatIdc === 3) separateColourPlane = b.readFlag();
    bitDepthLuma = b.readUE() + 8;
    bitDepthChroma = b.readUE() + 8;
    b.skipBits(1); // qpprime_y_zero_transform_bypass_flag
    if (b.readFlag()) {
      // seq_scaling_matrix_present_flag: seq_scaling_list_present_flag[i] and scaling_list()
      const lists = chromaFormatIdc !== 3 ? 8 : 12;
      for (let i = 0; i < lists; i++) if (b.readFlag()) skipScalingList(b, i < 6 ? 16 : 64);
    }
  }
  b.readUE(); // log2_max_frame_num_minus4
  const pocType = b.readUE();
  if (pocType === 0) {
    b.readUE(); // log2_max_pic_order_cnt_lsb_minus4
  } else if (pocType === 1) {
    b.skipBits(1); // delta_pic_order_always_zero_flag
    b.readSE(); // offset_for_non_ref_pic
    b.readSE(); // offset_for_top_to_bottom_field
    const cycle = b.readUE();
    if (cycle > 255) throw new MediaError(`invalid num_ref_frames_in_pic_order_cnt_cycle ${cycle}`);
    for (let i = 0; i < cycle; i++) b.readSE();
  }
  b.readUE(); // max_num_ref_frames
  b.skipBits(1); // gaps_in_frame_num_value_allowed_flag
  const widthMbs = b.readUE() + 1;
  const heightMapUnits = b.readUE() + 1;
  const frameMbsOnly = b.readFlag();
  if (!frameMbsOnly) b.skipBits(1); // mb_adaptive_frame_field_flag
  b.skipBits(1); // direct_8x8_inference_flag
  let width = widthMbs * 16;
  let height = (frameMbsOnly ? 1 : 2) * heightMapUnits * 16;
  if (b.readFlag()) {
    const left = b.readUE();
    const right = b.readUE();
    const top = b.readUE();
    const bottom = b.readUE();
    const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
    const { subWidthC, subHeightC } = chromaSubsampling(chromaArrayType);
    const cropUnitX = chromaArrayType === 0 ? 1 : subWidthC;
    const cropUnitY = (chromaArrayType === 0 ? 1 : subHeightC) * (frameMbsOnly ? 1 : 2);
    width -= cropUnitX * (left + right);
    height -= cropUnitY * (top + bottom);
    if (width <= 0 || height <= 0) throw new MediaError('H.264 SPS cropping exceeds the picture size');
  }
  const sps: AvcSps = { profileIdc, constraintFlags, levelIdc, chromaFormatIdc, bitDepthLuma, bitDepthChroma, frameMbsOnly, width, height };
  // vui_parameters_present_flag, then the VUI's colour description: a truncated VUI leaves it out, not the SPS.
  try {
    const colour = b.readFlag() ? readVuiColour(b) : undefined;
    if (colour) sps.colour = colour;
  } catch {
    // No colour description: nothing more is read from the SPS.
  }
  return sps;
}

/** scaling_list() of H.264 7.3.2.1.1.1, read and discarded. */
function skipScalingList(b: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) next = (last + b.readSE() + 256) % 256;
    last = next === 0 ? last : next;
  }
}

/**
 * True when a coded AVC frame (length-prefixed NAL units, as in FLV/RTMP) holds an IDR slice
 * (nal_unit_type 5). Throws {@link MediaError} on a NAL length that overruns the data.
 */
export function avcFrameHasIdr(data: Uint8Array, nalLengthSize: number): boolean {
  return splitNalUnits(data, nalLengthSize).some((nal) => nal.length > 0 && (nal[0] & 0x1f) === 5);
}
