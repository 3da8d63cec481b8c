import { describe, it, expect } from 'vitest';
import { decodeAmf0, decodeAmf0All, encodeAmf0 } from '../../app/amf/amf0.js';
import { amfClassName, ecmaArray, isEcmaArray, typedObject } from '../../app/amf/types.js';
import type { AmfObject, AmfValue } from '../../app/amf/types.js';
import { AmfError } from '../../app/errors.js';

/** Hex with free spacing, as in the wire dumps below. */
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// ffmpeg (Lavf61.1.100) publishing to rtmp://127.0.0.1:1935/live: gen_connect() in libavformat/rtmpproto.c.
const CONNECT = `
  02 0007 636f6e6e656374
  00 3ff0000000000000
  03 0003 617070 02 0004 6c697665
     0004 74797065 02 000a 6e6f6e70726976617465
     0008 666c617368566572 02 0023 464d4c452f332e302028636f6d70617469626c653b204c61766636312e312e31303029
     0005 746355726c 02 001a 72746d703a2f2f3132372e302e302e313a313933352f6c697665
  000009`;

// libavformat/flvenc.c onMetaData, behind the @setDataFrame the RTMP muxer prepends.
const ON_METADATA_ARRAY = `
  08 0000000d
  0008 6475726174696f6e 00 0000000000000000
  0005 7769647468 00 4094000000000000
  0006 686569676874 00 4086800000000000
  000d 766964656f6461746172617465 00 40a3880000000000
  0009 6672616d6572617465 00 403e000000000000
  000c 766964656f636f6465636964 00 401c000000000000
  000d 617564696f6461746172617465 00 4060000000000000
  000f 617564696f73616d706c6572617465 00 40e7700000000000
  000f 617564696f73616d706c6573697a65 00 4030000000000000
  0006 73746572656f 01 01
  000c 617564696f636f6465636964 00 4024000000000000
  0007 656e636f646572 02 000c 4c61766636312e312e313030
  0008 66696c6573697a65 00 0000000000000000
  000009`;
const ON_METADATA = `02 000d 40736574446174614672616d65  02 000a 6f6e4d65746144617461 ${ON_METADATA_ARRAY}`;

const RESULT_INFO = `
  03 0005 6c6576656c 02 0006 737461747573
     0004 636f6465 02 001d 4e6574436f6e6e656374696f6e2e436f6e6e6563742e53756363657373
     000b 6465736372697074696f6e 02 0015 436f6e6e656374696f6e207375636365656465642e
     000e 6f626a656374456e636f64696e67 00 0000000000000000
  000009`;
const CONNECT_RESULT = `
  02 0007 5f726573756c74  00 3ff0000000000000
  03 0006 666d73566572 02 000d 464d532f332c302c312c313233
     000c 6361706162696c6974696573 00 403f000000000000
  000009
  ${RESULT_INFO}`;

const metadata = ecmaArray({
  duration: 0,
  width: 1280,
  height: 720,
  videodatarate: 2500,
  framerate: 30,
  videocodecid: 7,
  audiodatarate: 128,
  audiosamplerate: 48000,
  audiosamplesize: 16,
  stereo: true,
  audiocodecid: 10,
  encoder: 'Lavf61.1.100',
  filesize: 0,
});

interface Case {
  name: string;
  bytes: string;
  value: AmfValue[];
  /** Bytes a canonical encoder would not produce (references, unsupported marker...): decode only. */
  decodeOnly?: boolean;
}

const cases: Case[] = [
  { name: 'number', bytes: '00 4045000000000000', value: [42] },
  { name: 'negative fraction', bytes: '00 bff8000000000000', value: [-1.5] },
  { name: 'booleans', bytes: '01 01 01 00', value: [true, false] },
  { name: 'non-zero boolean is true', bytes: '01 7f', value: [true], decodeOnly: true },
  { name: 'empty string', bytes: '02 0000', value: [''] },
  { name: 'utf-8 string', bytes: '02 0006 68c3a9e282ac', value: ['hé€'] },
  { name: 'null and undefined', bytes: '05 06', value: [null, undefined] },
  { name: 'unsupported marker is undefined', bytes: '0d', value: [undefined], decodeOnly: true },
  { name: 'empty object', bytes: '03 000009', value: [{}] },
  { name: 'nested object', bytes: '03 0001 61 03 0001 62 05 000009 000009', value: [{ a: { b: null } }] },
  { name: 'strict array', bytes: '0a 00000003 00 3ff0000000000000 02 0001 78 05', value: [[1, 'x', null]] },
  { name: 'date', bytes: '0b 4278cc820d888000 0000', value: [new Date(Date.UTC(2024, 0, 2, 3, 4, 5))] },
  { name: 'date with a time-zone', bytes: '0b 4278cc820d888000 ff88', value: [new Date(Date.UTC(2024, 0, 2, 3, 4, 5))], decodeOnly: true },
  { name: 'long string marker', bytes: '0c 00000002 6869', value: ['hi'], decodeOnly: true },
  { name: 'xml document', bytes: '0f 00000004 3c612f3e', value: ['<a/>'], decodeOnly: true },
  { name: 'ecma array', bytes: '08 00000001 0001 61 00 4000000000000000 000009', value: [ecmaArray({ a: 2 })] },
  { name: 'ecma array with a wrong count', bytes: '08 00000000 0001 61 05 000009', value: [ecmaArray({ a: null })], decodeOnly: true },
  { name: 'typed object', bytes: '10 0005 506f696e74 0001 78 00 3ff0000000000000 000009', value: [typedObject({ x: 1 }, 'Point')] },
  { name: 'empty property name', bytes: '03 0000 05 000009', value: [{ '': null }] },
  { name: 'AMF3 switch: integer', bytes: '11 04 7f', value: [127], decodeOnly: true },
  { name: 'AMF3 switch: ByteArray', bytes: '11 0c 07 010203', value: [new Uint8Array([1, 2, 3])] },
  {
    name: 'AMF3 switch: string reference shared across the message',
    bytes: '11 06 07 616263  11 06 00',
    value: ['abc', 'abc'],
    decodeOnly: true,
  },
  {
    name: 'ffmpeg connect',
    bytes: CONNECT,
    value: [
      'connect',
      1,
      { app: 'live', type: 'nonprivate', flashVer: 'FMLE/3.0 (compatible; Lavf61.1.100)', tcUrl: 'rtmp://127.0.0.1:1935/live' },
    ],
  },
  { name: 'ffmpeg @setDataFrame onMetaData', bytes: ON_METADATA, value: ['@setDataFrame', 'onMetaData', metadata] },
  {
    name: '_result of connect',
    bytes: CONNECT_RESULT,
    value: [
      '_result',
      1,
      { fmsVer: 'FMS/3,0,1,123', capabilities: 31 },
      { level: 'status', code: 'NetConnection.Connect.Success', description: 'Connection succeeded.', objectEncoding: 0 },
    ],
  },
];

/** Every AmfError-throwing input, with a pattern for the message. */
const malformed: { name: string; bytes: string; error: RegExp }[] = [
  { name: 'unknown marker 0x12', bytes: '12', error: /unknown AMF0 marker 0x12/ },
  { name: 'movieclip marker (reserved)', bytes: '04', error: /unknown AMF0 marker 0x04/ },
  { name: 'recordset marker (reserved)', bytes: '0e', error: /unknown AMF0 marker 0x0e/ },
  { name: 'bare object-end marker', bytes: '09', error: /unknown AMF0 marker 0x09/ },
  { name: 'object-end marker after a non-empty name', bytes: '03 0001 61 09', error: /marker 0x09/ },
  { name: 'huge strict array count', bytes: '0a ffffffff 05050505050505050505', error: /strict array count 4294967295/ },
  { name: 'huge long string length', bytes: '0c ffffffff 6869', error: /truncated/ },
  { name: 'string length beyond the buffer', bytes: '02 0010 6869', error: /truncated/ },
  { name: 'huge ecma array count with no properties', bytes: '08 ffffffff', error: /truncated/ },
  { name: 'reference to nothing', bytes: '07 0000', error: /reference 0 out of range/ },
  { name: 'reference past the table', bytes: '03 0001 61 07 0001 000009', error: /reference 1 out of range/ },
  { name: 'externalizable AMF3 object', bytes: '11 0a 07 07 666f6f', error: /externalizable class foo not supported/ },
];

describe('AMF0', () => {
  describe('decode', () => {
    for (const c of cases) {
      it(c.name, () => {
        const got = decodeAmf0All(hex(c.bytes));
        expect(got).toEqual(c.value);
        got.forEach((v, i) => {
          expect(isEcmaArray(v)).toBe(isEcmaArray(c.value[i]));
          expect(amfClassName(v)).toBe(amfClassName(c.value[i]));
        });
      });
    }
  });

  describe('encode', () => {
    for (const c of cases.filter((c) => !c.decodeOnly)) {
      it(c.name, () => {
        expect(encodeAmf0(c.value).toString('hex')).toBe(hex(c.bytes).toString('hex'));
      });
    }
  });

  describe('round trip', () => {
    for (const c of cases) {
      it(c.name, () => {
        const decoded = decodeAmf0All(hex(c.bytes));
        const again = decodeAmf0All(encodeAmf0(decoded));
        expect(again).toEqual(decoded);
        again.forEach((v, i) => expect(isEcmaArray(v)).toBe(isEcmaArray(decoded[i])));
      });
    }
  });

  describe('malformed input throws AmfError', () => {
    for (const m of malformed) {
      it(m.name, () => {
        expect(() => decodeAmf0All(hex(m.bytes))).toThrow(AmfError);
        expect(() => decodeAmf0All(hex(m.bytes))).toThrow(m.error);
      });
    }

    it('every truncation of a single value', () => {
      for (const single of [ON_METADATA_ARRAY, RESULT_INFO, '0b 4278cc820d888000 0000', '0a 00000002 00 3ff0000000000000 05']) {
        const bytes = hex(single);
        expect(decodeAmf0(bytes).offset).toBe(bytes.length);
        for (let n = 0; n < bytes.length; n++) {
          expect(() => decodeAmf0(bytes.subarray(0, n)), `prefix of ${n} bytes`).toThrow(AmfError);
        }
      }
    });

    it('every truncation of a whole command fails unless it ends between two values', () => {
      for (const payload of [CONNECT, ON_METADATA, CONNECT_RESULT]) {
        const bytes = hex(payload);
        const full = decodeAmf0All(bytes);
        const ends = new Map<number, number>();
        for (let off = 0, i = 0; off < bytes.length; i++) ends.set((off = decodeAmf0(bytes, off).offset), i + 1);
        for (let n = 1; n < bytes.length; n++) {
          const prefix = bytes.subarray(0, n);
          const count = ends.get(n);
          if (count === undefined) expect(() => decodeAmf0All(prefix), `prefix of ${n} bytes`).toThrow(AmfError);
          else expect(decodeAmf0All(prefix)).toEqual(full.slice(0, count));
        }
      }
    });

    it('nesting 1000 levels deep is an AmfError, not a stack overflow', () => {
      const arrays = hex('0a00000001'.repeat(1000) + '05');
      const objects = hex('03000161'.repeat(1000) + '05' + '000009'.repeat(1000));
      const amf3 = hex('11' + '090301'.repeat(1000) + '01');
      for (const b of [arrays, objects, amf3]) expect(() => decodeAmf0All(b)).toThrow(/nested deeper than 64/);
    });

    it('64 levels of nesting are accepted, 65 are not', () => {
      expect(() => decodeAmf0(hex('0a00000001'.repeat(64) + '05'))).not.toThrow();
      expect(() => decodeAmf0(hex('0a00000001'.repeat(65) + '05'))).toThrow(AmfError);
    });

    it('an offset outside the buffer', () => {
      expect(() => decodeAmf0(hex('05'), 2)).toThrow(AmfError);
      expect(() => decodeAmf0(hex('05'), -1)).toThrow(AmfError);
    });
  });

  describe('API details', () => {
    it('decodeAmf0 returns the offset of the next value', () => {
      const bytes = hex(CONNECT);
      const name = decodeAmf0(bytes);
      expect(name).toEqual({ value: 'connect', offset: 10 });
      expect(decodeAmf0(bytes, name.offset)).toEqual({ value: 1, offset: 19 });
    });

    it('accepts a Uint8Array view without copying semantics getting in the way', () => {
      const backing = new Uint8Array(hex('ff ff 02 0002 6869 ff'));
      expect(decodeAmf0(backing.subarray(2, 7))).toEqual({ value: 'hi', offset: 5 });
      expect(decodeAmf0All(new Uint8Array(0))).toEqual([]);
    });

    it('resolves references to the same instance, including cycles', () => {
      // { a: {}, b: ref 1, self: ref 0 }
      const [v] = decodeAmf0All(hex('03 0001 61 03 000009  0001 62 07 0001  0004 73656c66 07 0000 000009')) as AmfObject[];
      expect(v.b).toBe(v.a);
      expect(v.self).toBe(v);
    });

    it('ecma arrays: the tag is non-enumerable and survives a rewrite', () => {
      const [, , meta] = decodeAmf0All(hex(ON_METADATA)) as AmfObject[];
      expect(isEcmaArray(meta)).toBe(true);
      expect(Object.getOwnPropertySymbols(meta).every((s) => !Object.getOwnPropertyDescriptor(meta, s)?.enumerable)).toBe(true);
      expect(JSON.parse(JSON.stringify(meta))).toEqual({ ...meta });
      meta.encoder = 'Intake';
      delete meta.filesize;
      const out = encodeAmf0(['onMetaData', meta]);
      expect(out[13]).toBe(0x08);
      expect(out.readUInt32BE(14)).toBe(12);
      expect(decodeAmf0All(out)[1]).toEqual(meta);
    });

    it('"__proto__" is an own key, not a prototype', () => {
      const [v] = decodeAmf0All(hex('03 0009 5f5f70726f746f5f5f 03 0001 78 01 01 000009 000009')) as AmfObject[];
      expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
      expect(Object.keys(v)).toEqual(['__proto__']);
      expect(({} as AmfObject).x).toBeUndefined();
    });

    it('strings switch to the long form above 65535 UTF-8 bytes', () => {
      const at = (s: string): number => encodeAmf0([s])[0];
      expect(at('€'.repeat(21845))).toBe(0x02); // 65535 bytes
      expect(at('€'.repeat(21846))).toBe(0x0c);
      expect(at('é'.repeat(30000))).toBe(0x02); // 60000 bytes, past the 3-bytes-per-unit fast path
      expect(at('x'.repeat(70000))).toBe(0x0c);
      for (const s of ['€'.repeat(21846), 'x'.repeat(70000), '\ud800'.repeat(10)]) {
        const expected = Buffer.from(s, 'utf8').toString('utf8');
        expect(decodeAmf0All(encodeAmf0([s]))).toEqual([expected]);
      }
    });

    it('skips function and symbol properties; rejects what AMF0 cannot carry', () => {
      const obj = { a: 1, f: () => 1, s: Symbol('x') } as unknown as AmfObject;
      expect(encodeAmf0([obj]).toString('hex')).toBe('0300016100' + '3ff0000000000000' + '000009');
      expect(() => encodeAmf0([{ ['k'.repeat(70000)]: 1 }])).toThrow(AmfError);
      expect(() => encodeAmf0([10n as unknown as AmfValue])).toThrow(AmfError);
    });

    it('deep or cyclic values throw AmfError on encode', () => {
      let deep: AmfValue = null;
      for (let i = 0; i < 1000; i++) deep = [deep];
      expect(() => encodeAmf0([deep])).toThrow(AmfError);
      const cyclic: AmfObject = {};
      cyclic.self = cyclic;
      expect(() => encodeAmf0([cyclic])).toThrow(/nested deeper than 64/);
    });
  });
});
