/**
 * Bit-level reading of codec headers (H.264/H.265 SPS, AV1 sequence header,
 * VP9 uncompressed header, AAC AudioSpecificConfig).
 *
 * Every read is bounds-checked: running past the end throws a {@link MediaError}
 * (never a RangeError, never garbage), so a truncated parameter set is reported
 * as malformed media.
 */
import { MediaError } from '../errors.js';

/** MSB-first reader over a byte array ("the most significant bit first", H.264 7.2, AV1 4.10.1). */
export class BitReader {
  private readonly bytes: Uint8Array;
  /** Position in bits from the start of `bytes`. */
  private pos = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  /** Bits not read yet. */
  get bitsLeft(): number {
    return this.bytes.length * 8 - this.pos;
  }

  /** Current position in bits. */
  get bitPosition(): number {
    return this.pos;
  }

  private need(n: number): void {
    if (n > this.bitsLeft) {
      throw new MediaError(`bitstream truncated: need ${n} bit(s) at bit ${this.pos}, ${this.bitsLeft} left`);
    }
  }

  /** One bit, u(1) / f(1). */
  readBit(): number {
    this.need(1);
    const bit = (this.bytes[this.pos >> 3] >> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return bit;
  }

  /** Boolean of one bit. */
  readFlag(): boolean {
    return this.readBit() === 1;
  }

  /** An unsigned `n`-bit value, u(n) / f(n), 0 <= n <= 32 (returned as a non-negative number). */
  readBits(n: number): number {
    if (!Number.isInteger(n) || n < 0 || n > 32) throw new MediaError(`cannot read ${n} bits at once`);
    this.need(n);
    let value = 0;
    for (let i = 0; i < n; i++) {
      value = value * 2 + ((this.bytes[this.pos >> 3] >> (7 - (this.pos & 7))) & 1);
      this.pos++;
    }
    return value;
  }

  /** Skips `n` bits. */
  skipBits(n: number): void {
    this.need(n);
    this.pos += n;
  }

  /** Skips to the next byte boundary (no-op when aligned). */
  byteAlign(): void {
    this.pos = Math.min(this.bytes.length * 8, (this.pos + 7) & ~7);
  }

  /**
   * ue(v), H.264 9.1: "leadingZeroBits = -1; for (b = 0; !b; leadingZeroBits++) b = read_bits(1);
   * codeNum = 2^leadingZeroBits - 1 + read_bits(leadingZeroBits)". Values above 2^32 - 2 are rejected.
   */
  readUE(): number {
    let zeros = 0;
    while (this.readBit() === 0) {
      zeros++;
      if (zeros > 31) throw new MediaError('exp-Golomb code longer than 32 bits');
    }
    return 2 ** zeros - 1 + this.readBits(zeros);
  }

  /** se(v), H.264 9.1.1: codeNum k maps to (-1)^(k+1) * Ceil(k / 2). */
  readSE(): number {
    const k = this.readUE();
    return k % 2 === 1 ? (k + 1) / 2 : k === 0 ? 0 : -(k / 2);
  }
}

/**
 * Removes emulation prevention bytes from a NAL unit (H.264 7.4.1 / H.265 7.4.2:
 * "emulation_prevention_three_byte is a byte equal to 0x03 ... discarded by the decoding process"):
 * every `00 00 03` becomes `00 00`. Returns the input itself when it holds no such byte.
 */
export function removeEmulationPrevention(nal: Uint8Array): Uint8Array {
  let zeros = 0;
  let first = -1;
  for (let i = 0; i < nal.length; i++) {
    if (zeros >= 2 && nal[i] === 3) {
      first = i;
      break;
    }
    zeros = nal[i] === 0 ? zeros + 1 : 0;
  }
  if (first < 0) return nal;
  const out = new Uint8Array(nal.length);
  out.set(nal.subarray(0, first));
  let n = first;
  zeros = 0;
  for (let i = first + 1; i < nal.length; i++) {
    const b = nal[i];
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    out[n++] = b;
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, n);
}

/**
 * SubWidthC and SubHeightC of H.264 and H.265 Table 6-1, for the
 * ChromaArrayType (chroma_format_idc, or 0 with separate colour planes):
 * 4:2:0 is 2x2, 4:2:2 is 2x1, 4:4:4 and monochrome are 1x1.
 */
export function chromaSubsampling(chromaArrayType: number): { subWidthC: number; subHeightC: number } {
  return { subWidthC: chromaArrayType === 1 || chromaArrayType === 2 ? 2 : 1, subHeightC: chromaArrayType === 1 ? 2 : 1 };
}
