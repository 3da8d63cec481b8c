/**
 * Decoded AMF values as JSON that keeps their AMF type. Plain JSON loses
 * what the wire said: `undefined` (marker 0x06) becomes null, an ECMA array
 * (0x08, onMetaData) a plain object, a typed object its class name, a Date
 * a string. Here every value whose JSON form would be ambiguous becomes a
 * tagged object `{ $amf: type, ... }`; the rest (number, boolean, string,
 * null, anonymous object, strict array) are JSON's own. A plain object that
 * itself has an `$amf` key is tagged too (`{ $amf: 'object', value }`), so a
 * client cannot forge a tag. The timeline, the CLI, the WebSocket and the
 * export all carry this one form.
 */
import type { AmfJson } from '../contract/values.js';
import { amfClassName, isEcmaArray } from './types.js';

/** Bytes of an AMF3 ByteArray kept as hex; the rest is counted, not copied. */
const BYTES_SHOWN = 32;
/** Nesting kept; deeper values are cut with a tag saying so. */
const MAX_DEPTH = 64;

/** The typed JSON of one decoded AMF value. */
export function amfJson(value: unknown, depth = 0): AmfJson {
  switch (typeof value) {
    case 'undefined':
      return { $amf: 'undefined' };
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : { $amf: 'number', value: String(value) };
    case 'object':
      break;
    default:
      return { $amf: 'unsupported', value: String(value) };
  }
  if (value === null) return null;
  if (depth >= MAX_DEPTH) return { $amf: 'too-deep' };
  if (value instanceof Date) return { $amf: 'date', value: Number.isNaN(value.getTime()) ? null : value.toISOString() };
  if (value instanceof Uint8Array) {
    return { $amf: 'byte-array', bytes: value.length, hex: Buffer.from(value.subarray(0, BYTES_SHOWN)).toString('hex') + (value.length > BYTES_SHOWN ? '…' : '') };
  }
  if (Array.isArray(value)) return value.map((v) => amfJson(v, depth + 1));
  const members: { [key: string]: AmfJson } = {};
  for (const [k, v] of Object.entries(value)) {
    // Defined, not assigned: a key of "__proto__" stays an own member.
    Object.defineProperty(members, k, { value: amfJson(v, depth + 1), enumerable: true, configurable: true, writable: true });
  }
  if (isEcmaArray(value)) return { $amf: 'ecma-array', value: members };
  const className = amfClassName(value);
  if (className !== undefined) return { $amf: 'typed-object', className, value: members };
  return Object.hasOwn(members, '$amf') ? { $amf: 'object', value: members } : members;
}

/** The AMF type of a typed-JSON value (the contract's reader, re-exported for the engine's side). */
export { amfTypeName } from '../contract/amf-types.js';
