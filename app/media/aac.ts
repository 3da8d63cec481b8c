/**
 * AAC: the AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1) of an AAC sequence header.
 */
import { MediaError } from '../errors.js';
import { BitReader } from './bit-reader.js';

/** A decoded AudioSpecificConfig. */
export interface AacConfig {
  /** RFC 6381 codec string `mp4a.40.<audioObjectType>`, e.g. `mp4a.40.2` (AAC-LC), `mp4a.40.5` (HE-AAC). */
  codec: string;
  /** audioObjectType: 1 Main, 2 LC, 5 SBR (HE-AAC), 29 PS (HE-AAC v2), 23 LD, 39 ELD... */
  objectType: number;
  /** Output sample rate in Hz: the SBR extension rate for explicit HE-AAC, else the core rate. */
  sampleRate: number;
  /** Output channel count from channelConfiguration (PS doubles mono); 0 when given by a program_config_element. */
  channels: number;
  /** For HE-AAC (5, 29): the object type of the core coder (usually 2). */
  coreObjectType?: number;
  /** For HE-AAC (5, 29): the core coder's sample rate. */
  coreSampleRate?: number;
}

/** samplingFrequencyIndex 0..12 (13, 14 reserved; 15 = explicit 24-bit frequency). */
const SAMPLE_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];
/** channelConfiguration 0..15 → channels (0: defined in the PCE; 8..10 and 15 reserved). */
const CHANNELS = [0, 1, 2, 3, 4, 5, 6, 8, 0, 0, 0, 7, 8, 24, 8, 0];

/** GetAudioObjectType(): `audioObjectType UB[5]; if (audioObjectType == 31) audioObjectType = 32 + UB[6]`. */
function readObjectType(b: BitReader): number {
  const type = b.readBits(5);
  return type === 31 ? 32 + b.readBits(6) : type;
}

/** `samplingFrequencyIndex UB[4]; if (samplingFrequencyIndex == 0xf) samplingFrequency UB[24]`. */
function readSampleRate(b: BitReader): number {
  const index = b.readBits(4);
  if (index === 15) return b.readBits(24);
  const rate = SAMPLE_RATES[index];
  if (rate === undefined) throw new MediaError(`reserved AAC samplingFrequencyIndex ${index}`);
  return rate;
}

/**
 * Parses an AudioSpecificConfig: `audioObjectType = GetAudioObjectType(); samplingFrequencyIndex UB[4]
 * [samplingFrequency UB[24] if 15]; channelConfiguration UB[4]; if (audioObjectType == 5 || == 29)
 * { extensionSamplingFrequencyIndex UB[4] [UB[24]]; audioObjectType = GetAudioObjectType() }`.
 * Backward-compatible (implicit / sync-extension) SBR signalling is not looked for: such streams
 * report their AAC-LC core. Throws {@link MediaError} when truncated or reserved.
 */
export function parseAacConfig(data: Uint8Array): AacConfig {
  const b = new BitReader(data);
  const objectType = readObjectType(b);
  if (objectType === 0) throw new MediaError('AAC audioObjectType 0 (null object)');
  const coreRate = readSampleRate(b);
  const channelConfiguration = b.readBits(4);
  let channels = CHANNELS[channelConfiguration];
  const config: AacConfig = { codec: `mp4a.40.${objectType}`, objectType, sampleRate: coreRate, channels };
  if (objectType === 5 || objectType === 29) {
    config.sampleRate = readSampleRate(b);
    config.coreSampleRate = coreRate;
    config.coreObjectType = readObjectType(b);
    if (objectType === 29 && channels === 1) channels = 2; // parametric stereo
    config.channels = channels;
  }
  return config;
}
