/**
 * VP8 / VP9: the VPCodecConfigurationRecord ('vpcC') of a vp09/vp08 sequence
 * start, and the frame size in a VP9 keyframe's uncompressed header.
 */
import { MediaError } from '../errors.js';
import { BitReader } from './bit-reader.js';
import { MediaReader } from './byte-reader.js';

/** A decoded VP codec configuration record. */
export interface VpConfig {
  /** Codec string `vp09.PP.LL.DD` (or `vp08...`), "VP Codec ISO Media File Format Binding" Codecs Parameter String. */
  codec: string;
  profile: number;
  /** Level x 10 (e.g. 31 for level 3.1); 0 when unspecified. */
  level: number;
  bitDepth: number;
  /** 0/1 4:2:0 (vertical / colocated), 2 4:2:2, 3 4:4:4. */
  chromaSubsampling: number;
  fullRange: boolean;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Parses a VPCodecConfigurationRecord: `profile UI8; level UI8; bitDepth UB[4]; chromaSubsampling UB[3];
 * videoFullRangeFlag UB[1]; colourPrimaries UI8; transferCharacteristics UI8; matrixCoefficients UI8;
 * codecInitializationDataSize UI16; codecInitializationData`, bare (as FFmpeg's FLV muxer sends it)
 * or as the payload of an MP4 'vpcC' FullBox (`version = 1 UI8; flags = 0 UI24` first), which is
 * recognised and skipped.
 */
export function parseVpConfig(data: Uint8Array, fourCC: 'vp09' | 'vp08' = 'vp09'): VpConfig {
  const r = new MediaReader(data);
  // A bare record never starts 01 00 00 00 (profile 1 would need a level and a bit depth).
  if (data.length >= 12 && data[0] === 1 && data[1] === 0 && data[2] === 0 && data[3] === 0) r.skip(4);
  const profile = r.u8('VPCodecConfigurationRecord');
  const level = r.u8('VPCodecConfigurationRecord');
  const b = r.u8('VPCodecConfigurationRecord');
  r.skip(3, 'VPCodecConfigurationRecord');
  const bitDepth = b >> 4;
  if (bitDepth !== 8 && bitDepth !== 10 && bitDepth !== 12) throw new MediaError(`invalid VP bit depth ${bitDepth}`);
  return {
    codec: `${fourCC}.${pad2(profile)}.${pad2(level)}.${pad2(bitDepth)}`,
    profile,
    level,
    bitDepth,
    chromaSubsampling: (b >> 1) & 7,
    fullRange: (b & 1) === 1,
  };
}

/**
 * The frame size of a VP9 keyframe, from its uncompressed_header() (VP9 bitstream spec 6.2):
 * `frame_marker f(2) = 2; profile_low_bit; profile_high_bit; [reserved_zero if profile 3];
 * show_existing_frame; frame_type (0 = KEY_FRAME); show_frame; error_resilient_mode;
 * frame_sync_code f(24) = 0x498342; color_config(); frame_width_minus_1 f(16); frame_height_minus_1 f(16)`.
 * Returns undefined for a frame that is not a keyframe; throws {@link MediaError} on a malformed header.
 */
export function vp9KeyframeSize(frame: Uint8Array): { width: number; height: number } | undefined {
  const b = new BitReader(frame);
  if (b.readBits(2) !== 2) throw new MediaError('VP9 frame_marker mismatch');
  const profile = b.readBit() | (b.readBit() << 1);
  if (profile === 3) b.skipBits(1);
  if (b.readFlag()) return undefined; // show_existing_frame
  if (b.readBit() !== 0) return undefined; // frame_type: NON_KEY_FRAME
  b.skipBits(2); // show_frame, error_resilient_mode
  if (b.readBits(24) !== 0x498342) throw new MediaError('VP9 frame_sync_code mismatch');
  if (profile >= 2) b.skipBits(1); // ten_or_twelve_bit
  const colorSpace = b.readBits(3);
  if (colorSpace !== 7) {
    b.skipBits(1); // color_range
    if (profile === 1 || profile === 3) b.skipBits(3); // subsampling_x, subsampling_y, reserved_zero
  } else if (profile === 1 || profile === 3) {
    b.skipBits(1); // CS_RGB: reserved_zero
  }
  return { width: b.readBits(16) + 1, height: b.readBits(16) + 1 };
}
