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
 * The FLV header followed by PreviousTagSize0 = 0 (13 bytes). E.2: `Signature 'FLV'; Version UI8 = 1;
 * TypeFlagsReserved UB[5] = 0; TypeFlagsAudio UB[1]; TypeFlagsReserved UB[1] = 0; TypeFlagsVideo UB[1];
 * DataOffset UI32 = 9`.
 */
export function flvHeader(flags: { audio: boolean; video: boolean }): Buffer {
  const b = Buffer.alloc(FLV_HEADER_SIZE);
  b.write('FLV', 0, 'latin1');
  b[3] = 1;
  b[4] = (flags.audio ? 0x04 : 0) | (flags.video ? 0x01 : 0);
  b.writeUInt32BE(9, 5);
  return b; // bytes 9..12: PreviousTagSize0 = 0
}

/** Total bytes one tag occupies in the file: header + body + PreviousTagSize. */
export function flvTagSize(bodyLength: number): number {
  return FLV_TAG_HEADER_SIZE + bodyLength + FLV_PREVIOUS_TAG_SIZE_SIZE;
}

/**
 * Writes an 11-byte tag header at `offset` and returns the offset after it. E.4.1: `Reserved UB[2] = 0;
 * Filter UB[1] = 0; TagType UB[5]; DataSize UI24; Timestamp UI24 (low 24 bits, ms);
 * TimestampExtended UI8 (high 8 bits); StreamID UI24 = 0`. The timestamp is taken modulo 2^32
 * (RTMP timestamps wrap the same way).
 */
export function writeFlvTagHeader(target: Buffer, offset: number, type: number, timestamp: number, bodyLength: number): number {
  if (!Number.isInteger(bodyLength) || bodyLength < 0 || bodyLength > FLV_MAX_BODY_SIZE) {
    throw new MediaError(`FLV tag body of ${bodyLength} bytes does not fit DataSize (UI24)`);
  }
  if (offset < 0 || offset + FLV_TAG_HEADER_SIZE > target.length) throw new RangeError('FLV tag header does not fit the target');
  const ts = Math.trunc(timestamp) >>> 0;
  target[offset] = type & 0x1f;
  target.writeUIntBE(bodyLength, offset + 1, 3);
  target.writeUIntBE(ts & 0xffffff, offset + 4, 3);
  target[offset + 7] = ts >>> 24;
  target.writeUIntBE(0, offset + 8, 3);
  return offset + FLV_TAG_HEADER_SIZE;
}

/** Writes a PreviousTagSize (UI32: 11 + DataSize of the tag before it) at `offset`; returns the offset after it. */
export function writePreviousTagSize(target: Buffer, offset: number, bodyLength: number): number {
  return target.writeUInt32BE(FLV_TAG_HEADER_SIZE + bodyLength, offset);
}

/** One complete tag: header + body + PreviousTagSize, in a new buffer. */
export function encodeFlvTag(type: FlvTagType, timestamp: number, body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(flvTagSize(body.length));
  let pos = writeFlvTagHeader(out, 0, type, timestamp, body.length);
  out.set(body, pos);
  pos += body.length;
  writePreviousTagSize(out, pos, body.length);
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
  for (const t of tags) {
    pos = writeFlvTagHeader(out, pos, t.type, t.timestamp, t.body.length);
    out.set(t.body, pos);
    pos = writePreviousTagSize(out, pos + t.body.length, t.body.length);
  }
  return out;
}
