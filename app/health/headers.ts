/**
 * What a video sequence header says, for health: codec, profile, level,
 * size, chroma format, bit depth, interlacing (H.264 `frame_mbs_only_flag`,
 * HEVC `field_seq_flag` and the source flags)
 * and the NAL length size the keyframe scan needs. Once per header.
 */
import type { VideoHeaderSettings } from '../contract/health.js';
import { parseAvcConfig } from '../media/avc.js';
import { describeVideoConfig } from '../media/codec-info.js';
import { parseHevcConfig } from '../media/hevc.js';
import { hevcInterlaced, scanHevcSps } from './hevc-interlace.js';

/** The header's picture settings (the contract's, as the UI shows them), its codec string and NAL length size. */
export interface HeaderInfo extends VideoHeaderSettings {
  codec: string;
  nalLengthSize: number;
}

const CHROMA = ['4:0:0', '4:2:0', '4:2:2', '4:4:4'];

/** Describes a video sequence header of FourCC `codec`; a header not understood gives what is known. */
export function describeHeader(codec: string, data: Uint8Array): HeaderInfo {
  const info: HeaderInfo = { codec, profile: null, level: null, width: null, height: null, chroma: null, bitDepth: null, interlaced: null, nalLengthSize: 4 };
  try {
    const d = describeVideoConfig(codec, data);
    info.codec = d.codec;
    info.profile = d.profile ?? null;
    info.level = d.level ?? null;
    info.width = d.width ?? null;
    info.height = d.height ?? null;
    info.bitDepth = d.bitDepth ?? null;
    if (codec === 'avc1') {
      const c = parseAvcConfig(data);
      info.chroma = CHROMA[c.chromaFormatIdc] ?? null;
      info.interlaced = !c.frameMbsOnly;
      info.nalLengthSize = c.nalLengthSize;
    } else if (codec === 'hvc1') {
      const c = parseHevcConfig(data);
      info.chroma = CHROMA[c.chromaFormatIdc] ?? null;
      info.nalLengthSize = c.nalLengthSize;
      // Fields coded (VUI field_seq_flag) or an interlaced source (profile_tier_level).
      if (c.sps[0]) info.interlaced = hevcInterlaced(scanHevcSps(c.sps[0]));
    }
  } catch {
    // An empty or broken header (ffmpeg opens with a 5-byte one): what is known stays.
  }
  return info;
}

/** A header change in words ("1280×720 → 640×360", "avc1.64001f → avc1.4d401e"). */
export function headerChange(prev: HeaderInfo | null, next: HeaderInfo): string {
  const size = (h: HeaderInfo | null): string => (h?.width ? `${h.width}×${h.height}` : '?');
  if (prev && (prev.width !== next.width || prev.height !== next.height)) return `${size(prev)} → ${size(next)}`;
  if (prev && prev.codec !== next.codec) return `${prev.codec} → ${next.codec}`;
  return 'new parameter sets';
}
