/**
 * Writing FLV (Adobe FLV spec v10.1, Annex E): the file header and tags. An RTMP
 * audio/video/data message body is an FLV tag body as is, so recording is framing only.
 */
import { MediaError } from '../errors.js';

/** TagType values (FLV E.4.1): 8 audio, 9 video, 18 script data. */
export const FlvTagType = { Audio: 8, Video: 9, Script: 18 } as const;
export type FlvTagType = (typeof FlvTagType)[keyof typeof FlvTagType];

/** Bytes of the FLV header (E.2) plus PreviousTagSize0. */
export const FLV_HEADER_SIZE = 13;
/** Bytes of a tag header (E.4.1). */
export const FLV_TAG_HEADER_SIZE = 11;
/** Bytes of the PreviousTagSize field after each tag. */
export const FLV_PREVIOUS_TAG_SIZE_SIZE = 4;
/** Largest tag body: DataSize is a UI24. */
export const FLV_MAX_BODY_SIZE = 0xffffff;

/**
 * Writes the FLV header followed by PreviousTagSize0 = 0 (13 bytes) at `offset`; returns the offset after it.
 * E.2: `Signature 'FLV'; Version UI8 = 1; TypeFlagsReserved UB[5] = 0; TypeFlagsAudio UB[1];
 * TypeFlagsReserved UB[1] = 0; TypeFlagsVideo UB[1]; DataOffset UI32 = 9`.
 */
export function writeFlvHeader(target: Uint8Array, offset: number, flags: { audio: boolean; video: boolean }): number {
  if (offset < 0 || offset + FLV_HEADER_SIZE > target.length) throw new RangeError('FLV header does not fit the target');
  target[offset] = 0x46; // 'F'
  target[offset + 1] = 0x4c; // 'L'
  target[offset + 2] = 0x56; // 'V'
  target[offset + 3] = 1;
  target[offset + 4] = (flags.audio ? 0x04 : 0) | (flags.video ? 0x01 : 0);
  target.fill(0, offset + 5, offset + FLV_HEADER_SIZE);
  target[offset + 8] = 9; // DataOffset; bytes 9..12: PreviousTagSize0 = 0
  return offset + FLV_HEADER_SIZE;
}

/** The FLV header followed by PreviousTagSize0 = 0, in a new 13-byte buffer (see {@link writeFlvHeader}). */
export function flvHeader(flags: { audio: boolean; video: boolean }): Buffer {
  const b = Buffer.alloc(FLV_HEADER_SIZE);
  writeFlvHeader(b, 0, flags);
  return b;
}

/**
 * Total bytes one tag occupies in the file: header + body + PreviousTagSize. Throws for a body that
 * DataSize cannot say, so a caller that reserves this much never reserves room it cannot fill.
 */
export function flvTagSize(bodyLength: number): number {
  if (bodyLength > FLV_MAX_BODY_SIZE) throw new MediaError(`FLV tag body of ${bodyLength} bytes does not fit DataSize (UI24)`);
  return FLV_TAG_HEADER_SIZE + bodyLength + FLV_PREVIOUS_TAG_SIZE_SIZE;
}

/**
 * Writes an 11-byte tag header at `offset` and returns the offset after it. E.4.1: `Reserved UB[2] = 0;
 * Filter UB[1] = 0; TagType UB[5]; DataSize UI24; Timestamp UI24 (low 24 bits, ms);
 * TimestampExtended UI8 (high 8 bits); StreamID UI24 = 0`. The timestamp is taken modulo 2^32
 * (RTMP timestamps wrap the same way).
 */
export function writeFlvTagHeader(target: Uint8Array, offset: number, type: number, timestamp: number, bodyLength: number): number {
  if (!Number.isInteger(bodyLength) || bodyLength < 0 || bodyLength > FLV_MAX_BODY_SIZE) {
    throw new MediaError(`FLV tag body of ${bodyLength} bytes does not fit DataSize (UI24)`);
  }
  if (offset < 0 || offset + FLV_TAG_HEADER_SIZE > target.length) throw new RangeError('FLV tag header does not fit the target');
  // Byte stores rather than Buffer#writeUIntBE: this runs for every tag of every recording and preview,
  // and plain stores work on any Uint8Array.
  const ts = Math.trunc(timestamp) >>> 0;
  target[offset] = type & 0x1f;
  target[offset + 1] = bodyLength >>> 16;
  target[offset + 2] = (bodyLength >>> 8) & 0xff;
  target[offset + 3] = bodyLength & 0xff;
  target[offset + 4] = (ts >>> 16) & 0xff;
  target[offset + 5] = (ts >>> 8) & 0xff;
  target[offset + 6] = ts & 0xff;
  target[offset + 7] = ts >>> 24;
  target[offset + 8] = 0;
  target[offset + 9] = 0;
  target[offset + 10] = 0;
  return offset + FLV_TAG_HEADER_SIZE;
}

/** Writes a PreviousTagSize (UI32: 11 + DataSize of the tag before it) at `offset`; returns the offset after it. */
export function writePreviousTagSize(target: Uint8Array, offset: number, bodyLength: number): number {
  if (offset < 0 || offset + FLV_PREVIOUS_TAG_SIZE_SIZE > target.length) throw new RangeError('PreviousTagSize does not fit the target');
  const n = FLV_TAG_HEADER_SIZE + bodyLength;
  target[offset] = n >>> 24;
  target[offset + 1] = (n >>> 16) & 0xff;
  target[offset + 2] = (n >>> 8) & 0xff;
  target[offset + 3] = n & 0xff;
  return offset + FLV_PREVIOUS_TAG_SIZE_SIZE;
}

/**
 * Writes one whole tag (header, body, PreviousTagSize: {@link flvTagSize} bytes) at `offset` and returns
 * the offset after it. The one FLV tag writer: the recorder frames into its file staging with it and the
 * preview into its batch, so the body is copied once, straight to where it is sent from.
 */
export function writeFlvTag(target: Uint8Array, offset: number, type: number, timestamp: number, body: Uint8Array): number {
  const pos = writeFlvTagHeader(target, offset, type, timestamp, body.length);
  if (pos + body.length + FLV_PREVIOUS_TAG_SIZE_SIZE > target.length) throw new RangeError('FLV tag does not fit the target');
  target.set(body, pos);
  return writePreviousTagSize(target, pos + body.length, body.length);
}

/** One complete tag: header + body + PreviousTagSize, in a new buffer. */
export function encodeFlvTag(type: FlvTagType, timestamp: number, body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(flvTagSize(body.length));
  writeFlvTag(out, 0, type, timestamp, body);
  return out;
}

/**
 * Several tags framed into one buffer with a single allocation and one copy of each body
 * (for a recorder that batches writes).
 */
export function encodeFlvTags(tags: readonly { type: FlvTagType; timestamp: number; body: Uint8Array }[]): Buffer {
  let total = 0;
  for (const t of tags) total += flvTagSize(t.body.length);
  const out = Buffer.allocUnsafe(total);
  let pos = 0;
  for (const t of tags) pos = writeFlvTag(out, pos, t.type, t.timestamp, t.body);
  return out;
}
