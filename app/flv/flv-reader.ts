/**
 * Reading FLV byte streams and files (Adobe FLV spec v10.1, Annex E): a push parser
 * that takes bytes as they come (file reads, sockets) and yields whole tags.
 */
import { MediaError } from '../errors.js';
import { FLV_PREVIOUS_TAG_SIZE_SIZE, FLV_TAG_HEADER_SIZE } from './flv-mux.js';

/** One FLV tag. */
export interface FlvTag {
  /** TagType (low 5 bits): 8 audio, 9 video, 18 script data. */
  type: number;
  /** Timestamp in ms: `TimestampExtended << 24 | Timestamp`, unsigned 32-bit. */
  timestamp: number;
  /** The tag body (= the RTMP message payload); a view into the pushed bytes where possible. */
  body: Uint8Array;
  /** Byte offset of the tag header from the start of the stream. */
  offset: number;
}

/** The FLV file header (E.2). */
export interface FlvHeaderInfo {
  version: number;
  audio: boolean;
  video: boolean;
  /** DataOffset: the header's size (9 in FLV version 1). */
  dataOffset: number;
}

const MAX_DATA_OFFSET = 1 << 20;

/**
 * Parses the 9-byte FLV header, E.2: `Signature UI8[3] = 'FLV'; Version UI8; TypeFlagsReserved UB[5];
 * TypeFlagsAudio UB[1]; TypeFlagsReserved UB[1]; TypeFlagsVideo UB[1]; DataOffset UI32`.
 * Returns undefined when fewer than 9 bytes are given; throws {@link MediaError} when not FLV.
 */
export function parseFlvHeader(bytes: Uint8Array): FlvHeaderInfo | undefined {
  if (bytes.length >= 3 && (bytes[0] !== 0x46 || bytes[1] !== 0x4c || bytes[2] !== 0x56)) {
    throw new MediaError('not an FLV stream (no "FLV" signature)');
  }
  if (bytes.length < 9) return undefined;
  const dataOffset = ((bytes[5] << 24) | (bytes[6] << 16) | (bytes[7] << 8) | bytes[8]) >>> 0;
  if (dataOffset < 9 || dataOffset > MAX_DATA_OFFSET) throw new MediaError(`invalid FLV DataOffset ${dataOffset}`);
  return { version: bytes[3], audio: (bytes[4] & 0x04) !== 0, video: (bytes[4] & 0x01) !== 0, dataOffset };
}

/** DataSize of the tag header at `pos` (needs 4 bytes). */
const dataSizeAt = (b: Uint8Array, pos: number): number => (b[pos + 1] << 16) | (b[pos + 2] << 8) | b[pos + 3];

/**
 * Parses whole tags from `bytes`, which starts at a tag header (after the file header and
 * PreviousTagSize0), the way mpegts.js's `parseChunks(chunk, byteStart)` does: each tag is
 * `TagHeader (11 bytes); Data (DataSize bytes); PreviousTagSize UI32`. `byteStart` is the stream
 * offset of `bytes[0]`. Appends the tags to `out` and returns how many bytes it consumed; the caller
 * keeps the rest for the next call. PreviousTagSize is not checked (writers get it wrong).
 */
export function parseFlvTags(bytes: Uint8Array, byteStart: number, out: FlvTag[]): number {
  let pos = 0;
  while (bytes.length - pos >= FLV_TAG_HEADER_SIZE) {
    const size = dataSizeAt(bytes, pos);
    const end = pos + FLV_TAG_HEADER_SIZE + size;
    if (end + FLV_PREVIOUS_TAG_SIZE_SIZE > bytes.length) break;
    out.push(readTag(bytes, pos, size, byteStart));
    pos = end + FLV_PREVIOUS_TAG_SIZE_SIZE;
  }
  return pos;
}

function readTag(b: Uint8Array, pos: number, size: number, byteStart: number): FlvTag {
  const timestamp = ((b[pos + 7] << 24) | (b[pos + 4] << 16) | (b[pos + 5] << 8) | b[pos + 6]) >>> 0;
  const start = pos + FLV_TAG_HEADER_SIZE;
  return { type: b[pos] & 0x1f, timestamp, body: b.subarray(start, start + size), offset: byteStart + pos };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

/**
 * Push parser for an FLV stream: `push()` the bytes as they arrive and get the tags completed
 * by them. When a tag spans pushes, the pending bytes and the new ones are joined into one copy
 * (each byte is copied at most twice); otherwise tag bodies are views into the pushed arrays,
 * which therefore must not be modified afterwards.
 * Throws {@link MediaError} when the stream does not start with an FLV header.
 */
export class FlvReader {
  /** The file header, once its bytes have arrived. */
  header: FlvHeaderInfo | undefined;
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  /** Bytes needed in `chunks` before parsing can progress. */
  private need = 9;
  /** Stream offset of the first buffered byte. */
  private position = 0;
  private inTags = false;

  /** Bytes received but not yet part of a returned tag. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Adds bytes; returns the tags they complete, in order. */
  push(bytes: Uint8Array): FlvTag[] {
    if (bytes.length === 0) return [];
    this.chunks.push(bytes);
    this.buffered += bytes.length;
    if (this.buffered < this.need) return [];
    const buf = concat(this.chunks, this.buffered);
    let pos = 0;
    const tags: FlvTag[] = [];
    if (!this.inTags) {
      this.header ??= parseFlvHeader(buf);
      const start = (this.header as FlvHeaderInfo).dataOffset + FLV_PREVIOUS_TAG_SIZE_SIZE;
      if (buf.length >= start) {
        this.inTags = true;
        pos = start;
      }
    }
    if (this.inTags) pos += parseFlvTags(buf.subarray(pos), this.position + pos, tags);
    const rest = buf.subarray(pos);
    this.position += pos;
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    if (!this.inTags) this.need = (this.header as FlvHeaderInfo).dataOffset + FLV_PREVIOUS_TAG_SIZE_SIZE;
    else if (rest.length < FLV_TAG_HEADER_SIZE) this.need = FLV_TAG_HEADER_SIZE;
    else this.need = FLV_TAG_HEADER_SIZE + dataSizeAt(rest, 0) + FLV_PREVIOUS_TAG_SIZE_SIZE;
    return tags;
  }

  /**
   * Ends the stream. A last tag whose body is complete but whose PreviousTagSize is cut off is
   * still returned; `truncatedTail` counts the bytes left over (a recorder killed mid-write).
   * The reader is empty afterwards.
   */
  end(): { tags: FlvTag[]; truncatedTail: number } {
    const buf = concat(this.chunks, this.buffered);
    const tags: FlvTag[] = [];
    let used = 0;
    if (this.inTags && buf.length >= FLV_TAG_HEADER_SIZE) {
      const size = dataSizeAt(buf, 0);
      if (buf.length >= FLV_TAG_HEADER_SIZE + size) {
        tags.push(readTag(buf, 0, size, this.position));
        used = FLV_TAG_HEADER_SIZE + size;
      }
    }
    const truncatedTail = buf.length - used;
    this.position += buf.length;
    this.chunks = [];
    this.buffered = 0;
    return { tags, truncatedTail };
  }
}

/**
 * Reads a whole FLV file. A truncated last tag is reported in `truncatedTail` (bytes), not thrown;
 * a missing or foreign header throws {@link MediaError}.
 */
export function readFlvFile(buf: Uint8Array): { header: FlvHeaderInfo; tags: FlvTag[]; truncatedTail: number } {
  const reader = new FlvReader();
  const tags = reader.push(buf);
  const header = reader.header;
  if (header === undefined || buf.length < header.dataOffset) throw new MediaError('truncated FLV header');
  const last = reader.end();
  tags.push(...last.tags);
  return { header, tags, truncatedTail: last.truncatedTail };
}
