/**
 * AMF3 (Adobe "AMF 3 Specification", January 2013), used by RTMP messages 15
 * and 17 and after the AMF0 avmplus-object-marker (0x11). Decoding covers
 * every type of the spec with its three reference tables (strings, objects,
 * traits); encoding covers the basic types and writes no references.
 */
import { AmfError } from '../errors.js';
import { AmfReader, AmfWriter, MAX_DEPTH, amfClassName, setProperty, typedObject } from './types.js';
import type { AmfObject, AmfValue } from './types.js';

/** 3.12: the traits of an object: class name, sealed member names, dynamic and externalizable flags. */
interface Traits {
  className: string;
  sealed: string[];
  dynamic: boolean;
  externalizable: boolean;
}

/** Externalizable Flex classes whose externalized form is exactly one AMF3 value (the source / the proxied object). */
const WRAPPERS = new Set(['flex.messaging.io.ArrayCollection', 'flex.messaging.io.ObjectProxy']);

/**
 * 1.3.1 U29: "0x00000000 - 0x0000007F : 0xxxxxxx ... 0x00200000 - 0x3FFFFFFF :
 * 1xxxxxxx 1xxxxxxx 1xxxxxxx xxxxxxxx" (the fourth byte carries 8 bits).
 */
function readU29(r: AmfReader): number {
  let v = 0;
  for (let i = 0; i < 3; i++) {
    const b = r.u8('AMF3 U29');
    if (b < 0x80) return (v << 7) | b;
    v = (v << 7) | (b & 0x7f);
  }
  return (v << 8) | r.u8('AMF3 U29');
}

/** Decoded form of a dictionary key: objects become "[object Object]" and the like, never calling their own toString. */
function keyString(k: AmfValue): string {
  return typeof k === 'object' && k !== null && !(k instanceof Date) ? Object.prototype.toString.call(k) : String(k);
}

/**
 * An AMF3 decoding context: the string, object and trait reference tables
 * (3.8, 3.12), kept across `decode` calls until `reset()`.
 */
export class Amf3Decoder {
  private strings: string[] = [];
  private objects: AmfValue[] = [];
  private traits: Traits[] = [];

  /** Forget every reference (start a new message). */
  reset(): void {
    this.strings = [];
    this.objects = [];
    this.traits = [];
  }

  /** Decode one AMF3 value at `offset` of `buf`, with this decoder's tables; returns it and the offset past it. */
  decode(buf: Uint8Array, offset = 0): { value: AmfValue; offset: number } {
    const r = new AmfReader(buf, offset);
    const value = this.read(r, 0);
    return { value, offset: r.pos };
  }

  /**
   * 3.8: `UTF-8-vr = U29S-ref | (U29S-value *(UTF8-char))`; "The empty String
   * is never sent by reference" (and never enters the table).
   */
  private string(r: AmfReader): string {
    const h = readU29(r);
    if ((h & 1) === 0) {
      const i = h >>> 1;
      if (i >= this.strings.length) throw new AmfError(`AMF3 string reference ${i} out of range (${this.strings.length} strings) at offset ${r.pos}`);
      return this.strings[i];
    }
    const s = r.utf8(h >>> 1, 'AMF3 string');
    if (s.length > 0) this.strings.push(s);
    return s;
  }

  /** U29O-ref: "The first (low) bit is a flag with value 0 ... the remaining ... bits encode an object reference index". */
  private ref(r: AmfReader, h: number): AmfValue {
    const i = h >>> 1;
    if (i >= this.objects.length) throw new AmfError(`AMF3 object reference ${i} out of range (${this.objects.length} objects) at offset ${r.pos}`);
    return this.objects[i];
  }

  private enter(r: AmfReader, depth: number): void {
    if (depth >= MAX_DEPTH) throw new AmfError(`AMF3 value nested deeper than ${MAX_DEPTH} levels at offset ${r.pos}`);
  }

  /** Read one value from `r` at nesting `depth` (used by the AMF0 decoder for the 0x11 switch). */
  read(r: AmfReader, depth: number): AmfValue {
    const at = r.pos;
    const marker = r.u8('AMF3 marker');
    if (marker <= 0x03) return marker === 0x00 ? undefined : marker === 0x01 ? null : marker === 0x03;
    if (marker === 0x04) {
      const n = readU29(r); // 3.6 integer-type = integer-marker U29, a signed 29-bit integer
      return n & 0x10000000 ? n - 0x20000000 : n;
    }
    if (marker === 0x05) return r.f64('AMF3 double'); // 3.7 double-type = double-marker DOUBLE
    if (marker === 0x06) return this.string(r); // 3.8 string-type = string-marker UTF-8-vr
    if (marker > 0x11) throw new AmfError(`unknown AMF3 marker 0x${marker.toString(16).padStart(2, '0')} at offset ${at}`);
    const h = readU29(r);
    if ((h & 1) === 0) return this.ref(r, h);
    const n = h >>> 1;
    switch (marker) {
      case 0x07: // 3.9 xml-doc-type = xml-doc-marker (U29O-ref | (U29X-value *(UTF8-char)))
      case 0x0b: {
        // 3.13 xml-type = xml-marker (U29O-ref | (U29X-value *(UTF8-char)))
        const s = r.utf8(n, 'AMF3 XML');
        this.objects.push(s);
        return s;
      }
      case 0x08: {
        // 3.10 date-type = date-marker (U29O-ref | (U29D-value date-time)) ; date-time = DOUBLE
        const d = new Date(r.f64('AMF3 date'));
        this.objects.push(d);
        return d;
      }
      case 0x09:
        return this.array(r, n, depth);
      case 0x0a:
        return this.object(r, h, depth);
      case 0x0c: {
        // 3.14 bytearray-type = bytearray-marker (U29O-ref | U29B-value *(U8))
        r.need(n, 'AMF3 ByteArray');
        const bytes = new Uint8Array(n);
        bytes.set(r.buf.subarray(r.pos, r.pos + n));
        r.pos += n;
        this.objects.push(bytes);
        return bytes;
      }
      case 0x11: {
        // 3.16 dictionary-type = dictionary-marker (U29O-ref | U29Dict-value weak-keys *(entry-key entry-value))
        r.u8('AMF3 dictionary weak-keys');
        if (n > r.remaining / 2) throw new AmfError(`AMF3 dictionary of ${n} entries exceeds the ${r.remaining} bytes left at offset ${at}`);
        this.enter(r, depth);
        const obj: AmfObject = {};
        this.objects.push(obj);
        for (let i = 0; i < n; i++) {
          const key = keyString(this.read(r, depth + 1));
          setProperty(obj, key, this.read(r, depth + 1));
        }
        return obj;
      }
      default:
        return this.vector(r, marker, n, depth);
    }
  }

  /**
   * 3.15 `vector-int-type = vector-int-marker (U29O-ref | U29V-value fixed-vector *(U32))`,
   * likewise uint (U32), double (DOUBLE) and object (`object-type-name *(value-type)`).
   */
  private vector(r: AmfReader, marker: number, n: number, depth: number): AmfValue[] {
    r.u8('AMF3 vector fixed flag');
    const out: AmfValue[] = [];
    if (marker === 0x10) {
      this.string(r); // object-type-name, dropped
      if (n > r.remaining) throw new AmfError(`AMF3 vector of ${n} objects exceeds the ${r.remaining} bytes left`);
      this.enter(r, depth);
      this.objects.push(out);
      for (let i = 0; i < n; i++) out.push(this.read(r, depth + 1));
      return out;
    }
    const size = marker === 0x0f ? 8 : 4;
    r.need(n * size, 'AMF3 vector');
    this.objects.push(out);
    const b = r.buf;
    for (let i = 0; i < n; i++, r.pos += size) {
      out.push(marker === 0x0d ? b.readInt32BE(r.pos) : marker === 0x0e ? b.readUInt32BE(r.pos) : b.readDoubleBE(r.pos));
    }
    return out;
  }

  /**
   * 3.11 `array-type = array-marker (U29O-ref | (U29A-value (UTF-8-empty | *(assoc-value) UTF-8-empty) *(value-type)))`.
   * A non-empty associative part yields an object holding both named and index keys.
   */
  private array(r: AmfReader, dense: number, depth: number): AmfValue[] | AmfObject {
    this.enter(r, depth);
    let key = this.string(r);
    if (key === '') {
      if (dense > r.remaining) throw new AmfError(`AMF3 array of ${dense} items exceeds the ${r.remaining} bytes left`);
      const arr: AmfValue[] = [];
      this.objects.push(arr);
      for (let i = 0; i < dense; i++) arr.push(this.read(r, depth + 1));
      return arr;
    }
    const obj: AmfObject = {};
    this.objects.push(obj);
    for (; key !== ''; key = this.string(r)) setProperty(obj, key, this.read(r, depth + 1));
    if (dense > r.remaining) throw new AmfError(`AMF3 array of ${dense} items exceeds the ${r.remaining} bytes left`);
    for (let i = 0; i < dense; i++) obj[i] = this.read(r, depth + 1);
    return obj;
  }

  /**
   * 3.12 `object-type = object-marker (U29O-ref | (U29O-traits-ext class-name *(U8)) | U29O-traits-ref |
   * (U29O-traits class-name *(UTF-8-vr))) *(value-type) *(dynamic-member)`.
   */
  private object(r: AmfReader, h: number, depth: number): AmfValue {
    this.enter(r, depth);
    let traits: Traits;
    if ((h & 2) === 0) {
      const i = h >>> 2; // U29O-traits-ref
      if (i >= this.traits.length) throw new AmfError(`AMF3 traits reference ${i} out of range (${this.traits.length} traits) at offset ${r.pos}`);
      traits = this.traits[i];
    } else if ((h & 4) !== 0) {
      traits = { className: this.string(r), sealed: [], dynamic: false, externalizable: true }; // U29O-traits-ext
      this.traits.push(traits);
    } else {
      const count = h >>> 4; // U29O-traits: sealed member count; bit 3 = dynamic
      const className = this.string(r);
      if (count > r.remaining) throw new AmfError(`AMF3 traits of ${count} members exceed the ${r.remaining} bytes left`);
      const sealed: string[] = [];
      for (let i = 0; i < count; i++) sealed.push(this.string(r));
      traits = { className, sealed, dynamic: (h & 8) !== 0, externalizable: false };
      this.traits.push(traits);
    }
    if (traits.externalizable) {
      if (!WRAPPERS.has(traits.className)) throw new AmfError(`externalizable class ${traits.className} not supported`);
      const slot = this.objects.length;
      this.objects.push(undefined);
      const inner = this.read(r, depth + 1);
      this.objects[slot] = inner;
      return inner;
    }
    const obj: AmfObject = {};
    if (traits.className !== '') typedObject(obj, traits.className);
    this.objects.push(obj);
    for (const name of traits.sealed) setProperty(obj, name, this.read(r, depth + 1));
    if (traits.dynamic) {
      // dynamic-member = UTF-8-vr value-type ; "Another dynamic member follows until the string-type is the empty string"
      for (let key = this.string(r); key !== ''; key = this.string(r)) setProperty(obj, key, this.read(r, depth + 1));
    }
    return obj;
  }
}

/**
 * Decode one AMF3 value at `offset` (default 0) of `buf` with fresh reference
 * tables; returns it and the offset just past it. AMF3 3.1: "value-type =
 * undefined-marker | null-marker | false-marker | true-marker | integer-type |
 * double-type | string-type | xml-doc-type | date-type | array-type | object-type |
 * xml-type | byte-array-type | vector-type | dictionary-type" (markers 0x00 to 0x11).
 */
export function decodeAmf3(buf: Uint8Array, offset = 0): { value: AmfValue; offset: number } {
  return new Amf3Decoder().decode(buf, offset);
}

/** 1.3.1 U29 writer; "0x40000000 - 0xFFFFFFFF : throw range exception". */
function writeU29(w: AmfWriter, v: number): void {
  if (v < 0x80) w.u8(v);
  else if (v < 0x4000) {
    w.u8((v >>> 7) | 0x80);
    w.u8(v & 0x7f);
  } else if (v < 0x200000) {
    w.u8((v >>> 14) | 0x80);
    w.u8(((v >>> 7) & 0x7f) | 0x80);
    w.u8(v & 0x7f);
  } else if (v < 0x20000000) {
    w.u8((v >>> 22) | 0x80);
    w.u8(((v >>> 15) & 0x7f) | 0x80);
    w.u8(((v >>> 8) & 0x7f) | 0x80);
    w.u8(v & 0xff);
  } else throw new AmfError(`${v} does not fit an AMF3 U29`);
}

/** 3.8 UTF-8-vr as U29S-value: byte length << 1 | 1, then the bytes. */
function writeString(w: AmfWriter, s: string): void {
  const n = Buffer.byteLength(s, 'utf8');
  if (n >= 0x10000000) throw new AmfError(`string of ${n} UTF-8 bytes is too long for AMF3`);
  writeU29(w, (n << 1) | 1);
  w.utf8(s, n);
}

function writeValue(w: AmfWriter, v: AmfValue, depth: number): void {
  switch (typeof v) {
    case 'boolean':
      return w.u8(v ? 0x03 : 0x02);
    case 'number':
      // 3.6: integers outside -2^28 .. 2^28-1 "are serialized as double"
      if (Number.isInteger(v) && v >= -0x10000000 && v <= 0x0fffffff && !Object.is(v, -0)) {
        w.u8(0x04);
        return writeU29(w, v & 0x1fffffff);
      }
      w.u8(0x05);
      return w.f64(v);
    case 'string':
      w.u8(0x06);
      return writeString(w, v);
    case 'object':
      break;
    case 'bigint':
      throw new AmfError('cannot encode a bigint in AMF3');
    default:
      return w.u8(0x00);
  }
  if (v === null) return w.u8(0x01);
  if (v instanceof Date) {
    w.u8(0x08);
    w.u8(0x01); // U29D-value
    return w.f64(v.getTime());
  }
  if (v instanceof Uint8Array) {
    w.u8(0x0c);
    if (v.length >= 0x10000000) throw new AmfError(`ByteArray of ${v.length} bytes is too long for AMF3`);
    writeU29(w, (v.length << 1) | 1);
    return w.bytes(v);
  }
  if (depth >= MAX_DEPTH) throw new AmfError(`cannot encode AMF3 nested deeper than ${MAX_DEPTH} levels (cyclic value?)`);
  if (Array.isArray(v)) {
    w.u8(0x09);
    if (v.length >= 0x10000000) throw new AmfError(`array of ${v.length} items is too long for AMF3`);
    writeU29(w, (v.length << 1) | 1);
    w.u8(0x01); // no associative part
    for (let i = 0; i < v.length; i++) writeValue(w, v[i], depth + 1);
    return;
  }
  w.u8(0x0a);
  w.u8(0x0b); // U29O-traits: inline, not externalizable, dynamic, 0 sealed members
  writeString(w, amfClassName(v) ?? '');
  for (const key of Object.keys(v)) {
    const x = v[key];
    if (typeof x === 'function' || typeof x === 'symbol') continue;
    if (key === '') throw new AmfError('an AMF3 dynamic member cannot have an empty name');
    writeString(w, key);
    writeValue(w, x, depth + 1);
  }
  w.u8(0x01);
}

/**
 * Encode one value as AMF3: undefined, null, booleans, integer (29-bit) or
 * double, string, date, dense array, anonymous (or class-tagged) dynamic
 * object, Uint8Array as ByteArray. No reference tables are used.
 */
export function encodeAmf3(value: AmfValue): Buffer {
  const w = new AmfWriter(64);
  writeValue(w, value, 0);
  return w.finish();
}
