/**
 * The body of an RTMP audio message (= the body of an FLV audio tag): the legacy
 * AudioTagHeader of the FLV spec and the ExAudioTagHeader of Enhanced RTMP v2
 * (FourCC codecs, ModEx, multichannel config, multitrack).
 */
import { MediaError } from '../errors.js';
import { MediaReader } from './byte-reader.js';
import { readTrackHeader } from './multitrack.js';

/** Codec of an audio track: an E-RTMP FourCC ('mp4a' and '.mp3' also for legacy AAC / MP3), else `legacy:<SoundFormat>`. */
export type AudioCodecFourCC = 'mp4a' | 'Opus' | 'fLaC' | 'ac-3' | 'ec-3' | '.mp3' | `legacy:${number}`;

/** What one track's payload is. */
export type AudioPacketKind = 'sequence-start' | 'coded-frames' | 'sequence-end' | 'multichannel-config';

/** One track's packet inside an audio tag (a legacy tag always has exactly one, track 0). */
export interface AudioTrackPacket {
  trackId: number;
  codec: AudioCodecFourCC;
  packetType: AudioPacketKind;
  /** Codec payload (AudioSpecificConfig / OpusHead / fLaC+STREAMINFO for sequence-start); a view into the body. */
  data: Uint8Array;
}

/** The rate/size/type bits of a legacy AudioTagHeader. */
export interface LegacyAudioFormat {
  /** Hz: from SoundRate (5512, 11025, 22050, 44100), or implied by formats 4, 5, 7, 8, 11, 14. Ignored by players for AAC. */
  soundRate: number;
  /** SoundSize: 8 or 16 bits. */
  soundSize: number;
  /** SoundType: 1 mono, 2 stereo. */
  channels: number;
}

/** A parsed audio tag body. */
export interface AudioTagInfo {
  /** SoundFormat 9 (ExHeader, Enhanced RTMP). */
  enhanced: boolean;
  /** SoundFormat (UB[4]); -1 for an empty body. */
  soundFormat: number;
  /** An empty body: the (formerly undocumented) RTMP "audio silence" message; `tracks` is empty. */
  silence: boolean;
  /** Legacy tags only. */
  legacy?: LegacyAudioFormat;
  /** ModEx TimestampOffsetNano, in nanoseconds, when the tag carries one. */
  timestampOffsetNano?: number;
  /** An E-RTMP v2 multitrack packet (possibly behind ModEx): its tracks must be told apart. */
  multitrack?: boolean;
  tracks: AudioTrackPacket[];
}

const PACKET_KINDS: readonly (AudioPacketKind | undefined)[] = [
  'sequence-start', 'coded-frames', 'sequence-end', undefined, 'multichannel-config',
];
/** Every E-RTMP audio FourCC this parser reads. */
export const AUDIO_FOURCCS = ['mp4a', 'Opus', 'fLaC', 'ac-3', 'ec-3', '.mp3'] as const;
const FOURCCS: ReadonlySet<string> = new Set(AUDIO_FOURCCS);
const PACKET_MULTITRACK = 5;
const PACKET_MODEX = 7;
const LEGACY_RATES = [5512, 11025, 22050, 44100];
/** Formats whose rate is implied: Nellymoser 16 kHz / 8 kHz, G.711 A-law / mu-law (8 kHz), Speex (16 kHz), MP3 8 kHz. */
const IMPLIED_RATES: Readonly<Record<number, number>> = { 4: 16000, 5: 8000, 7: 8000, 8: 8000, 11: 16000, 14: 8000 };

function fourCC(r: MediaReader): AudioCodecFourCC {
  const cc = r.fourCC('audio FourCC');
  if (!FOURCCS.has(cc)) throw new MediaError(`unsupported audio FourCC ${JSON.stringify(cc)}`);
  return cc as AudioCodecFourCC;
}

/**
 * Parses an audio tag body.
 *
 * Legacy (FLV spec E.4.2.1): `SoundFormat UB[4] | SoundRate UB[2] | SoundSize UB[1] | SoundType UB[1]`;
 * for AAC (10) an `AACPacketType UI8` follows (0 AudioSpecificConfig, 1 raw frame data). Other
 * formats (MP3 2, G.711 A-law 7 / mu-law 8, Speex 11, Nellymoser...) carry raw frames.
 *
 * Enhanced (E-RTMP v2): `soundFormat UB[4] == 9 | audioPacketType UB[4]`;
 * `while (audioPacketType == ModEx) { modExDataSize = UI8 + 1 (256: UI16 + 1); modExData;
 * audioPacketModExType UB[4]; audioPacketType UB[4] }`; Multitrack has
 * `audioMultitrackType UB[4] | audioPacketType UB[4]` and the FOURCC (unless ManyTracksManyCodecs),
 * else the FOURCC follows directly. Per track: `[FOURCC if ManyTracksManyCodecs] [audioTrackId UI8,
 * sizeOfAudioTrack UI24 unless OneTrack]` and the payload.
 *
 * Throws {@link MediaError} on truncated or unknown structure (unknown FourCC or packet type).
 */
export function parseAudioTag(body: Uint8Array): AudioTagInfo {
  if (body.length === 0) return { enhanced: false, soundFormat: -1, silence: true, tracks: [] };
  const r = new MediaReader(body);
  const b0 = r.u8();
  const soundFormat = b0 >> 4;
  if (soundFormat !== 9) return parseLegacy(b0, r);

  const info: AudioTagInfo = { enhanced: true, soundFormat, silence: false, tracks: [] };
  let packetType = b0 & 0x0f;
  while (packetType === PACKET_MODEX) {
    let size = r.u8('ModEx size') + 1;
    if (size === 256) size = r.u16('ModEx size') + 1;
    const modEx = r.bytesView(size, 'ModEx data');
    const next = r.u8('ModEx type');
    packetType = next & 0x0f;
    if (next >> 4 === 0 && modEx.length >= 3) info.timestampOffsetNano = (modEx[0] << 16) | (modEx[1] << 8) | modEx[2];
  }

  const header = readTrackHeader(r, packetType, 'audio', { multitrack: PACKET_MULTITRACK, modEx: PACKET_MODEX }, fourCC);
  const multitrackType = header.multitrackType;
  let codec = header.codec;
  packetType = header.packetType;
  if (multitrackType >= 0) info.multitrack = true;
  const kind = PACKET_KINDS[packetType];
  if (kind === undefined) throw new MediaError(`reserved AudioPacketType ${packetType}`);

  do {
    let trackId = 0;
    let data: Uint8Array;
    if (multitrackType === 2) codec = fourCC(r);
    if (multitrackType >= 0) trackId = r.u8('audio track id');
    if (multitrackType > 0) data = r.bytesView(r.u24('audio track size'), 'audio track');
    else data = r.rest();
    info.tracks.push({ trackId, codec: codec as AudioCodecFourCC, packetType: kind, data });
  } while (multitrackType > 0 && r.remaining > 0);
  return info;
}

function parseLegacy(b0: number, r: MediaReader): AudioTagInfo {
  const soundFormat = b0 >> 4;
  const legacy: LegacyAudioFormat = {
    soundRate: IMPLIED_RATES[soundFormat] ?? LEGACY_RATES[(b0 >> 2) & 3],
    soundSize: b0 & 2 ? 16 : 8,
    channels: b0 & 1 ? 2 : 1,
  };
  const info: AudioTagInfo = { enhanced: false, soundFormat, silence: false, legacy, tracks: [] };
  if (soundFormat === 10) {
    const aacPacketType = r.u8('AACPacketType');
    if (aacPacketType > 1) throw new MediaError(`unknown AACPacketType ${aacPacketType}`);
    info.tracks.push({ trackId: 0, codec: 'mp4a', packetType: aacPacketType === 0 ? 'sequence-start' : 'coded-frames', data: r.rest() });
  } else {
    const codec: AudioCodecFourCC = soundFormat === 2 || soundFormat === 14 ? '.mp3' : `legacy:${soundFormat}`;
    info.tracks.push({ trackId: 0, codec, packetType: 'coded-frames', data: r.rest() });
  }
  return info;
}

/**
 * The body of a single-track E-RTMP audio tag (SoundFormat 9 | PacketType,
 * FourCC, payload) carrying one track of a multitrack packet. Null for
 * legacy codecs, which have no FourCC form.
 */
export function encodeSingleTrackAudioTag(t: AudioTrackPacket): Buffer | null {
  if (t.codec.startsWith('legacy:')) return null;
  const out = Buffer.allocUnsafe(5 + t.data.length);
  out[0] = 0x90 | PACKET_KINDS.indexOf(t.packetType);
  out.write(t.codec, 1, 4, 'latin1');
  out.set(t.data, 5);
  return out;
}
