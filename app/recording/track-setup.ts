/**
 * From what a stream says about a track (its sequence header, its first
 * keyframe, onMetaData) to what the muxer needs to open it: the muxer's codec
 * name and a WebCodecs-style decoder configuration. The configuration records
 * (avcC, hvcC, AudioSpecificConfig, OpusHead) go into the file as sent.
 */
import { findSequenceHeaderSize } from '../media/av1.js';
import type { VideoColour } from '../media/vui-colour.js';
import { type ColourSpaceInit, colourSpace, configColour } from './colour-space.js';
import { describeAudioConfig, describeVideoConfig } from '../media/codec-info.js';
import { vp9KeyframeSize } from '../media/vp9.js';

/** Muxer codec names (mediabunny's) of the video FourCCs Enhanced RTMP carries. */
const VIDEO_CODECS: Readonly<Record<string, 'avc' | 'hevc' | 'av1' | 'vp9' | 'vp8'>> = { avc1: 'avc', hvc1: 'hevc', av01: 'av1', vp09: 'vp9', vp08: 'vp8' };
/** Likewise audio; legacy AAC is 'mp4a', legacy MP3 '.mp3'. */
const AUDIO_CODECS: Readonly<Record<string, 'aac' | 'opus' | 'mp3'>> = { mp4a: 'aac', Opus: 'opus', '.mp3': 'mp3' };
/** Codecs whose frames cannot be muxed without their configuration record. */
const NEEDS_CONFIG = new Set(['avc1', 'hvc1', 'mp4a', 'Opus', 'av01', 'vp09']);

/** How to open one track in the muxer. */
export interface TrackSetup {
  kind: 'video' | 'audio';
  codec: 'avc' | 'hevc' | 'av1' | 'vp9' | 'vp8' | 'aac' | 'opus' | 'mp3';
  /** The decoder configuration handed with the first packet. */
  config: VideoConfig | AudioConfig;
}

export interface VideoConfig {
  codec: string;
  codedWidth: number;
  codedHeight: number;
  description?: Uint8Array;
  /** The stream's colour description (written as `colr` / Colour). */
  colorSpace?: ColourSpaceInit;
}

export interface AudioConfig {
  codec: string;
  sampleRate: number;
  numberOfChannels: number;
  description?: Uint8Array;
}

/** Whether a track of this FourCC can be recorded in MP4/MKV at all. */
export function canMux(kind: 'video' | 'audio', fourCC: string): boolean {
  return kind === 'video' ? fourCC in VIDEO_CODECS : fourCC in AUDIO_CODECS;
}

/** Whether frames of this FourCC must wait for a sequence header. */
export function needsConfig(fourCC: string): boolean {
  return NEEDS_CONFIG.has(fourCC);
}

/**
 * A video track's setup from its sequence header (`config`, null when none
 * was sent), its first keyframe and the metadata's size; null when the size
 * or the configuration is not known yet. Throws MediaError on a malformed record.
 */
export function videoSetup(fourCC: string, config: Uint8Array | null, keyframe: Uint8Array, meta: { width?: unknown; height?: unknown }, colourOf?: VideoColour): TrackSetup | null {
  const codec = VIDEO_CODECS[fourCC];
  if (!codec || (NEEDS_CONFIG.has(fourCC) && !config)) return null;
  const d = config ? describeVideoConfig(fourCC, config) : { codec: fourCC, width: undefined, height: undefined };
  let width = d.width;
  let height = d.height;
  if (!width || !height) {
    const size = codec === 'vp9' ? vp9KeyframeSize(keyframe) : codec === 'av1' ? findSequenceHeaderSize(keyframe) : undefined;
    width = size?.width ?? (typeof meta.width === 'number' ? meta.width : undefined);
    height = size?.height ?? (typeof meta.height === 'number' ? meta.height : undefined);
  }
  if (!width || !height) return null;
  const out: VideoConfig = { codec: d.codec, codedWidth: Math.round(width), codedHeight: Math.round(height) };
  // avcC / hvcC are the files' own records; AV1 and VP9 boxes are rebuilt from the codec string.
  if (config && (codec === 'avc' || codec === 'hevc')) out.description = config;
  const colour = colourSpace(colourOf ?? configColour(fourCC, config));
  if (colour) out.colorSpace = colour;
  return { kind: 'video', codec, config: out };
}

/** MPEG audio sample rates by version (index: the header's 2-bit version), then rate index. */
const MP3_RATES: Readonly<Record<number, readonly number[]>> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

/** Sample rate and channels from an MPEG audio frame header (the FLV header's rate cannot say 48 kHz). */
function mp3Format(frame: Uint8Array): { sampleRate: number; channels: number } | undefined {
  if (frame.length < 4 || frame[0] !== 0xff || (frame[1] & 0xe0) !== 0xe0) return undefined;
  const rate = MP3_RATES[(frame[1] >> 3) & 3]?.[(frame[2] >> 2) & 3];
  return rate ? { sampleRate: rate, channels: frame[3] >> 6 === 3 ? 1 : 2 } : undefined;
}

/** An audio track's setup from its sequence header and first frame; null when not known yet. */
export function audioSetup(fourCC: string, config: Uint8Array | null, frame: Uint8Array): TrackSetup | null {
  const codec = AUDIO_CODECS[fourCC];
  if (!codec || (NEEDS_CONFIG.has(fourCC) && !config)) return null;
  if (codec === 'mp3') {
    const f = mp3Format(frame);
    return f ? { kind: 'audio', codec, config: { codec: 'mp3', sampleRate: f.sampleRate, numberOfChannels: f.channels } } : null;
  }
  const d = describeAudioConfig(fourCC, config!);
  if (!d.sampleRate || !d.channels) return null;
  return { kind: 'audio', codec, config: { codec: d.codec, sampleRate: d.sampleRate, numberOfChannels: d.channels, description: config! } };
}
