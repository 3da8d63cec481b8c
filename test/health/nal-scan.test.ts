/**
 * Open vs closed GOP from a keyframe's NAL units, byte tables: H.264 IDR,
 * non-IDR I slice with and without a recovery point SEI, HEVC IDR / CRA /
 * BLA, and malformed lengths.
 */
import { describe, expect, it } from 'vitest';
import { avcGopKind, hevcGopKind } from '../../app/health/nal-scan.js';

/** Length-prefixed (4 bytes) NAL units. */
const units = (...nals: number[][]): Uint8Array => Uint8Array.from(nals.flatMap((n) => [0, 0, 0, n.length, ...n]));

const AVC_SPS = [0x67, 0x64, 0x00, 0x1f];
const AVC_IDR = [0x65, 0x88, 0x84];
const AVC_I_NON_IDR = [0x41, 0x9a, 0x00];
// SEI: user data unregistered (type 5, 3 bytes) then recovery point (type 6, 2 bytes), then rbsp trailing bits.
const SEI_RECOVERY = [0x06, 0x05, 0x03, 1, 2, 3, 0x06, 0x02, 0x84, 0x00, 0x80];
const SEI_OTHER = [0x06, 0x05, 0x03, 1, 2, 3, 0x80];

describe('avcGopKind', () => {
  it.each([
    { name: 'IDR slice: closed', data: units(AVC_SPS, AVC_IDR), kind: 1 },
    { name: 'non-IDR slice with a recovery point SEI: open', data: units(SEI_RECOVERY, AVC_I_NON_IDR), kind: 0 },
    { name: 'non-IDR slice without one: does not say', data: units(SEI_OTHER, AVC_I_NON_IDR), kind: -1 },
    { name: 'a length past the end: does not say', data: Uint8Array.from([0, 0, 0, 50, 0x65, 1]), kind: -1 },
    { name: 'empty', data: new Uint8Array(0), kind: -1 },
  ])('$name', ({ data, kind }) => expect(avcGopKind(data, 4)).toBe(kind));
});

describe('hevcGopKind', () => {
  const nal = (type: number): number[] => [type << 1, 1, 0xaf];
  it.each([
    { type: 19, kind: 1 },
    { type: 20, kind: 1 },
    { type: 16, kind: 1 },
    { type: 21, kind: 0 },
    { type: 1, kind: -1 },
  ])('NAL type $type: $kind', ({ type, kind }) => expect(hevcGopKind(units([39 << 1, 1, 5], nal(type)), 4)).toBe(kind));
});
