import { describe, expect, it } from 'vitest';
import { decodeAmf0 } from '../../app/amf/amf0.js';
import { decodeAmf3 } from '../../app/amf/amf3.js';
import { AmfReader, ecmaArray, isAmfObject, typedObject } from '../../app/amf/types.js';
import { AmfError, MediaError } from '../../app/errors.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('isAmfObject', () => {
  const cases: { name: string; value: unknown; expected: boolean }[] = [
    { name: 'anonymous object', value: { a: 1 }, expected: true },
    { name: 'empty object', value: {}, expected: true },
    { name: 'ECMA array', value: ecmaArray({ duration: 0 }), expected: true },
    { name: 'typed object', value: typedObject({ x: 1 }, 'flex.Thing'), expected: true },
    { name: 'decoded AMF0 object', value: decodeAmf0(hex('03 0001 61 00 3ff0000000000000 000009')).value, expected: true },
    { name: 'decoded AMF3 object', value: decodeAmf3(hex('0a 0b 01 03 61 04 01 01')).value, expected: true },
    { name: 'null', value: null, expected: false },
    { name: 'undefined', value: undefined, expected: false },
    { name: 'strict array', value: [1, 2], expected: false },
    { name: 'date', value: new Date(0), expected: false },
    { name: 'AMF3 ByteArray', value: Uint8Array.of(1), expected: false },
    { name: 'Buffer', value: Buffer.from('x'), expected: false },
    { name: 'string', value: 'obj', expected: false },
    { name: 'number', value: 3, expected: false },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.expected}`, () => expect(isAmfObject(c.value)).toBe(c.expected));
  }
});

describe('AmfReader', () => {
  it('throws AmfError, never MediaError or RangeError, past the end', () => {
    const r = new AmfReader(hex('0001 02'));
    expect(r.u16('marker')).toBe(1);
    expect(() => r.u16('string length')).toThrow(AmfError);
    expect(() => r.u16('string length')).not.toThrow(MediaError);
    expect(() => r.u16('string length')).toThrow(/string length truncated: need 2 byte\(s\) at offset 2, 1 left/);
  });

  it('rejects a start offset outside the buffer with AmfError', () => {
    expect(() => new AmfReader(hex('00'), 2)).toThrow(AmfError);
    expect(() => new AmfReader(hex('00'), -1)).toThrow(AmfError);
  });
});
