/**
 * The one bounds-checked big-endian byte cursor of the engine: the AMF codecs
 * read commands with it, the media parsers read tag headers and configuration
 * records with it. Reading past the end throws the caller's own typed error
 * (AmfError, MediaError) naming what was being read, so truncated input never
 * yields `undefined` bytes or a RangeError.
 */

/** Builds the error a caller throws when its input is short; given once per reader. */
export type ShortReadError = (message: string) => Error;

/** Reads big-endian integers, floats, strings and views from a byte array, front to back. */
export class ByteReader {
  /**
   * The bytes, as a Buffer view (no copy) so that floats and UTF-8 read
   * natively. Public with `pos` so the codecs' tight loops (AMF3 vectors)
   * index it directly.
   */
  readonly buf: Buffer;
  /** The cursor: offset of the next byte to read. */
  pos: number;

  /**
   * @param shortRead builds the error to throw; pass a module-level function,
   *   not a fresh closure, so that no read and no reader allocates more than
   *   the reader itself (a reader is made per command and per media tag).
   */
  constructor(
    bytes: Uint8Array,
    offset: number,
    private readonly shortRead: ShortReadError,
  ) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (!Number.isInteger(offset) || offset < 0 || offset > this.buf.length) {
      throw shortRead(`offset ${offset} is outside the ${this.buf.length}-byte buffer`);
    }
    this.pos = offset;
  }

  /** Bytes after the cursor. */
  get remaining(): number {
    return this.buf.length - this.pos;
  }

  /** Throws unless `n` more bytes are available. */
  need(n: number, what: string): void {
    if (n > this.buf.length - this.pos) {
      throw this.shortRead(`${what} truncated: need ${n} byte(s) at offset ${this.pos}, ${this.buf.length - this.pos} left`);
    }
  }

  /** UI8. */
  u8(what = 'UI8'): number {
    // One compare instead of a call: this is the hottest read of both codecs.
    if (this.pos >= this.buf.length) this.need(1, what);
    return this.buf[this.pos++];
  }

  /** UI16, big-endian. */
  u16(what = 'UI16'): number {
    this.need(2, what);
    const b = this.buf;
    const o = this.pos;
    this.pos += 2;
    return (b[o] << 8) | b[o + 1];
  }

  /** UI24, big-endian. */
  u24(what = 'UI24'): number {
    this.need(3, what);
    const b = this.buf;
    const o = this.pos;
    this.pos += 3;
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
    const b = this.buf;
    const o = this.pos;
    this.pos += 4;
    return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  }

  /** IEEE 754 double, big-endian (the AMF number). */
  f64(what = 'DOUBLE'): number {
    this.need(8, what);
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  /** `n` bytes of UTF-8. */
  utf8(n: number, what = 'UTF-8'): string {
    this.need(n, what);
    const s = n === 0 ? '' : this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** Four bytes as a latin-1 string (a FOURCC). */
  fourCC(what = 'FOURCC'): string {
    this.need(4, what);
    const b = this.buf;
    const o = this.pos;
    this.pos += 4;
    return String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);
  }

  /** The next `n` bytes as a view (no copy). */
  bytesView(n: number, what = 'data'): Uint8Array {
    this.need(n, what);
    const view = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return view;
  }

  /** Everything after the cursor as a view (no copy); the cursor moves to the end. */
  rest(): Uint8Array {
    const view = this.buf.subarray(this.pos);
    this.pos = this.buf.length;
    return view;
  }

  /** Skips `n` bytes. */
  skip(n: number, what = 'data'): void {
    this.need(n, what);
    this.pos += n;
  }
}
