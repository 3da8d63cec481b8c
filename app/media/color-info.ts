/**
 * Enhanced RTMP v2's `colorInfo` (veovera enhanced-rtmp v2, "Metadata
 * Frame"): a video packet of type Metadata whose payload is AMF0, the
 * string "colorInfo" then an object
 * `{ colorConfig: { bitDepth, colorPrimaries, transferCharacteristics, matrixCoefficients }, hdrCll?, hdrMdcv? }`,
 * the code points those of ITU-T H.273. OBS sends it for HEVC and AV1; it is
 * the only colour description an AV1 or VP9 stream's sequence start lacks.
 */
import { decodeAmf0All, encodeAmf0 } from '../amf/amf0.js';
import { isAmfObject } from '../amf/types.js';
import type { VideoColour } from './vui-colour.js';

/** WebCodecs' colour names (what Mediabunny reads from a file) as H.273 code points. */
const PRIMARIES: Readonly<Record<string, number>> = { bt709: 1, bt470bg: 5, smpte170m: 6, bt2020: 9, smpte432: 12 };
const TRANSFER: Readonly<Record<string, number>> = { bt709: 1, smpte170m: 6, linear: 8, 'iec61966-2-1': 13, pq: 16, hlg: 18 };
const MATRIX: Readonly<Record<string, number>> = { rgb: 0, bt709: 1, bt470bg: 5, smpte170m: 6, 'bt2020-ncl': 9 };

/** An H.273 code point (0-255) or undefined. */
function codePoint(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255 ? v : undefined;
}

/**
 * The colour description in a Metadata packet's payload; undefined when it
 * is not a `colorInfo` with a `colorConfig`, or says nothing (all code points
 * 2, "unspecified", or missing). colorInfo has no range flag: limited range,
 * what every encoder that sends it (OBS) uses for video. Throws AmfError on
 * a malformed payload.
 */
export function parseColorInfo(payload: Uint8Array): VideoColour | undefined {
  const [name, info] = decodeAmf0All(payload);
  if (name !== 'colorInfo' || !isAmfObject(info) || !isAmfObject(info.colorConfig)) return undefined;
  const c = info.colorConfig;
  const primaries = codePoint(c.colorPrimaries) ?? 2;
  const transfer = codePoint(c.transferCharacteristics) ?? 2;
  const matrix = codePoint(c.matrixCoefficients) ?? 2;
  if (primaries === 2 && transfer === 2 && matrix === 2) return undefined;
  return { primaries, transfer, matrix, fullRange: false };
}

/** A `colorInfo` payload for a colour in WebCodecs' names; null when none of it has an H.273 code point here. */
export function encodeColorInfo(c: { primaries?: string | null; transfer?: string | null; matrix?: string | null }, bitDepth: number): Buffer | null {
  const p = c.primaries ? PRIMARIES[c.primaries] : undefined;
  const t = c.transfer ? TRANSFER[c.transfer] : undefined;
  const m = c.matrix ? MATRIX[c.matrix] : undefined;
  if (p === undefined && t === undefined && m === undefined) return null;
  return encodeAmf0(['colorInfo', { colorConfig: { bitDepth, colorPrimaries: p ?? 2, transferCharacteristics: t ?? 2, matrixCoefficients: m ?? 2 } }]);
}
