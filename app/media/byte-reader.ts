/**
 * Bounds-checked big-endian byte cursor for tag headers and configuration
 * records. Reading past the end throws a {@link MediaError} naming what was
 * being read, so truncated input never yields `undefined` bytes or a RangeError.
 */
import { MediaError } from '../errors.js';

/** Reads big-endian integers and slices from a byte array, front to back. */
export class ByteReader {
  readonly bytes: Uint8Array;
  offset: number;

  constructor(bytes: Uint8Array, offset = 0) {
    this.bytes = bytes;
    this.offset = offset;
  }

  /** Bytes after the cursor. */
  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  /** Throws unless `n` more bytes are available. */
  need(n: number, what: string): void {
    if (n > this.remaining) {
      throw new MediaError(`${what} truncated: need ${n} byte(s) at offset ${this.offset}, ${this.remaining} left`);
    }
  }

  /** UI8. */
  u8(what = 'UI8'): number {
    this.need(1, what);
    return this.bytes[this.offset++];
  }

  /** UI16, big-endian. */
  u16(what = 'UI16'): number {
    this.need(2, what);
    const b = this.bytes;
    const o = this.offset;
    this.offset += 2;
    return (b[o] << 8) | b[o + 1];
  }

  /** UI24, big-endian. */
  u24(what = 'UI24'): number {
    this.need(3, what);
    const b = this.bytes;
    const o = this.offset;
    this.offset += 3;
    return (b[o] << 16) | (b[o + 1] << 8) | b[o + 2];
  }

  /** SI24, big-endian two's complement (the FLV CompositionTime). */
  si24(what = 'SI24'): number {
    const v = this.u24(what);
    return v & 0x800000 ? v - 0x1000000 : v;
  }

  /** UI32, big-endian. */
  u32(what = 'UI32'): number {
    this.need(4, what);
    const b = this.bytes;
    const o = this.offset;
    this.offset += 4;
    return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  }

  /** Four bytes as a latin-1 string (a FOURCC). */
  fourCC(what = 'FOURCC'): string {
    this.need(4, what);
    const b = this.bytes;
    const o = this.offset;
    this.offset += 4;
    return String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);
  }

  /** The next `n` bytes as a view (no copy). */
  bytesView(n: number, what = 'data'): Uint8Array {
    this.need(n, what);
    const view = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return view;
  }

  /** Everything after the cursor as a view (no copy); the cursor moves to the end. */
  rest(): Uint8Array {
    const view = this.bytes.subarray(this.offset);
    this.offset = this.bytes.length;
    return view;
  }

  /** Skips `n` bytes. */
  skip(n: number, what = 'data'): void {
    this.need(n, what);
    this.offset += n;
  }
}
