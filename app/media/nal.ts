/**
 * Length-prefixed NAL unit framing, as used by AVC/HEVC in FLV, RTMP and MP4
 * (ISO/IEC 14496-15: "NALUnitLength: indicates the size of a NAL unit measured
 * in bytes", on `lengthSizeMinusOne + 1` bytes).
 */
import { MediaError } from '../errors.js';

/**
 * Splits a sample into its NAL units (views, no copy). `nalLengthSize` is 1..4.
 * Throws {@link MediaError} when a length runs past the end of `data`.
 */
export function splitNalUnits(data: Uint8Array, nalLengthSize: number): Uint8Array[] {
  if (!Number.isInteger(nalLengthSize) || nalLengthSize < 1 || nalLengthSize > 4) {
    throw new MediaError(`invalid NAL length size ${nalLengthSize}`);
  }
  const units: Uint8Array[] = [];
  let pos = 0;
  while (pos < data.length) {
    if (pos + nalLengthSize > data.length) throw new MediaError(`NAL unit length truncated at offset ${pos}`);
    let length = 0;
    for (let i = 0; i < nalLengthSize; i++) length = length * 256 + data[pos + i];
    pos += nalLengthSize;
    if (length > data.length - pos) {
      throw new MediaError(`NAL unit of ${length} bytes at offset ${pos} overruns the ${data.length}-byte sample`);
    }
    units.push(data.subarray(pos, pos + length));
    pos += length;
  }
  return units;
}

/**
 * Splits an Annex B byte stream (H.264 Annex B / H.265 Annex B: NAL units after
 * `00 00 01` or `00 00 00 01` start codes) into NAL units (views, no copy).
 * Trailing zero bytes of a unit belong to the next start code and are dropped.
 */
export function splitAnnexB(data: Uint8Array): Uint8Array[] {
  const units: Uint8Array[] = [];
  let start = -1;
  let i = 0;
  while (i + 2 < data.length) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) {
      if (start >= 0) units.push(trimZeros(data, start, i));
      i += 3;
      start = i;
    } else {
      i++;
    }
  }
  if (start >= 0) units.push(trimZeros(data, start, data.length));
  return units.filter((u) => u.length > 0);
}

function trimZeros(data: Uint8Array, start: number, end: number): Uint8Array {
  while (end > start && data[end - 1] === 0) end--;
  return data.subarray(start, end);
}

/** True when `data` starts with an Annex B start code (`00 00 01` or `00 00 00 01`). */
export function isAnnexB(data: Uint8Array): boolean {
  return (
    data.length >= 4 && data[0] === 0 && data[1] === 0 && (data[2] === 1 || (data[2] === 0 && data[3] === 1))
  );
}
