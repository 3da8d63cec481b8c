/**
 * AMF0 (Adobe "Action Message Format -- AMF 0", 2006), the encoding of RTMP
 * command (20) and data (18) messages. Decoding is bounds-checked throughout:
 * malformed input raises {@link AmfError}, never a RangeError, and no
 * allocation is sized from an untrusted length.
 */
import { AmfError } from '../errors.js';
import { Amf3Decoder, encodeAmf3 } from './amf3.js';
import { AmfReader, AmfWriter, MAX_DEPTH, amfClassName, ecmaArray, isEcmaArray, setProperty, typedObject } from './types.js';
import type { AmfObject, AmfValue } from './types.js';

/** One decode pass: the reader, the AMF0 reference table, and the AMF3 context of 0x11 values. */
interface Context {
  r: AmfReader;
  /** AMF0 2.9: "complex object" = anonymous object, typed object, ECMA array or strict array, indexed from 0. */
  refs: AmfValue[];
  amf3: Amf3Decoder | undefined;
}

function enter(c: Context, depth: number): void {
  if (depth >= MAX_DEPTH) throw new AmfError(`AMF0 value nested deeper than ${MAX_DEPTH} levels at offset ${c.r.pos}`);
}

/**
 * AMF0 2.5: `object-property = (UTF-8 value-type) | (UTF-8-empty object-end-marker)`.
 * Properties up to the empty name followed by object-end-marker (0x09).
 */
function readProperties(c: Context, obj: AmfObject, depth: number): void {
  const r = c.r;
  for (;;) {
    const len = r.u16('AMF0 property name');
    if (len === 0 && r.pos < r.buf.length && r.buf[r.pos] === 0x09) {
      r.pos++;
      return;
    }
    const key = r.utf8(len, 'AMF0 property name');
    setProperty(obj, key, readValue(c, depth + 1));
  }
}

function readValue(c: Context, depth: number): AmfValue {
  const r = c.r;
  const at = r.pos;
  const marker = r.u8('AMF0 marker');
  switch (marker) {
    case 0x00: // 2.2 number-type = number-marker DOUBLE
      return r.f64('AMF0 number');
    case 0x01: // 2.3 boolean-type = boolean-marker U8 ; 0 is false, <> 0 is true
      return r.u8('AMF0 boolean') !== 0;
    case 0x02: // 2.4 string-type = string-marker UTF-8
      return r.utf8(r.u16('AMF0 string length'), 'AMF0 string');
    case 0x03: // 2.5 anonymous-object-type = object-marker *(object-property)
    case 0x08: // 2.10 ecma-array-type = associative-count *(object-property)
    case 0x10: {
      // 2.18 object-type = object-marker class-name *(object-property) (typed object)
      enter(c, depth);
      const obj: AmfObject = {};
      if (marker === 0x08) {
        r.u32('AMF0 ECMA array count'); // advisory only: encoders get it wrong, the end marker decides
        ecmaArray(obj);
      } else if (marker === 0x10) {
        typedObject(obj, r.utf8(r.u16('AMF0 class name length'), 'AMF0 class name'));
      }
      c.refs.push(obj);
      readProperties(c, obj, depth);
      return obj;
    }
    case 0x05: // 2.7 null-marker
      return null;
    case 0x06: // 2.8 undefined-marker
    case 0x0d: // 2.15 unsupported-marker
      return undefined;
    case 0x07: {
      // 2.9 reference-type = reference-marker U16
      const index = r.u16('AMF0 reference');
      if (index >= c.refs.length) throw new AmfError(`AMF0 reference ${index} out of range (${c.refs.length} objects) at offset ${at}`);
      return c.refs[index];
    }
    case 0x0a: {
      // 2.12 strict-array-type = array-count *(value-type) ; array-count = U32
      enter(c, depth);
      const count = r.u32('AMF0 strict array count');
      if (count > r.remaining) throw new AmfError(`AMF0 strict array count ${count} exceeds the ${r.remaining} bytes left at offset ${at}`);
      const arr: AmfValue[] = [];
      c.refs.push(arr);
      for (let i = 0; i < count; i++) arr.push(readValue(c, depth + 1));
      return arr;
    }
    case 0x0b: {
      // 2.13 date-type = date-marker DOUBLE time-zone ; time-zone = S16, reserved, should be 0x0000
      const ms = r.f64('AMF0 date');
      r.u16('AMF0 date time-zone');
      return new Date(ms);
    }
    case 0x0c: // 2.14 long-string-type = long-string-marker UTF-8-long
    case 0x0f: // 2.17 xml-document-type = xml-document-marker UTF-8-long
      return r.utf8(r.u32('AMF0 long string length'), 'AMF0 long string');
    case 0x11: // 3.1 avmplus-object-marker: the following value is AMF 3
      c.amf3 ??= new Amf3Decoder();
      return c.amf3.read(r, depth);
    default:
      throw new AmfError(`unknown AMF0 marker 0x${marker.toString(16).padStart(2, '0')} at offset ${at}`);
  }
}

/**
 * Decode one AMF0 value at `offset` (default 0) of `buf`; returns it and the
 * offset just past it. Reference tables start empty for this value.
 *
 * AMF0 2.1: "value-type = number-type | boolean-type | string-type | object-type |
 * null-marker | undefined-marker | reference-type | ecma-array-type | strict-array-type |
 * date-type | long-string-type | xml-document-type | typed-object-type", each led by
 * a one-byte marker (0x00 number ... 0x10 typed-object, 0x11 avmplus-object).
 */
export function decodeAmf0(buf: Uint8Array, offset = 0): { value: AmfValue; offset: number } {
  const c: Context = { r: new AmfReader(buf, offset), refs: [], amf3: undefined };
  const value = readValue(c, 0);
  return { value, offset: c.r.pos };
}

/**
 * Decode every AMF0 value in `buf`, e.g. a command message: name, transaction
 * id, command object, arguments. One reference table (and one AMF3 context for
 * 0x11 values) spans the whole message.
 */
export function decodeAmf0All(buf: Uint8Array): AmfValue[] {
  const c: Context = { r: new AmfReader(buf), refs: [], amf3: undefined };
  const values: AmfValue[] = [];
  while (c.r.pos < c.r.buf.length) values.push(readValue(c, 0));
  return values;
}

function writeValue(w: AmfWriter, v: AmfValue, depth: number): void {
  switch (typeof v) {
    case 'number':
      w.u8(0x00);
      w.f64(v);
      return;
    case 'boolean':
      w.u8(0x01);
      w.u8(v ? 1 : 0);
      return;
    case 'string':
      if (v.length <= 0x5555 || Buffer.byteLength(v, 'utf8') <= 0xffff) {
        w.u8(0x02);
        w.prefixedUtf8(v, 2);
      } else {
        w.u8(0x0c);
        w.prefixedUtf8(v, 4);
      }
      return;
    case 'object':
      break;
    case 'bigint':
      throw new AmfError('cannot encode a bigint in AMF0');
    default: // undefined, and functions or symbols that slipped into an array
      w.u8(0x06);
      return;
  }
  if (v === null) return w.u8(0x05);
  if (v instanceof Date) {
    w.u8(0x0b);
    w.f64(v.getTime());
    w.u16(0);
    return;
  }
  if (v instanceof Uint8Array) {
    w.u8(0x11);
    w.bytes(encodeAmf3(v));
    return;
  }
  if (depth >= MAX_DEPTH) throw new AmfError(`cannot encode AMF0 nested deeper than ${MAX_DEPTH} levels (cyclic value?)`);
  if (Array.isArray(v)) {
    w.u8(0x0a);
    w.u32(v.length);
    for (let i = 0; i < v.length; i++) writeValue(w, v[i], depth + 1);
    return;
  }
  const ecma = isEcmaArray(v);
  const className = ecma ? undefined : amfClassName(v);
  let countAt = -1;
  if (ecma) {
    w.u8(0x08);
    countAt = w.pos;
    w.u32(0);
  } else if (className !== undefined) {
    w.u8(0x10);
    w.prefixedUtf8(className, 2);
  } else {
    w.u8(0x03);
  }
  let count = 0;
  for (const key of Object.keys(v)) {
    const x = v[key];
    if (typeof x === 'function' || typeof x === 'symbol') continue;
    w.prefixedUtf8(key, 2);
    writeValue(w, x, depth + 1);
    count++;
  }
  w.u16(0);
  w.u8(0x09);
  if (ecma) w.buf.writeUInt32BE(count, countAt);
}

/**
 * Encode `values` one after the other (a command: name, transaction id,
 * object, args). Objects tagged by `ecmaArray()` become ECMA arrays (0x08),
 * objects tagged by `typedObject()` typed objects (0x10), arrays strict arrays,
 * Uint8Array an AMF3 ByteArray behind the 0x11 switch. No references are written.
 */
export function encodeAmf0(values: AmfValue[]): Buffer {
  const w = new AmfWriter();
  for (const v of values) writeValue(w, v, 0);
  return w.finish();
}
