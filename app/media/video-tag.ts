/**
 * The body of an RTMP video message (= the body of an FLV video tag): the legacy
 * VideoTagHeader of the FLV spec and the ExVideoTagHeader of Enhanced RTMP v1/v2
 * (FourCC codecs, ModEx, multitrack).
 */
import { MediaError } from '../errors.js';
import { MediaReader } from './byte-reader.js';
import { readTrackHeader } from './multitrack.js';

/** Codec of a video track: an E-RTMP FourCC, or a legacy FLV CodecID other than AVC (7) / HEVC (12). */
export type VideoCodecFourCC = 'avc1' | 'hvc1' | 'av01' | 'vp09' | 'vp08' | `legacy:${number}`;

/** What one track's payload is. E-RTMP CodedFramesX is reported as `coded-frames` with composition time 0. */
export type VideoPacketKind = 'sequence-start' | 'coded-frames' | 'sequence-end' | 'metadata' | 'mpeg2ts-sequence-start';

/** One track's packet inside a video tag (a legacy tag always has exactly one, track 0). */
export interface VideoTrackPacket {
  trackId: number;
  codec: VideoCodecFourCC;
  packetType: VideoPacketKind;
  /** CompositionTime offset in ms (SI24); only AVC/HEVC coded frames carry one, else 0. */
  compositionTime: number;
  /** The codec payload (configuration record for sequence-start, frames otherwise); a view into the body. */
  data: Uint8Array;
}

/** A parsed video tag body. */
export interface VideoTagInfo {
  /** IsExVideoHeader was set (Enhanced RTMP). */
  enhanced: boolean;
  /** VideoFrameType: 1 key, 2 inter, 3 disposable inter, 4 generated key, 5 command. */
  frameType: number;
  /** frameType 1 (KeyFrame) or 4 (GeneratedKeyFrame), and not a metadata packet. */
  keyframe: boolean;
  /** frameType 5 (video info / command frame): no video payload, `tracks` is empty. */
  command: boolean;
  /** The VideoCommand byte of a command frame (0 StartSeek, 1 EndSeek), when present. */
  videoCommand?: number;
  /** ModEx TimestampOffsetNano, in nanoseconds, when the tag carries one. */
  timestampOffsetNano?: number;
  /** An E-RTMP v2 multitrack packet (possibly behind ModEx): its tracks must be told apart. */
  multitrack?: boolean;
  tracks: VideoTrackPacket[];
}

const PACKET_KINDS: readonly (VideoPacketKind | undefined)[] = [
  'sequence-start', 'coded-frames', 'sequence-end', 'coded-frames', 'metadata', 'mpeg2ts-sequence-start',
];
/** Every E-RTMP video FourCC this parser reads. */
export const VIDEO_FOURCCS = ['avc1', 'hvc1', 'av01', 'vp09', 'vp08'] as const;
const FOURCCS: ReadonlySet<string> = new Set(VIDEO_FOURCCS);
const PACKET_MULTITRACK = 6;
const PACKET_MODEX = 7;
const FRAME_COMMAND = 5;

function fourCC(r: MediaReader): VideoCodecFourCC {
  const cc = r.fourCC('video FourCC');
  if (!FOURCCS.has(cc)) throw new MediaError(`unsupported video FourCC ${JSON.stringify(cc)}`);
  return cc as VideoCodecFourCC;
}

/**
 * Parses a video tag body.
 *
 * Legacy (FLV spec E.4.3.1): `FrameType UB[4] | CodecID UB[4]`; for AVC (7), and HEVC (12) as
 * non-standard servers send it, `AVCPacketType UI8` (0 sequence header, 1 NALU, 2 end of sequence)
 * and `CompositionTime SI24` follow. FrameType 5 is followed by a `VideoCommand UI8` and no video.
 *
 * Enhanced (E-RTMP v2): `isExVideoHeader UB[1] | videoFrameType UB[3] | videoPacketType UB[4]`;
 * `while (videoPacketType == ModEx) { modExDataSize = UI8 + 1 (256: UI16 + 1); modExData;
 * videoPacketModExType UB[4]; videoPacketType UB[4] }`; a Command frame (unless Metadata) has only
 * `videoCommand UI8`; Multitrack has `videoMultitrackType UB[4] | videoPacketType UB[4]` and the
 * FOURCC (unless ManyTracksManyCodecs), else the FOURCC follows directly. The body is then, per
 * track: `[FOURCC if ManyTracksManyCodecs] [videoTrackId UI8, sizeOfVideoTrack UI24 unless OneTrack]`
 * and the payload, where CodedFrames of avc1/hvc1 starts with `compositionTimeOffset SI24`.
 *
 * Throws {@link MediaError} on truncated or unknown structure (unknown FourCC or packet type).
 */
export function parseVideoTag(body: Uint8Array): VideoTagInfo {
  const r = new MediaReader(body);
  const b0 = r.u8('video tag header');
  if ((b0 & 0x80) === 0) return parseLegacy(b0, r);

  const frameType = (b0 >> 4) & 7;
  let packetType = b0 & 0x0f;
  const info: VideoTagInfo = { enhanced: true, frameType, keyframe: false, command: false, tracks: [] };
  while (packetType === PACKET_MODEX) {
    let size = r.u8('ModEx size') + 1;
    if (size === 256) size = r.u16('ModEx size') + 1;
    const modEx = r.bytesView(size, 'ModEx data');
    const next = r.u8('ModEx type');
    packetType = next & 0x0f;
    if (next >> 4 === 0 && modEx.length >= 3) info.timestampOffsetNano = (modEx[0] << 16) | (modEx[1] << 8) | modEx[2];
  }
  if (packetType !== 4 && frameType === FRAME_COMMAND) {
    info.command = true;
    if (r.remaining > 0) info.videoCommand = r.u8();
    return info;
  }
  info.keyframe = packetType !== 4 && (frameType === 1 || frameType === 4);

  const header = readTrackHeader(r, packetType, 'video', { multitrack: PACKET_MULTITRACK, modEx: PACKET_MODEX }, fourCC);
  const multitrackType = header.multitrackType;
  let codec = header.codec;
  packetType = header.packetType;
  if (multitrackType >= 0) info.multitrack = true;
  const kind = PACKET_KINDS[packetType];
  if (kind === undefined) throw new MediaError(`reserved VideoPacketType ${packetType}`);

  do {
    let trackId = 0;
    let payload: MediaReader = r;
    if (multitrackType >= 0) {
      if (multitrackType === 2) codec = fourCC(r);
      trackId = r.u8('video track id');
      if (multitrackType !== 0) payload = new MediaReader(r.bytesView(r.u24('video track size'), 'video track'));
    }
    const trackCodec = codec as VideoCodecFourCC;
    const hasCts = packetType === 1 && (trackCodec === 'avc1' || trackCodec === 'hvc1');
    const compositionTime = hasCts ? payload.si24('composition time') : 0;
    info.tracks.push({ trackId, codec: trackCodec, packetType: kind, compositionTime, data: payload.rest() });
  } while (multitrackType > 0 && r.remaining > 0);
  return info;
}

function parseLegacy(b0: number, r: MediaReader): VideoTagInfo {
  const frameType = b0 >> 4;
  const codecId = b0 & 0x0f;
  if (frameType === FRAME_COMMAND) {
    const info: VideoTagInfo = { enhanced: false, frameType, keyframe: false, command: true, tracks: [] };
    if (r.remaining > 0) info.videoCommand = r.u8();
    return info;
  }
  const info: VideoTagInfo = { enhanced: false, frameType, keyframe: frameType === 1 || frameType === 4, command: false, tracks: [] };
  if (codecId === 7 || codecId === 12) {
    const avcPacketType = r.u8('AVCPacketType');
    if (avcPacketType > 2) throw new MediaError(`unknown AVCPacketType ${avcPacketType}`);
    // An end of sequence is sometimes sent without the (meaningless) composition time.
    const compositionTime = avcPacketType === 2 && r.remaining < 3 ? 0 : r.si24('composition time');
    const packetType = avcPacketType === 0 ? 'sequence-start' : avcPacketType === 1 ? 'coded-frames' : 'sequence-end';
    info.tracks.push({ trackId: 0, codec: codecId === 7 ? 'avc1' : 'hvc1', packetType, compositionTime, data: r.rest() });
  } else {
    info.tracks.push({ trackId: 0, codec: `legacy:${codecId}`, packetType: 'coded-frames', compositionTime: 0, data: r.rest() });
  }
  return info;
}

/** True when the tag carries coded video (what capture statistics count as a frame). */
export function isVideoFrameTag(info: VideoTagInfo): boolean {
  return !info.command && info.tracks.some((t) => t.packetType === 'coded-frames');
}

/**
 * The body of a single-track E-RTMP video tag carrying one track of a
 * multitrack packet (ExVideoTagHeader v1: IsExHeader | FrameType |
 * PacketType, FourCC, SI24 CompositionTime for avc1/hvc1 CodedFrames, then
 * the payload), so an FLV carries that track the way players read it. Null
 * for what has no single-track form here (legacy codecs, MPEG-2 TS sequence start).
 */
export function encodeSingleTrackVideoTag(frameType: number, t: VideoTrackPacket): Buffer | null {
  if (t.codec.startsWith('legacy:') || t.packetType === 'mpeg2ts-sequence-start') return null;
  const pt = PACKET_KINDS.indexOf(t.packetType);
  const ct = t.packetType === 'coded-frames' && (t.codec === 'avc1' || t.codec === 'hvc1') ? 3 : 0;
  const out = Buffer.allocUnsafe(5 + ct + t.data.length);
  out[0] = 0x80 | ((frameType & 7) << 4) | pt;
  out.write(t.codec, 1, 4, 'latin1');
  if (ct) out.writeIntBE(t.compositionTime, 5, 3);
  out.set(t.data, 5 + ct);
  return out;
}
