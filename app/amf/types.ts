/**
 * The value model shared by the AMF0 and AMF3 codecs, plus the byte reader
 * (the engine's shared one, throwing AmfError) and the growing byte writer
 * both of them use.
 *
 * Values are JSON-friendly on purpose: decoded commands cross IPC and are
 * shown in the UI. What JSON cannot carry (ECMA array vs. object, a typed
 * object's class name) rides on non-enumerable symbol properties, so it
 * survives a decode/encode cycle in the engine but never shows up in a dump.
 */
import { AmfError } from '../errors.js';
import { ByteReader } from '../util/byte-reader.js';

import type { AmfObject, AmfValue } from '../contract/values.js';

/** The value model lives in the contract (the UI shows decoded values); the codecs use it from there. */
export type { AmfObject, AmfValue };

/** Non-enumerable tag on an {@link AmfObject} that is (or must be encoded as) an AMF0 ECMA array (marker 0x08). */
export const AMF_ECMA_ARRAY = Symbol('amf.ecmaArray');

/** Non-enumerable property holding the class name of a decoded typed object (AMF0 0x10, AMF3 sealed traits). */
export const AMF_CLASS_NAME = Symbol('amf.className');

/** At most this many containers may be nested, on decode and on encode. */
export const MAX_DEPTH = 64;

/**
 * True when `value` is an {@link AmfObject}: an anonymous object, typed object
 * or ECMA array, and not one of the other object-typed AMF values (null, an
 * array, a Date, a ByteArray). The one guard for "is this a command object or
 * metadata map I can read properties from".
 */
export function isAmfObject(value: unknown): value is AmfObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}

/** Tag `obj` (in place) as an ECMA array, so that `encodeAmf0` writes marker 0x08; returns `obj`. */
export function ecmaArray<T extends AmfObject>(obj: T): T {
  Object.defineProperty(obj, AMF_ECMA_ARRAY, { value: true, enumerable: false, configurable: true, writable: true });
  return obj;
}

/** True when `value` is an object tagged by {@link ecmaArray} (every decoded AMF0 ECMA array is). */
export function isEcmaArray(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { [AMF_ECMA_ARRAY]?: unknown })[AMF_ECMA_ARRAY] === true;
}

/** Tag `obj` (in place) with an AMF class name, so that it encodes as a typed object; returns `obj`. */
export function typedObject<T extends AmfObject>(obj: T, className: string): T {
  Object.defineProperty(obj, AMF_CLASS_NAME, { value: className, enumerable: false, configurable: true, writable: true });
  return obj;
}

/** The class name of a typed object, or undefined for anything else. */
export function amfClassName(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const name = (value as { [AMF_CLASS_NAME]?: unknown })[AMF_CLASS_NAME];
  return typeof name === 'string' ? name : undefined;
}

/** `obj[key] = value`, except that a key of "__proto__" becomes an own property instead of replacing the prototype. */
export function setProperty(obj: AmfObject, key: string, value: AmfValue): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, configurable: true, writable: true });
  else obj[key] = value;
}

// One function for every reader: no closure per decoded command.
const amfError = (message: string): AmfError => new AmfError(message);

/** The engine's one {@link ByteReader}, with every shortfall an {@link AmfError}. Internal to the codecs. */
export class AmfReader extends ByteReader {
  constructor(buf: Uint8Array, offset = 0) {
    super(buf, offset, amfError);
  }
}

/** A write buffer that doubles as needed; `finish()` returns the written bytes. Internal to the codecs. */
export class AmfWriter {
  buf: Buffer;
  pos = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.pos++] = v;
  }

  u16(v: number): void {
    this.reserve(2);
    this.pos = this.buf.writeUInt16BE(v, this.pos);
  }

  u32(v: number): void {
    this.reserve(4);
    this.pos = this.buf.writeUInt32BE(v, this.pos);
  }

  f64(v: number): void {
    this.reserve(8);
    this.pos = this.buf.writeDoubleBE(v, this.pos);
  }

  bytes(src: Uint8Array): void {
    this.reserve(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  /** UTF-8 of `s` after a big-endian length prefix of `prefix` bytes (AMF0 UTF-8 / UTF-8-long). */
  prefixedUtf8(s: string, prefix: 2 | 4): void {
    // A UTF-16 code unit is at most 3 UTF-8 bytes: short strings skip the byteLength pass.
    const max = s.length <= 0x5555 ? s.length * 3 : Buffer.byteLength(s, 'utf8');
    this.reserve(prefix + max);
    const n = s.length === 0 ? 0 : this.buf.write(s, this.pos + prefix, 'utf8');
    if (prefix === 2) {
      if (n > 0xffff) throw new AmfError(`string of ${n} UTF-8 bytes does not fit a U16 length`);
      this.buf.writeUInt16BE(n, this.pos);
    } else {
      this.buf.writeUInt32BE(n, this.pos);
    }
    this.pos += prefix + n;
  }

  /** Raw UTF-8 of `s`, whose byte length the caller already computed. */
  utf8(s: string, byteLength: number): void {
    this.reserve(byteLength);
    if (byteLength > 0) this.buf.write(s, this.pos, 'utf8');
    this.pos += byteLength;
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
