/**
 * Test support for the Enhanced RTMP tests: an H.265 Annex B elementary stream
 * (what `ffmpeg -c:v libx265 -f hevc` writes) turned into what an E-RTMP
 * publisher sends, and back.
 *
 * Written independently of app/media on purpose, so the engine's HEVC parsing is
 * checked against a second implementation rather than against itself.
 *
 * References: H.265 (V8) 7.3.1 NAL unit header, 7.3.2.2 SPS, 7.3.3 profile_tier_level,
 * B.2 byte stream format; ISO/IEC 14496-15 8.3.3.1 HEVCDecoderConfigurationRecord.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '../support/cli.js';

export const NAL_VPS = 32;
export const NAL_SPS = 33;
export const NAL_PPS = 34;
export const NAL_AUD = 35;
export const NAL_PREFIX_SEI = 39;

/** nal_unit_type of a NAL unit (first byte: forbidden_zero_bit, then six bits of type). */
export const nalType = (nal: Uint8Array): number => (nal[0] >> 1) & 0x3f;
/** VCL NAL unit types are 0..31 (slice segments). */
export const isVcl = (nal: Uint8Array): boolean => nalType(nal) < 32;
/** IRAP pictures (BLA 16..18, IDR 19..20, CRA 21): where a decoder can start. */
export const isIrap = (nal: Uint8Array): boolean => nalType(nal) >= 16 && nalType(nal) <= 21;

/** Splits an Annex B byte stream at its `00 00 01` / `00 00 00 01` start codes (B.2). */
export function splitAnnexB(stream: Uint8Array): Buffer[] {
  const b = Buffer.from(stream.buffer, stream.byteOffset, stream.byteLength);
  const nals: Buffer[] = [];
  let start = -1;
  for (let i = 0; i + 2 < b.length; ) {
    if (b[i] === 0 && b[i + 1] === 0 && b[i + 2] === 1) {
      if (start >= 0) nals.push(trimTrailingZeros(b.subarray(start, i)));
      i += 3;
      start = i;
    } else {
      i++;
    }
  }
  if (start >= 0) nals.push(trimTrailingZeros(b.subarray(start)));
  return nals.filter((n) => n.length > 0);
}

/** trailing_zero_8bits and the leading zero of a 4-byte start code are not part of the NAL unit. */
function trimTrailingZeros(b: Buffer): Buffer {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  return b.subarray(0, end);
}

/**
 * Groups NAL units into access units (7.4.2.4.4): an AUD always starts one; otherwise a
 * VPS/SPS/PPS/prefix SEI (or types 41..44, 48..55) after the previous picture's VCL NAL units,
 * or a VCL NAL unit with first_slice_segment_in_pic_flag (the first bit after the 2-byte header).
 */
export function groupAccessUnits(nals: Buffer[]): Buffer[][] {
  const aus: Buffer[][] = [];
  let cur: Buffer[] = [];
  let curHasVcl = false;
  for (const nal of nals) {
    const t = nalType(nal);
    const startsAu =
      t === NAL_AUD ||
      (curHasVcl && (t === NAL_VPS || t === NAL_SPS || t === NAL_PPS || t === NAL_PREFIX_SEI || (t >= 41 && t <= 44) || (t >= 48 && t <= 55))) ||
      (t < 32 && curHasVcl && (nal[2] & 0x80) !== 0);
    if (startsAu && cur.length > 0) {
      aus.push(cur);
      cur = [];
      curHasVcl = false;
    }
    cur.push(nal);
    if (t < 32) curHasVcl = true;
  }
  if (cur.length > 0) aus.push(cur);
  return aus;
}

/** Removes emulation_prevention_three_byte (7.4.2): `00 00 03` -> `00 00`. */
export function toRbsp(nal: Uint8Array): Uint8Array {
  const out: number[] = [];
  let zeros = 0;
  for (const byte of nal) {
    if (zeros >= 2 && byte === 3) {
      zeros = 0;
      continue;
    }
    out.push(byte);
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return Uint8Array.from(out);
}

/** MSB-first bit reader with Exp-Golomb (9.2). Throws on reading past the end. */
class Bits {
  private pos = 0;
  constructor(private readonly b: Uint8Array) {}
  u(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      if (this.pos >= this.b.length * 8) throw new Error('SPS truncated');
      v = v * 2 + ((this.b[this.pos >> 3] >> (7 - (this.pos & 7))) & 1);
      this.pos++;
    }
    return v;
  }
  ue(): number {
    let zeros = 0;
    while (this.u(1) === 0) zeros++;
    return 2 ** zeros - 1 + this.u(zeros);
  }
  get bytePos(): number {
    return this.pos / 8;
  }
}

/** What the HEVCDecoderConfigurationRecord needs from an SPS, and the picture size. */
export interface SpsInfo {
  maxSubLayersMinus1: number;
  temporalIdNesting: boolean;
  /** The 12 bytes of the general profile_tier_level: profile space/tier/idc, 32 compatibility flags, 48 constraint bits, level. */
  generalPtl: Uint8Array;
  profileSpace: number;
  tier: number;
  profileIdc: number;
  compatibilityFlags: number;
  levelIdc: number;
  chromaFormatIdc: number;
  bitDepthLuma: number;
  bitDepthChroma: number;
  width: number;
  height: number;
}

/** Parses seq_parameter_set_rbsp() (7.3.2.2) up to the bit depths. `nal` includes its 2-byte header. */
export function parseSps(nal: Uint8Array): SpsInfo {
  if (nalType(nal) !== NAL_SPS) throw new Error(`not an SPS (nal_unit_type ${nalType(nal)})`);
  const rbsp = toRbsp(nal.subarray(2));
  const r = new Bits(rbsp);
  r.u(4); // sps_video_parameter_set_id
  const maxSubLayersMinus1 = r.u(3);
  const temporalIdNesting = r.u(1) === 1;
  // profile_tier_level(1, maxSubLayersMinus1): the general part is byte aligned here (bytes 1..12).
  const generalPtl = rbsp.slice(1, 13);
  const profileSpace = r.u(2);
  const tier = r.u(1);
  const profileIdc = r.u(5);
  const compatibilityFlags = r.u(32);
  r.u(48); // progressive/interlaced/non-packed/frame-only + 43 + 1 constraint bits
  const levelIdc = r.u(8);
  const sub: [number, number][] = [];
  for (let i = 0; i < maxSubLayersMinus1; i++) sub.push([r.u(1), r.u(1)]);
  if (maxSubLayersMinus1 > 0) for (let i = maxSubLayersMinus1; i < 8; i++) r.u(2); // reserved_zero_2bits
  for (const [profilePresent, levelPresent] of sub) {
    if (profilePresent) r.u(88);
    if (levelPresent) r.u(8);
  }
  r.ue(); // sps_seq_parameter_set_id
  const chromaFormatIdc = r.ue();
  const separateColourPlane = chromaFormatIdc === 3 ? r.u(1) === 1 : false;
  let width = r.ue();
  let height = r.ue();
  if (r.u(1)) {
    // conformance_window_flag: offsets in chroma sample units (Table 6-1)
    const [l, right, t, bottom] = [r.ue(), r.ue(), r.ue(), r.ue()];
    const cat = separateColourPlane ? 0 : chromaFormatIdc;
    const subW = cat === 1 || cat === 2 ? 2 : 1;
    const subH = cat === 1 ? 2 : 1;
    width -= subW * (l + right);
    height -= subH * (t + bottom);
  }
  const bitDepthLuma = r.ue() + 8;
  const bitDepthChroma = r.ue() + 8;
  return {
    maxSubLayersMinus1, temporalIdNesting, generalPtl, profileSpace, tier, profileIdc, compatibilityFlags, levelIdc,
    chromaFormatIdc, bitDepthLuma, bitDepthChroma, width, height,
  };
}

/**
 * Builds an HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1.2) with 4-byte NAL lengths:
 * ```
 * configurationVersion = 1                                              UI8
 * general_profile_space UB[2] general_tier_flag UB[1] general_profile_idc UB[5]
 * general_profile_compatibility_flags UI32, general_constraint_indicator_flags UB[48]
 * general_level_idc UI8
 * '1111'b min_spatial_segmentation_idc UB[12] = 0
 * '111111'b parallelismType UB[2] = 0
 * '111111'b chromaFormat UB[2]
 * '11111'b bitDepthLumaMinus8 UB[3];  '11111'b bitDepthChromaMinus8 UB[3]
 * avgFrameRate UI16 = 0
 * constantFrameRate UB[2] = 0, numTemporalLayers UB[3], temporalIdNested UB[1], lengthSizeMinusOne UB[2] = 3
 * numOfArrays UI8; per array: array_completeness UB[1] = 1, reserved UB[1] = 0, NAL_unit_type UB[6],
 *   numNalus UI16, per NAL unit: nalUnitLength UI16, nalUnit
 * ```
 */
export function buildHvcC(vps: Uint8Array[], sps: Uint8Array[], pps: Uint8Array[]): Buffer {
  if (sps.length === 0) throw new Error('no SPS');
  const s = parseSps(sps[0]);
  const head = Buffer.alloc(23);
  head[0] = 1;
  head.set(s.generalPtl, 1); // bytes 1..12
  head.writeUInt16BE(0xf000, 13);
  head[15] = 0xfc;
  head[16] = 0xfc | s.chromaFormatIdc;
  head[17] = 0xf8 | (s.bitDepthLuma - 8);
  head[18] = 0xf8 | (s.bitDepthChroma - 8);
  head.writeUInt16BE(0, 19);
  head[21] = ((s.maxSubLayersMinus1 + 1) << 3) | ((s.temporalIdNesting ? 1 : 0) << 2) | 3;
  const arrays = [[NAL_VPS, vps], [NAL_SPS, sps], [NAL_PPS, pps]] as const;
  head[22] = arrays.length;
  const parts: Buffer[] = [head];
  for (const [type, nals] of arrays) {
    const a = Buffer.alloc(3);
    a[0] = 0x80 | type;
    a.writeUInt16BE(nals.length, 1);
    parts.push(a);
    for (const n of nals) {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(n.length);
      parts.push(len, Buffer.from(n));
    }
  }
  return Buffer.concat(parts);
}

/** The parts of an HEVCDecoderConfigurationRecord a decoder needs: NAL length size and parameter sets. */
export function parseHvcC(rec: Uint8Array): { nalLengthSize: number; generalPtl: Uint8Array; chromaFormat: number; nals: Buffer[] } {
  const b = Buffer.from(rec.buffer, rec.byteOffset, rec.byteLength);
  if (b.length < 23) throw new Error(`HEVCDecoderConfigurationRecord of ${b.length} bytes`);
  const nals: Buffer[] = [];
  let pos = 23;
  for (let i = 0; i < b[22]; i++) {
    const count = b.readUInt16BE(pos + 1);
    pos += 3;
    for (let j = 0; j < count; j++) {
      const len = b.readUInt16BE(pos);
      nals.push(b.subarray(pos + 2, pos + 2 + len));
      pos += 2 + len;
    }
  }
  if (pos !== b.length) throw new Error(`HEVCDecoderConfigurationRecord: ${b.length - pos} bytes after the arrays`);
  return { nalLengthSize: (b[21] & 3) + 1, generalPtl: b.subarray(1, 13), chromaFormat: b[16] & 3, nals };
}

/** NAL units with 4-byte big-endian length prefixes (an hvc1 sample, lengthSizeMinusOne = 3). */
export function lengthPrefixed(nals: Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const n of nals) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(n.length);
    parts.push(len, Buffer.from(n));
  }
  return Buffer.concat(parts);
}

/** Splits a length-prefixed sample; throws when a length runs past the end. */
export function splitLengthPrefixed(data: Uint8Array, nalLengthSize: number): Buffer[] {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const nals: Buffer[] = [];
  let pos = 0;
  while (pos < b.length) {
    const len = b.readUIntBE(pos, nalLengthSize);
    pos += nalLengthSize;
    if (pos + len > b.length) throw new Error(`NAL unit of ${len} bytes overruns the sample at ${pos}`);
    nals.push(b.subarray(pos, pos + len));
    pos += len;
  }
  return nals;
}

const START_CODE = Buffer.from([0, 0, 0, 1]);

/** NAL units as an Annex B byte stream (4-byte start codes). */
export function annexB(nals: Uint8Array[]): Buffer {
  return Buffer.concat(nals.flatMap((n) => [START_CODE, Buffer.from(n)]));
}

/** One picture as an E-RTMP publisher sends it. */
export interface HevcAccessUnit {
  /** An IRAP picture (E-RTMP frameType 1, KeyFrame). */
  keyframe: boolean;
  /** The sample: its NAL units (without AUD and parameter sets, which live in the config record), 4-byte length prefixed. */
  sample: Buffer;
}

/** An HEVC stream ready to publish. */
export interface HevcStream {
  /** The HEVCDecoderConfigurationRecord of the SequenceStart. */
  config: Buffer;
  sps: SpsInfo;
  accessUnits: HevcAccessUnit[];
}

/** Reads an Annex B file into a config record and per-picture samples. */
export function loadHevcStream(file: string): HevcStream {
  const nals = splitAnnexB(readFileSync(file));
  const vps = nals.filter((n) => nalType(n) === NAL_VPS);
  const sps = nals.filter((n) => nalType(n) === NAL_SPS);
  const pps = nals.filter((n) => nalType(n) === NAL_PPS);
  const inBand = new Set([NAL_AUD, NAL_VPS, NAL_SPS, NAL_PPS]);
  const accessUnits = groupAccessUnits(nals).map((au) => ({
    keyframe: au.some(isIrap),
    sample: lengthPrefixed(au.filter((n) => !inBand.has(nalType(n)))),
  }));
  return { config: buildHvcC(dedupe(vps), dedupe(sps), dedupe(pps)), sps: parseSps(sps[0]), accessUnits };
}

/** Parameter sets repeated in-band (repeat-headers) are the same bytes: keep one of each. */
function dedupe(nals: Buffer[]): Buffer[] {
  const seen = new Set<string>();
  return nals.filter((n) => {
    const k = n.toString('hex');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Encodes `frames` pictures of testsrc2 with libx265 into `dir/NAME.hevc` (Annex B, one AUD per
 * picture, IRAP every 25 pictures, no B-frames so decode order = presentation order). Throws with
 * ffmpeg's message when it fails (e.g. an ffmpeg built without libx265).
 */
export async function encodeHevc(dir: string, frames: number, size = '640x360'): Promise<string> {
  const out = path.join(dir, `testsrc2-${size}-${frames}.hevc`);
  const r = await run('ffmpeg', [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25`, '-frames:v', String(frames),
    '-c:v', 'libx265', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    '-x265-params', 'keyint=25:min-keyint=25:scenecut=0:bframes=0:aud=1:log-level=error',
    '-f', 'hevc', out,
  ]);
  if (r.code !== 0) throw new Error(`ffmpeg could not encode HEVC with libx265 (exit ${r.code}): ${r.stderr.trim()}`);
  return out;
}

/**
 * The codec string of ISO/IEC 14496-15 Annex E.3 (as RFC 6381 / MSE use it):
 * `hvc1.[A|B|C]profile_idc.compat.(L|H)level_idc[.constraint bytes]`, where `compat` is the 32
 * compatibility flags in reverse bit order (flag[31] most significant) in hex, and the six
 * constraint bytes are hex with trailing zero bytes omitted.
 */
export function hevcCodecString(s: SpsInfo): string {
  let compat = 0;
  for (let j = 0; j < 32; j++) if ((s.compatibilityFlags >>> (31 - j)) & 1) compat += 2 ** j;
  const constraints = Array.from(s.generalPtl.subarray(5, 11));
  while (constraints.length > 0 && constraints[constraints.length - 1] === 0) constraints.pop();
  return [
    'hvc1',
    `${['', 'A', 'B', 'C'][s.profileSpace]}${s.profileIdc}`,
    compat.toString(16).toUpperCase(),
    `${s.tier ? 'H' : 'L'}${s.levelIdc}`,
    ...constraints.map((c) => c.toString(16).toUpperCase().padStart(2, '0')),
  ].join('.');
}
