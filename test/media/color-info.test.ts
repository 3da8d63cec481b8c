/**
 * E-RTMP colorInfo metadata (app/media/color-info.ts): what `intake push`
 * sends reads back as the same H.273 code points; payloads that are not a
 * colour description give none, and malformed AMF throws.
 */
import { describe, expect, it } from 'vitest';
import { encodeAmf0 } from '../../app/amf/amf0.js';
import { encodeColorInfo, parseColorInfo } from '../../app/media/color-info.js';

describe('colorInfo', () => {
  const cases = [
    { names: { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709' }, codes: [1, 1, 1] },
    { names: { primaries: 'bt2020', transfer: 'pq', matrix: 'bt2020-ncl' }, codes: [9, 16, 9] },
    { names: { primaries: 'bt2020', transfer: 'hlg', matrix: null }, codes: [9, 18, 2] },
  ] as const;
  for (const c of cases) {
    it(`${JSON.stringify(c.names)} → H.273 ${c.codes.join('/')} and back`, () => {
      const payload = encodeColorInfo(c.names, 10)!;
      expect(parseColorInfo(payload)).toEqual({ primaries: c.codes[0], transfer: c.codes[1], matrix: c.codes[2], fullRange: false });
    });
  }

  it('nothing to say: no payload, and an all-unspecified one reads as none', () => {
    expect(encodeColorInfo({ primaries: 'unknown-name', transfer: null }, 8)).toBeNull();
    expect(parseColorInfo(encodeAmf0(['colorInfo', { colorConfig: { colorPrimaries: 2, transferCharacteristics: 2, matrixCoefficients: 2 } }]))).toBeUndefined();
  });

  it('hostile payloads: another name, a colorConfig that is not an object, out-of-range code points', () => {
    expect(parseColorInfo(encodeAmf0(['hdrInfo', { colorConfig: { colorPrimaries: 1 } }]))).toBeUndefined();
    expect(parseColorInfo(encodeAmf0(['colorInfo', { colorConfig: 'bt709' }]))).toBeUndefined();
    expect(parseColorInfo(encodeAmf0(['colorInfo', { colorConfig: { colorPrimaries: 300, transferCharacteristics: -1, matrixCoefficients: 1.5 } }]))).toBeUndefined();
    expect(() => parseColorInfo(Uint8Array.from([0x02, 0x00, 0x09, 0x63]))).toThrow();
  });
});
