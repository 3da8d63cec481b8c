/**
 * One entry point from "codec + sequence-start payload" to what the UI shows and
 * what a MediaSource needs: the codec string and the main stream properties.
 */
import { MediaError } from '../errors.js';
import { parseAacConfig } from './aac.js';
import { parseAv1Config } from './av1.js';
import { parseAvcConfig } from './avc.js';
import { BitReader } from './bit-reader.js';
import { parseHevcConfig } from './hevc.js';
import { parseVpConfig } from './vp9.js';

/** A codec configuration summarised. */
export interface CodecDescription {
  /** MSE / RFC 6381 codec string when one exists (`avc1.64001f`, `mp4a.40.2`, `opus`...), else a name. */
  codec: string;
  /** Human profile name (`High`, `Main 10`, `LC`...). */
  profile?: string;
  /** Human level (`3.1`, `4`...). */
  level?: string;
  width?: number;
  height?: number;
  bitDepth?: number;
  sampleRate?: number;
  channels?: number;
}

const AVC_PROFILES: Record<number, string> = {
  66: 'Baseline', 77: 'Main', 88: 'Extended', 100: 'High', 110: 'High 10', 122: 'High 4:2:2',
  244: 'High 4:4:4 Predictive', 44: 'CAVLC 4:4:4',
};
const HEVC_PROFILES: Record<number, string> = {
  1: 'Main', 2: 'Main 10', 3: 'Main Still Picture', 4: 'Range Extensions', 5: 'High Throughput', 9: 'Screen Content',
};
const AV1_PROFILES = ['Main', 'High', 'Professional'];
const AAC_PROFILES: Record<number, string> = { 1: 'Main', 2: 'LC', 3: 'SSR', 4: 'LTP', 5: 'HE-AAC', 23: 'LD', 29: 'HE-AAC v2', 39: 'ELD' };
const LEGACY_VIDEO: Record<number, string> = { 2: 'h263', 3: 'screen', 4: 'vp6', 5: 'vp6a', 6: 'screen2' };
const LEGACY_AUDIO: Record<number, string> = {
  0: 'pcm', 1: 'adpcm', 3: 'pcm', 4: 'nellymoser', 5: 'nellymoser', 6: 'nellymoser', 7: 'alaw', 8: 'ulaw', 11: 'speex', 15: 'native',
};

function legacyName(codec: string, names: Record<number, string>): string | undefined {
  const m = /^legacy:(\d+)$/.exec(codec);
  return m ? (names[Number(m[1])] ?? codec) : undefined;
}

/**
 * Describes a video SequenceStart payload (`data`) of a track whose codec is `codec`
 * (an E-RTMP FourCC as `parseVideoTag` reports it). Throws {@link MediaError} when malformed.
 */
export function describeVideoConfig(codec: string, data: Uint8Array): CodecDescription {
  switch (codec) {
    case 'avc1': {
      const c = parseAvcConfig(data);
      const baseline = c.profile === 66 && (c.constraintFlags & 0x40) !== 0 ? 'Constrained Baseline' : undefined;
      const level = c.level === 9 ? '1b' : String(c.level / 10);
      return { codec: c.codec, profile: baseline ?? AVC_PROFILES[c.profile], level, width: c.width, height: c.height, bitDepth: c.bitDepthLuma };
    }
    case 'hvc1': {
      const c = parseHevcConfig(data);
      return { codec: c.codec, profile: HEVC_PROFILES[c.profile], level: String(c.level / 30), width: c.width, height: c.height, bitDepth: c.bitDepthLuma };
    }
    case 'av01': {
      const c = parseAv1Config(data);
      const level = `${2 + (c.level >> 2)}.${c.level & 3}`;
      return { codec: c.codec, profile: AV1_PROFILES[c.profile], level, width: c.width, height: c.height, bitDepth: c.bitDepth };
    }
    case 'vp09':
    case 'vp08': {
      const c = parseVpConfig(data, codec);
      return { codec: c.codec, profile: `Profile ${c.profile}`, level: c.level ? String(c.level / 10) : undefined, bitDepth: c.bitDepth };
    }
    default:
      return { codec: legacyName(codec, LEGACY_VIDEO) ?? codec };
  }
}

/**
 * Describes an audio SequenceStart payload (`data`) of a track whose codec is `codec`
 * (an E-RTMP FourCC as `parseAudioTag` reports it). Opus and FLAC sequence starts may be
 * empty (then only the codec is known). Throws {@link MediaError} when malformed.
 */
export function describeAudioConfig(codec: string, data: Uint8Array): CodecDescription {
  switch (codec) {
    case 'mp4a': {
      const c = parseAacConfig(data);
      return { codec: c.codec, profile: AAC_PROFILES[c.objectType], sampleRate: c.sampleRate, channels: c.channels };
    }
    case 'Opus':
      return data.length === 0 ? { codec: 'opus' } : describeOpusHead(data);
    case 'fLaC':
      return data.length === 0 ? { codec: 'flac' } : describeFlacStreamInfo(data);
    case '.mp3':
      return { codec: 'mp3' };
    case 'ac-3':
    case 'ec-3':
      return { codec };
    default:
      return { codec: legacyName(codec, LEGACY_AUDIO) ?? codec };
  }
}

/**
 * Opus identification header (RFC 7845 5.1): `'OpusHead' (8 bytes); version UI8; channelCount UI8;
 * preSkip UI16 LE; inputSampleRate UI32 LE; outputGain SI16 LE; channelMappingFamily UI8`.
 * Opus always decodes at 48 kHz (the input rate is informational).
 */
function describeOpusHead(data: Uint8Array): CodecDescription {
  const magic = String.fromCharCode(...data.subarray(0, 8));
  if (data.length < 19 || magic !== 'OpusHead') throw new MediaError('not an Opus identification header');
  return { codec: 'opus', sampleRate: 48000, channels: data[9] };
}

/**
 * FLAC sequence header: `'fLaC'; METADATA_BLOCK_HEADER (last UB[1], type UB[7] = 0, length UI24);
 * STREAMINFO: min/max block size UB[16] x2, min/max frame size UB[24] x2, sample rate UB[20],
 * channels - 1 UB[3], bits per sample - 1 UB[5], ...`.
 */
function describeFlacStreamInfo(data: Uint8Array): CodecDescription {
  const magic = String.fromCharCode(...data.subarray(0, 4));
  if (magic !== 'fLaC' || data.length < 8 || (data[4] & 0x7f) !== 0) throw new MediaError('not a FLAC STREAMINFO header');
  const b = new BitReader(data.subarray(8));
  b.skipBits(16 + 16 + 24 + 24);
  const sampleRate = b.readBits(20);
  const channels = b.readBits(3) + 1;
  const bitDepth = b.readBits(5) + 1;
  return { codec: 'flac', sampleRate, channels, bitDepth };
}
