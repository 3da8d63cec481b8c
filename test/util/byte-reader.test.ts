import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../app/util/byte-reader.js';

class ShortError extends Error {}
const shortError = (message: string): ShortError => new ShortError(message);

describe('ByteReader', () => {
  it('reads every big-endian field of both callers from a Uint8Array', () => {
    const f64 = Buffer.alloc(8);
    f64.writeDoubleBE(29.97);
    const bytes = Uint8Array.from([0x01, 0x02, 0x03, 0xff, 0xff, 0xd8, 0xde, 0xad, 0xbe, 0xef, ...f64, 0x68, 0xc3, 0xa9, 0x61, 0x76, 0x63, 0x31, 9, 8, 7]);
    const r = new ByteReader(bytes, 0, shortError);
    expect(r.u8()).toBe(1);
    expect(r.u16()).toBe(0x0203);
    expect(r.si24()).toBe(-40);
    expect(r.u32()).toBe(0xdeadbeef);
    expect(r.f64()).toBe(29.97);
    expect(r.utf8(3)).toBe('hé');
    expect(r.fourCC()).toBe('avc1');
    expect([...r.bytesView(1)]).toEqual([9]);
    r.skip(1);
    expect([...r.rest()]).toEqual([7]);
    expect(r.remaining).toBe(0);
    expect(r.utf8(0)).toBe('');
  });

  it('starts at the given offset and reads views without copying', () => {
    const bytes = Uint8Array.from([0xaa, 0xbb, 0xcc, 0xdd]);
    const r = new ByteReader(bytes.subarray(1), 1, shortError);
    expect(r.u8()).toBe(0xcc);
    const view = r.rest();
    bytes[3] = 0x11;
    expect(view[0]).toBe(0x11);
  });

  it('throws the caller’s error, naming what was read, for every read past the end', () => {
    const reads: [string, (r: ByteReader) => unknown][] = [
      ['u8', (r) => r.u8('a')],
      ['u16', (r) => r.u16('a')],
      ['u24', (r) => r.u24('a')],
      ['si24', (r) => r.si24('a')],
      ['u32', (r) => r.u32('a')],
      ['f64', (r) => r.f64('a')],
      ['utf8', (r) => r.utf8(9, 'a')],
      ['fourCC', (r) => r.fourCC('a')],
      ['bytesView', (r) => r.bytesView(9, 'a')],
      ['skip', (r) => r.skip(9, 'a')],
    ];
    for (const [name, read] of reads) {
      const r = new ByteReader(Uint8Array.of(), 0, shortError);
      expect(() => read(r), name).toThrow(ShortError);
      expect(() => read(r), name).toThrow(/^a truncated: need \d+ byte\(s\) at offset 0, 0 left$/);
      expect(r.pos, name).toBe(0);
    }
  });

  it('rejects a start offset outside the bytes with the caller’s error', () => {
    expect(() => new ByteReader(Uint8Array.of(1), 2, shortError)).toThrow(ShortError);
    expect(() => new ByteReader(Uint8Array.of(1), 0.5, shortError)).toThrow(ShortError);
  });
});
