import { describe, it, expect } from 'vitest';
import { Amf3Decoder, decodeAmf3, encodeAmf3 } from '../../app/amf/amf3.js';
import { amfClassName, typedObject } from '../../app/amf/types.js';
import type { AmfObject, AmfValue } from '../../app/amf/types.js';
import { AmfError } from '../../app/errors.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const utf8 = (s: string): string => Buffer.from(s, 'utf8').toString('hex');

interface Case {
  name: string;
  bytes: string;
  value: AmfValue;
  /** Bytes our encoder would write differently (references, sealed traits...): decode only. */
  decodeOnly?: boolean;
}

const point = (x: number, y: number): AmfObject => typedObject({ x, y }, 'Point');

const cases: Case[] = [
  { name: 'undefined', bytes: '00', value: undefined },
  { name: 'null', bytes: '01', value: null },
  { name: 'false', bytes: '02', value: false },
  { name: 'true', bytes: '03', value: true },
  // 1.3.1 U29 boundaries
  { name: 'integer 0', bytes: '04 00', value: 0 },
  { name: 'integer 127', bytes: '04 7f', value: 127 },
  { name: 'integer 128', bytes: '04 81 00', value: 128 },
  { name: 'integer 16383', bytes: '04 ff 7f', value: 16383 },
  { name: 'integer 16384', bytes: '04 81 80 00', value: 16384 },
  { name: 'integer 2^21-1', bytes: '04 ff ff 7f', value: 2 ** 21 - 1 },
  { name: 'integer 2^21', bytes: '04 80 c0 80 00', value: 2 ** 21 },
  { name: 'integer 2^28-1', bytes: '04 bf ff ff ff', value: 2 ** 28 - 1 },
  { name: 'integer -1', bytes: '04 ff ff ff ff', value: -1 },
  { name: 'integer -2^28', bytes: '04 c0 80 80 00', value: -(2 ** 28) },
  { name: '2^28 is a double', bytes: '05 41b0000000000000', value: 2 ** 28 },
  { name: 'double 1.5', bytes: '05 3ff8000000000000', value: 1.5 },
  { name: 'double -0', bytes: '05 8000000000000000', value: -0 },
  { name: 'empty string', bytes: '06 01', value: '' },
  { name: 'string', bytes: '06 0b 68656c6c6f', value: 'hello' },
  { name: 'utf-8 string', bytes: '06 0d 68c3a9e282ac', value: 'hé€' },
  {
    name: 'string references (the empty string is never referenced)',
    bytes: '09 09 01  06 07 616263  06 00  06 01  06 00',
    value: ['abc', 'abc', '', 'abc'],
    decodeOnly: true,
  },
  { name: 'xml document', bytes: '07 09 3c612f3e', value: '<a/>', decodeOnly: true },
  { name: 'xml', bytes: '0b 09 3c612f3e', value: '<a/>', decodeOnly: true },
  { name: 'date', bytes: '08 01 4278cc820d888000', value: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) },
  { name: 'empty array', bytes: '09 01 01', value: [] },
  { name: 'dense array', bytes: '09 07 01 04 01 04 02 04 03', value: [1, 2, 3] },
  {
    name: 'array with an associative part',
    bytes: '09 05  03 6b 06 03 76  01  04 01 04 02',
    value: { k: 'v', 0: 1, 1: 2 },
    decodeOnly: true,
  },
  { name: 'ByteArray', bytes: '0c 07 010203', value: new Uint8Array([1, 2, 3]) },
  { name: 'dynamic anonymous object', bytes: '0a 0b 01  03 61 04 01  03 62 06 05 6869  01', value: { a: 1, b: 'hi' } },
  { name: 'dynamic typed object', bytes: `0a 0b 0b ${utf8('Point')} 03 78 04 01 03 79 04 02 01`, value: point(1, 2) },
  {
    name: 'sealed traits, then a trait reference',
    // U29O-traits 0x23 = 2 sealed members, not dynamic; then U29O-traits-ref 0x01 = traits #0
    bytes: `09 05 01  0a 23 0b ${utf8('Point')} 03 78 03 79 04 01 04 02  0a 01 04 03 04 04`,
    value: [point(1, 2), point(3, 4)],
    decodeOnly: true,
  },
  {
    name: 'sealed and dynamic members together',
    bytes: `0a 1b 0b ${utf8('Point')} 03 78  04 01  03 7a 04 09 01`,
    value: typedObject({ x: 1, z: 9 }, 'Point'),
    decodeOnly: true,
  },
  { name: 'vector<int>', bytes: '0d 05 00 ffffffff 00000001', value: [-1, 1], decodeOnly: true },
  { name: 'vector<uint>', bytes: '0e 03 01 ffffffff', value: [4294967295], decodeOnly: true },
  { name: 'vector<double>', bytes: '0f 03 00 3ff8000000000000', value: [1.5], decodeOnly: true },
  { name: 'vector<Object>', bytes: '10 05 00 01 04 01 06 03 61', value: [1, 'a'], decodeOnly: true },
  { name: 'dictionary', bytes: '11 05 00  06 03 61 04 01  04 02 06 03 62', value: { a: 1, 2: 'b' }, decodeOnly: true },
  {
    name: 'ArrayCollection unwraps to its source',
    bytes: `0a 07 43 ${utf8('flex.messaging.io.ArrayCollection')} 09 05 01 04 01 04 02`,
    value: [1, 2],
    decodeOnly: true,
  },
];

const malformed: { name: string; bytes: string; error: RegExp }[] = [
  { name: 'unknown marker', bytes: '12', error: /unknown AMF3 marker 0x12/ },
  { name: 'string reference out of range', bytes: '06 02', error: /string reference 1 out of range/ },
  { name: 'object reference out of range', bytes: '0a 00', error: /object reference 0 out of range/ },
  { name: 'traits reference out of range', bytes: '0a 05', error: /traits reference 1 out of range/ },
  { name: 'externalizable class', bytes: `0a 07 0f ${utf8('foo.Bar')}`, error: /externalizable class foo\.Bar not supported/ },
  { name: 'huge dense array count', bytes: '09 ff ff ff ff 01 01 01', error: /array of 268435455 items exceeds/ },
  { name: 'huge associative array count', bytes: '09 ff ff ff ff 03 61 01 01', error: /array of 268435455 items exceeds/ },
  { name: 'huge string length', bytes: '06 ff ff ff ff 61', error: /truncated/ },
  { name: 'huge ByteArray length', bytes: '0c ff ff ff ff 00', error: /truncated/ },
  { name: 'huge vector<double>', bytes: '0f ff ff ff ff 00 00', error: /truncated/ },
  { name: 'huge vector<Object>', bytes: '10 ff ff ff ff 00 01 01', error: /exceeds/ },
  { name: 'huge dictionary', bytes: '11 ff ff ff ff 00 01 01', error: /exceeds/ },
  { name: 'huge sealed member count', bytes: '0a ff ff ff f3 01 03 61', error: /exceed/ },
  { name: 'dynamic object without its end', bytes: '0a 0b 01 03 61 04 01', error: /truncated/ },
];

describe('AMF3', () => {
  describe('decode', () => {
    for (const c of cases) {
      it(c.name, () => {
        const bytes = hex(c.bytes);
        const got = decodeAmf3(bytes);
        expect(got.value).toEqual(c.value);
        expect(got.offset).toBe(bytes.length);
        const first = Array.isArray(got.value) ? got.value[0] : got.value;
        const want = Array.isArray(c.value) ? c.value[0] : c.value;
        expect(amfClassName(first)).toBe(amfClassName(want));
      });
    }
  });

  describe('encode', () => {
    for (const c of cases.filter((c) => !c.decodeOnly)) {
      it(c.name, () => {
        expect(encodeAmf3(c.value).toString('hex')).toBe(hex(c.bytes).toString('hex'));
      });
    }
  });

  describe('round trip', () => {
    for (const c of cases) {
      it(c.name, () => {
        const decoded = decodeAmf3(hex(c.bytes)).value;
        expect(decodeAmf3(encodeAmf3(decoded)).value).toEqual(decoded);
      });
    }
  });

  describe('malformed input throws AmfError', () => {
    for (const m of malformed) {
      it(m.name, () => {
        expect(() => decodeAmf3(hex(m.bytes))).toThrow(AmfError);
        expect(() => decodeAmf3(hex(m.bytes))).toThrow(m.error);
      });
    }

    it('every truncation of every case', () => {
      for (const c of cases) {
        const bytes = hex(c.bytes);
        for (let n = 0; n < bytes.length; n++) {
          expect(() => decodeAmf3(bytes.subarray(0, n)), `${c.name}: prefix of ${n} bytes`).toThrow(AmfError);
        }
      }
    });

    it('nesting 1000 levels deep is an AmfError, not a stack overflow', () => {
      const arrays = hex('090301'.repeat(1000) + '01');
      const objects = hex('0a0b010361'.repeat(1000) + '01' + '01'.repeat(1000));
      const dictionaries = hex('1103000401'.repeat(1000) + '01');
      for (const b of [arrays, objects, dictionaries]) expect(() => decodeAmf3(b)).toThrow(/nested deeper than 64/);
      expect(() => decodeAmf3(hex('090301'.repeat(64) + '01'))).not.toThrow();
      expect(() => decodeAmf3(hex('090301'.repeat(65) + '01'))).toThrow(AmfError);
    });

    it('deep or cyclic values throw AmfError on encode', () => {
      const cyclic: AmfObject = {};
      cyclic.self = cyclic;
      expect(() => encodeAmf3(cyclic)).toThrow(/nested deeper than 64/);
      expect(() => encodeAmf3({ '': 1 })).toThrow(AmfError);
    });
  });

  describe('API details', () => {
    it('object references resolve to the same instance, cycles included', () => {
      // [obj, obj] where obj = { a: 1 }: the array is object #0, obj is #1 (U29O-ref 0x02)
      const v = decodeAmf3(hex('09 05 01  0a 0b 01 03 61 04 01 01  0a 02')).value as AmfObject[];
      expect(v[1]).toBe(v[0]);
      const self = decodeAmf3(hex('0a 0b 01 09 73656c66 0a 00 01')).value as AmfObject;
      expect(self.self).toBe(self);
    });

    it('dates and ByteArrays enter the object table', () => {
      const v = decodeAmf3(hex('09 07 01  08 01 0000000000000000  0c 03 ff  08 02')).value as AmfValue[];
      expect(v[2]).toBe(v[0]);
      expect(v[1]).toEqual(new Uint8Array([0xff]));
      expect(v[1]).not.toBeInstanceOf(Buffer);
    });

    it('Amf3Decoder keeps its tables across values until reset()', () => {
      const d = new Amf3Decoder();
      expect(d.decode(hex('06 07 616263')).value).toBe('abc');
      expect(d.decode(hex('06 00')).value).toBe('abc');
      d.reset();
      expect(() => d.decode(hex('06 00'))).toThrow(AmfError);
      expect(() => decodeAmf3(hex('06 00'))).toThrow(AmfError);
    });

    it('decodes at an offset and returns the next one', () => {
      expect(decodeAmf3(hex('ff ff 04 7f 01'), 2)).toEqual({ value: 127, offset: 4 });
    });

    it('dictionary keys never run a decoded toString', () => {
      // key: { toString: "x" }, value: 1
      const v = decodeAmf3(hex('11 03 00  0a 0b 01 11 746f537472696e67 06 03 78 01  04 01')).value;
      expect(v).toEqual({ '[object Object]': 1 });
    });

    it('"__proto__" is an own key, not a prototype', () => {
      const v = decodeAmf3(hex(`0a 0b 01 13 ${utf8('__proto__')} 0a 0b 01 03 78 03 01 01`)).value as AmfObject;
      expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
      expect(Object.keys(v)).toEqual(['__proto__']);
    });

    it('numbers pick integer or double', () => {
      expect(encodeAmf3(2 ** 28 - 1)[0]).toBe(0x04);
      expect(encodeAmf3(-(2 ** 28) - 1)[0]).toBe(0x05);
      expect(encodeAmf3(NaN)[0]).toBe(0x05);
      expect(decodeAmf3(encodeAmf3(Number.MAX_SAFE_INTEGER)).value).toBe(Number.MAX_SAFE_INTEGER);
    });

    it('long strings and large arrays round-trip', () => {
      const s = 'é'.repeat(100_000);
      expect(decodeAmf3(encodeAmf3(s)).value).toBe(s);
      const arr = Array.from({ length: 20_000 }, (_, i) => i);
      expect(decodeAmf3(encodeAmf3(arr)).value).toEqual(arr);
    });
  });
});
