/**
 * Reading typed-JSON AMF values (AmfJson, values.ts) on any side of the
 * contract: the AMF type of a value as Wireshark names it, and the members
 * or scalar a tagged value stands for. Pure; the renderer and the engine
 * both use it.
 */
import type { AmfJson } from './values.js';

const TAG_NAMES: Record<string, string> = {
  undefined: 'Undefined',
  number: 'Number',
  date: 'Date',
  'byte-array': 'ByteArray',
  'ecma-array': 'ECMA array',
  'typed-object': 'Typed object',
  object: 'Object',
  unsupported: 'Unsupported',
  'too-deep': 'Too deep',
};

/** The `$amf` tag of a tagged value, or undefined for JSON's own values. */
export function amfTag(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const t = (v as { $amf?: unknown }).$amf;
  return typeof t === 'string' ? t : undefined;
}

/** The AMF type of a typed-JSON value, as Wireshark names it ("Number", "ECMA array"...). */
export function amfTypeName(v: AmfJson | unknown): string {
  if (v === null) return 'Null';
  if (Array.isArray(v)) return 'Strict array';
  switch (typeof v) {
    case 'number':
      return 'Number';
    case 'boolean':
      return 'Boolean';
    case 'string':
      return 'String';
    case 'object':
      break;
    default:
      return 'Undefined';
  }
  const tag = amfTag(v);
  if (tag === 'typed-object') return `Typed object ${String((v as { className?: unknown }).className)}`;
  return tag !== undefined ? (TAG_NAMES[tag] ?? tag) : 'Object';
}
