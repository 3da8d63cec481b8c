import { describe, expect, it } from 'vitest';
import { BitReader, removeEmulationPrevention } from '../../app/media/bit-reader.js';
import { MediaReader } from '../../app/media/byte-reader.js';
import { MediaError } from '../../app/errors.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('BitReader', () => {
  it('reads MSB first across byte boundaries', () => {
    const r = new BitReader(bytes(0b1010_1100, 0b0101_0011));
    expect(r.readBit()).toBe(1);
    expect(r.readBits(3)).toBe(0b010);
    expect(r.readBits(8)).toBe(0b1100_0101);
    expect(r.bitsLeft).toBe(4);
    expect(r.readBits(4)).toBe(0b0011);
    expect(r.bitsLeft).toBe(0);
  });

  it('reads 32-bit values as unsigned numbers', () => {
    expect(new BitReader(bytes(0xff, 0xff, 0xff, 0xfe)).readBits(32)).toBe(0xfffffffe);
    expect(new BitReader(bytes(0x80, 0, 0, 0)).readBits(32)).toBe(2 ** 31);
    expect(new BitReader(bytes()).readBits(0)).toBe(0);
  });

  // H.264 Table 9-2: bit strings and codeNum; Table 9-3: codeNum -> se(v).
  it.each([
    ['1', 0, 0],
    ['010', 1, 1],
    ['011', 2, -1],
    ['00100', 3, 2],
    ['00101', 4, -2],
    ['00110', 5, 3],
    ['00111', 6, -3],
    ['0001000', 7, 4],
    ['000000011111111', 254, -127],
  ])('exp-Golomb %s = ue %d / se %d', (bitString, ue, se) => {
    const padded = bitString.padEnd(Math.ceil(bitString.length / 8) * 8, '0');
    const data = Uint8Array.from(padded.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
    expect(new BitReader(data).readUE()).toBe(ue);
    expect(new BitReader(data).readSE()).toBe(se);
  });

  it('reads the largest 32-bit exp-Golomb code', () => {
    // 31 zeros, a one, 31 ones: 2^31 - 1 + 2^31 - 1
    const data = bytes(0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe);
    expect(new BitReader(data).readUE()).toBe(2 ** 32 - 2);
  });

  it('throws MediaError, not RangeError, past the end', () => {
    const r = new BitReader(bytes(0xff));
    r.readBits(6);
    expect(() => r.readBits(3)).toThrow(MediaError);
    expect(() => new BitReader(bytes(0, 0)).readUE()).toThrow(MediaError);
    expect(() => new BitReader(bytes()).readBit()).toThrow(MediaError);
    expect(() => new BitReader(bytes(1)).skipBits(9)).toThrow(MediaError);
  });

  it('rejects exp-Golomb codes with more than 31 leading zeros', () => {
    expect(() => new BitReader(new Uint8Array(8)).readUE()).toThrow(/longer than 32 bits/);
  });

  it('aligns to the next byte', () => {
    const r = new BitReader(bytes(0xff, 0x5a));
    r.readBits(3);
    r.byteAlign();
    expect(r.bitPosition).toBe(8);
    r.byteAlign();
    expect(r.readBits(8)).toBe(0x5a);
  });
});

describe('removeEmulationPrevention', () => {
  it.each([
    ['no escapes', [0x67, 0x64, 0x00, 0x1f], [0x67, 0x64, 0x00, 0x1f]],
    ['one escape', [0x00, 0x00, 0x03, 0x01], [0x00, 0x00, 0x01]],
    ['escape at the end', [0x11, 0x00, 0x00, 0x03], [0x11, 0x00, 0x00]],
    ['consecutive escapes', [0x00, 0x00, 0x03, 0x00, 0x00, 0x03, 0x00], [0x00, 0x00, 0x00, 0x00, 0x00]],
    ['03 needs two zeros before it', [0x00, 0x03, 0x00, 0x00, 0x03, 0x03], [0x00, 0x03, 0x00, 0x00, 0x03]],
    ['zero count restarts after an escape', [0x00, 0x00, 0x03, 0x00, 0x03], [0x00, 0x00, 0x00, 0x03]],
  ])('%s', (_name, input, output) => {
    expect(Array.from(removeEmulationPrevention(Uint8Array.from(input)))).toEqual(output);
  });

  it('returns the input itself when there is nothing to remove', () => {
    const nal = bytes(1, 2, 3);
    expect(removeEmulationPrevention(nal)).toBe(nal);
  });
});

describe('MediaReader', () => {
  it('reads big-endian fields and SI24', () => {
    const r = new MediaReader(bytes(0x01, 0x02, 0x03, 0xff, 0xff, 0xd8, 0x61, 0x76, 0x63, 0x31, 0xde, 0xad, 0xbe, 0xef));
    expect(r.u8()).toBe(1);
    expect(r.u16()).toBe(0x0203);
    expect(r.si24()).toBe(-40);
    expect(r.fourCC()).toBe('avc1');
    expect(r.u32()).toBe(0xdeadbeef);
    expect(r.remaining).toBe(0);
    expect(() => r.u8('thing')).toThrow(/thing truncated/);
    expect(() => r.u8('thing')).toThrow(MediaError);
  });
});
