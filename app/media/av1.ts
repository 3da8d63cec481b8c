/**
 * AV1: the AV1CodecConfigurationRecord ('av1C') of an av01 sequence start and
 * the sequence header OBU it carries (maximum frame size).
 */
import { MediaError } from '../errors.js';
import { BitReader } from './bit-reader.js';
import { MediaReader } from './byte-reader.js';

/** A decoded AV1 sequence header. */
export interface Av1Config {
  /** Codec string `av01.P.LLT.DD` (AV1 ISOBMFF binding, "Codecs Parameter String"). */
  codec: string;
  /** seq_profile: 0 Main, 1 High, 2 Professional. */
  profile: number;
  /** seq_level_idx_0 (level = 2 + (idx >> 2) + '.' + (idx & 3)). */
  level: number;
  /** seq_tier_0: false Main (M), true High (H). */
  highTier: boolean;
  bitDepth: number;
  monochrome: boolean;
  /** From max_frame_width_minus_1 / max_frame_height_minus_1, when configOBUs holds a sequence header. */
  width?: number;
  height?: number;
}

const OBU_SEQUENCE_HEADER = 1;

/**
 * Parses an AV1CodecConfigurationRecord (AV1 ISOBMFF 2.3.3): `marker f(1) = 1; version f(7) = 1;
 * seq_profile f(3); seq_level_idx_0 f(5); seq_tier_0 f(1); high_bitdepth f(1); twelve_bit f(1);
 * monochrome f(1); chroma_subsampling_x f(1); chroma_subsampling_y f(1); chroma_sample_position f(2);
 * reserved f(3); initial_presentation_delay_present f(1); ... f(4); configOBUs`.
 */
export function parseAv1Config(data: Uint8Array): Av1Config {
  const r = new MediaReader(data);
  const b0 = r.u8('AV1CodecConfigurationRecord');
  if (b0 !== 0x81) throw new MediaError(`not an AV1CodecConfigurationRecord (marker/version byte 0x${b0.toString(16)})`);
  const b1 = r.u8('AV1CodecConfigurationRecord');
  const b2 = r.u8('AV1CodecConfigurationRecord');
  r.skip(1, 'AV1CodecConfigurationRecord');
  const profile = b1 >> 5;
  const level = b1 & 0x1f;
  const highTier = (b2 & 0x80) !== 0;
  const bitDepth = b2 & 0x40 ? (b2 & 0x20 ? 12 : 10) : 8;
  const codec = `av01.${profile}.${String(level).padStart(2, '0')}${highTier ? 'H' : 'M'}.${String(bitDepth).padStart(2, '0')}`;
  const config: Av1Config = { codec, profile, level, highTier, bitDepth, monochrome: (b2 & 0x10) !== 0 };
  const size = findSequenceHeaderSize(r.rest());
  if (size) {
    config.width = size.width;
    config.height = size.height;
  }
  return config;
}

/**
 * Walks OBUs (AV1 5.3: `obu_forbidden_bit f(1); obu_type f(4); obu_extension_flag f(1);
 * obu_has_size_field f(1); obu_reserved_1bit f(1); [extension byte]; [obu_size leb128]`)
 * and returns the maximum frame size of the first sequence header OBU, if any.
 */
export function findSequenceHeaderSize(obus: Uint8Array): { width: number; height: number } | undefined {
  const r = new MediaReader(obus);
  while (r.remaining > 0) {
    const header = r.u8('OBU header');
    if (header & 0x80) throw new MediaError('OBU forbidden bit set');
    const type = (header >> 3) & 0x0f;
    if (header & 0x04) r.skip(1, 'OBU extension header');
    const size = header & 0x02 ? readLeb128(r) : r.remaining;
    const payload = r.bytesView(size, 'OBU payload');
    if (type === OBU_SEQUENCE_HEADER) return parseSequenceHeaderSize(payload);
  }
  return undefined;
}

function readLeb128(r: MediaReader): number {
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const byte = r.u8('leb128');
    value += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return value;
  }
  throw new MediaError('leb128 value longer than 8 bytes');
}

/** sequence_header_obu() (AV1 5.5.1) up to max_frame_height_minus_1. */
function parseSequenceHeaderSize(payload: Uint8Array): { width: number; height: number } {
  const b = new BitReader(payload);
  b.skipBits(4); // seq_profile, still_picture
  if (b.readFlag()) {
    b.skipBits(5); // reduced_still_picture_header: seq_level_idx[0]
  } else {
    let bufferDelayLength = 0;
    const timingInfoPresent = b.readFlag();
    let decoderModelInfoPresent = false;
    if (timingInfoPresent) {
      b.skipBits(64); // num_units_in_display_tick, time_scale
      if (b.readFlag()) readUvlc(b); // equal_picture_interval: num_ticks_per_picture_minus_1
      decoderModelInfoPresent = b.readFlag();
      if (decoderModelInfoPresent) {
        bufferDelayLength = b.readBits(5) + 1;
        b.skipBits(32 + 5 + 5); // num_units_in_decoding_tick, buffer_removal_time_length, frame_presentation_time_length
      }
    }
    const initialDisplayDelayPresent = b.readFlag();
    const operatingPoints = b.readBits(5) + 1;
    for (let i = 0; i < operatingPoints; i++) {
      b.skipBits(12); // operating_point_idc
      if (b.readBits(5) > 7) b.skipBits(1); // seq_level_idx > 7: seq_tier
      if (decoderModelInfoPresent && b.readFlag()) b.skipBits(2 * bufferDelayLength + 1);
      if (initialDisplayDelayPresent && b.readFlag()) b.skipBits(4);
    }
  }
  const widthBits = b.readBits(4) + 1;
  const heightBits = b.readBits(4) + 1;
  return { width: b.readBits(widthBits) + 1, height: b.readBits(heightBits) + 1 };
}

/** uvlc() (AV1 4.10.3). */
function readUvlc(b: BitReader): number {
  let zeros = 0;
  while (!b.readFlag()) zeros++; // bounded: readFlag throws at the end of the payload
  if (zeros >= 32) return 2 ** 32 - 1;
  return b.readBits(zeros) + 2 ** zeros - 1;
}
