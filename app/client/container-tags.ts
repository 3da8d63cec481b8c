/**
 * RTMP message bodies for frames read from an MP4/MKV/WebM file: legacy FLV
 * tags for H.264, AAC and MP3 (what every server reads), Enhanced RTMP
 * (ExVideoTagHeader / ExAudioTagHeader, veovera enhanced-rtmp v2) for HEVC,
 * AV1, VP9 and Opus, which legacy FLV cannot carry.
 */
import { ErrorCode, RtmpError } from '../errors.js';

/** The file's codecs (mediabunny's names) this publisher sends. */
export const PUSH_CODECS = { video: ['avc', 'hevc', 'av1', 'vp9'], audio: ['aac', 'opus', 'mp3'] } as const;

const VIDEO_FOURCC: Readonly<Record<string, string>> = { hevc: 'hvc1', av1: 'av01', vp9: 'vp09' };

function si24(v: number): Buffer {
  const b = Buffer.alloc(3);
  b.writeIntBE(Math.max(-0x800000, Math.min(0x7fffff, v)), 0, 3);
  return b;
}

/** The parts of a codec string (`av01.0.04M.08`, `vp09.00.10.08`) as numbers. */
function parts(codec: string): string[] {
  return codec.split('.');
}

/**
 * AV1CodecConfigurationRecord (AV1-ISOBMFF 2.3) from the codec string
 * `av01.P.LLT.DD[.M.CCC...]`: marker|version, profile|level, tier|bit depth|
 * monochrome|4:2:0 subsampling, no initial presentation delay; no config OBUs
 * (the sequence header travels in the keyframes).
 */
export function av1ConfigFromCodec(codec: string): Buffer {
  const [, p, lt, dd, mono, cs] = parts(codec);
  const bitDepth = Number(dd);
  const sub = cs ? Number(cs) : 110;
  const b2 = (lt.endsWith('H') ? 0x80 : 0) | (bitDepth > 8 ? 0x40 : 0) | (bitDepth === 12 ? 0x20 : 0) | (mono === '1' ? 0x10 : 0) | (Math.floor(sub / 100) % 10 ? 0x08 : 0) | (Math.floor(sub / 10) % 10 ? 0x04 : 0) | (sub % 10);
  return Buffer.from([0x81, (Number(p) << 5) | (parseInt(lt, 10) & 0x1f), b2, 0]);
}

/** VPCodecConfigurationRecord (bare, as FFmpeg sends it) from `vp09.PP.LL.DD[.CC.cp.tc.mc.FF]`. */
export function vpConfigFromCodec(codec: string): Buffer {
  const [, pp, ll, dd, cc = '01', cp = '01', tc = '01', mc = '01', ff = '00'] = parts(codec);
  return Buffer.from([Number(pp), Number(ll), (Number(dd) << 4) | (Number(cc) << 1) | Number(ff), Number(cp), Number(tc), Number(mc), 0, 0]);
}

/** A video sequence start: legacy AVC, else an E-RTMP SequenceStart. */
export function videoSequenceStart(codec: string, config: Uint8Array): Buffer {
  if (codec === 'avc') return Buffer.concat([Buffer.from([0x17, 0, 0, 0, 0]), config]);
  const cc = VIDEO_FOURCC[codec];
  if (!cc) throw new RtmpError(ErrorCode.Config, `cannot publish ${codec} video`);
  return Buffer.concat([Buffer.from([0x80 | (1 << 4) | 0]), Buffer.from(cc, 'latin1'), config]);
}

/** An E-RTMP Metadata packet (VideoPacketType 4, frame type key as OBS sends it) carrying AMF0 `payload`, e.g. colorInfo. */
export function videoMetadata(codec: string, payload: Uint8Array): Buffer {
  const cc = VIDEO_FOURCC[codec];
  if (!cc) throw new RtmpError(ErrorCode.Config, `cannot publish ${codec} metadata`);
  return Buffer.concat([Buffer.from([0x80 | (1 << 4) | 4]), Buffer.from(cc, 'latin1'), payload]);
}

/** A coded video frame: legacy AVC NALU with its composition time, else E-RTMP CodedFrames (with it, for hvc1) or CodedFramesX. */
export function videoFrame(codec: string, key: boolean, cts: number, data: Uint8Array): Buffer {
  const frameType = key ? 1 : 2;
  if (codec === 'avc') return Buffer.concat([Buffer.from([(frameType << 4) | 7, 1]), si24(cts), data]);
  const cc = VIDEO_FOURCC[codec];
  if (!cc) throw new RtmpError(ErrorCode.Config, `cannot publish ${codec} video`);
  if (codec === 'hevc') return Buffer.concat([Buffer.from([0x80 | (frameType << 4) | 1]), Buffer.from(cc, 'latin1'), si24(cts), data]);
  return Buffer.concat([Buffer.from([0x80 | (frameType << 4) | 3]), Buffer.from(cc, 'latin1'), data]);
}

/** An audio sequence start (AAC AudioSpecificConfig, E-RTMP OpusHead), or null for MP3, which has none. */
export function audioSequenceStart(codec: string, config: Uint8Array | undefined): Buffer | null {
  if (codec === 'aac') return Buffer.concat([Buffer.from([0xaf, 0]), config ?? Buffer.alloc(0)]);
  if (codec === 'opus') return Buffer.concat([Buffer.from([0x90]), Buffer.from('Opus', 'latin1'), config ?? Buffer.alloc(0)]);
  return null;
}

/** A coded audio frame: legacy AAC / MP3, E-RTMP Opus. */
export function audioFrame(codec: string, data: Uint8Array): Buffer {
  if (codec === 'aac') return Buffer.concat([Buffer.from([0xaf, 1]), data]);
  if (codec === 'mp3') return Buffer.concat([Buffer.from([0x2f]), data]);
  if (codec === 'opus') return Buffer.concat([Buffer.from([0x91]), Buffer.from('Opus', 'latin1'), data]);
  throw new RtmpError(ErrorCode.Config, `cannot publish ${codec} audio`);
}
