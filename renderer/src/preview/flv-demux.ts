/**
 * A small FLV reader for the real-time preview: whole tags out of the
 * preview's byte stream (FLV spec v10.1, Annex E), and the parts of audio
 * and video tag bodies a WebCodecs decoder needs, legacy and Enhanced RTMP.
 * The renderer may import only the contract, so this is not app/flv's
 * reader; it is hostile-input safe the same way: every length is checked
 * against the bytes there, and a tag larger than MAX_TAG is refused.
 */

/** One FLV tag: type 8 audio, 9 video, 18 script; timestamp in ms; body a view into the pushed bytes. */
export interface Tag {
  type: number;
  timestamp: number;
  body: Uint8Array;
}

/** A tag body bigger than this is not a preview frame: the stream is treated as broken. */
export const MAX_TAG = 16 * 1024 * 1024;

/** Push parser: bytes in as they come, whole tags out; a partial tag waits for the next push. */
export class FlvTagReader {
  private rest: Uint8Array = new Uint8Array(0);
  private headerLeft = -1; // -1: the FLV header has not been read yet

  /** Parse what is there; throws on a stream that is not FLV or a tag over MAX_TAG. */
  push(chunk: Uint8Array): Tag[] {
    let b = chunk;
    if (this.rest.length) {
      b = new Uint8Array(this.rest.length + chunk.length);
      b.set(this.rest);
      b.set(chunk, this.rest.length);
    }
    let pos = 0;
    if (this.headerLeft < 0) {
      if (b.length < 9) return this.keep(b, 0);
      if (b[0] !== 0x46 || b[1] !== 0x4c || b[2] !== 0x56) throw new Error('not an FLV stream');
      const dataOffset = ((b[5] << 24) | (b[6] << 16) | (b[7] << 8) | b[8]) >>> 0;
      if (dataOffset < 9 || dataOffset > 1024) throw new Error(`bad FLV DataOffset ${dataOffset}`);
      this.headerLeft = dataOffset + 4; // the header and PreviousTagSize0
    }
    const skip = Math.min(this.headerLeft, b.length);
    pos += skip;
    this.headerLeft -= skip;
    const out: Tag[] = [];
    while (this.headerLeft === 0 && b.length - pos >= 11) {
      const size = (b[pos + 1] << 16) | (b[pos + 2] << 8) | b[pos + 3];
      if (size > MAX_TAG) throw new Error(`FLV tag of ${size} bytes`);
      const end = pos + 11 + size + 4;
      if (end > b.length) break;
      const timestamp = ((b[pos + 7] << 24) | (b[pos + 4] << 16) | (b[pos + 5] << 8) | b[pos + 6]) >>> 0;
      out.push({ type: b[pos] & 0x1f, timestamp, body: b.subarray(pos + 11, pos + 11 + size) });
      pos = end;
    }
    this.keep(b, pos);
    return out;
  }

  private keep(b: Uint8Array, pos: number): Tag[] {
    // A copy of the tail only: the tags handed out keep viewing `b`.
    this.rest = pos < b.length ? b.slice(pos) : new Uint8Array(0);
    return [];
  }
}

/** What a video tag body holds, for a decoder. */
export type VideoPacket =
  | { kind: 'config'; codec: 'avc' | 'hevc' | 'av1' | 'vp9'; description: Uint8Array }
  | { kind: 'frame'; codec: 'avc' | 'hevc' | 'av1' | 'vp9'; keyframe: boolean; ctsMs: number; data: Uint8Array }
  | { kind: 'other' };

const FOURCC: Record<string, 'avc' | 'hevc' | 'av1' | 'vp9'> = { avc1: 'avc', hvc1: 'hevc', av01: 'av1', vp09: 'vp9' };
const LEGACY: Record<number, 'avc' | 'hevc'> = { 7: 'avc', 12: 'hevc' };

const si24 = (b: Uint8Array, p: number): number => ((b[p] << 16) | (b[p + 1] << 8) | b[p + 2]) << 8 >> 8;

/**
 * Parse a video tag body (E.4.3.1 VIDEODATA, and Enhanced RTMP's ExVideoTagHeader
 * for packet types 0 SequenceStart, 1 CodedFrames, 2 SequenceEnd, 3 CodedFramesX).
 */
export function parseVideo(b: Uint8Array): VideoPacket {
  if (b.length < 1) return { kind: 'other' };
  const frameType = (b[0] >> 4) & 0x7;
  const keyframe = frameType === 1;
  if (b[0] & 0x80) {
    if (b.length < 5) return { kind: 'other' };
    const packetType = b[0] & 0x0f;
    const codec = FOURCC[String.fromCharCode(b[1], b[2], b[3], b[4])];
    if (!codec) return { kind: 'other' };
    if (packetType === 0) return { kind: 'config', codec, description: b.subarray(5) };
    if (packetType === 1) {
      const hasCts = codec === 'avc' || codec === 'hevc';
      if (hasCts && b.length < 8) return { kind: 'other' };
      return { kind: 'frame', codec, keyframe, ctsMs: hasCts ? si24(b, 5) : 0, data: b.subarray(hasCts ? 8 : 5) };
    }
    if (packetType === 3) return { kind: 'frame', codec, keyframe, ctsMs: 0, data: b.subarray(5) };
    return { kind: 'other' };
  }
  const codec = LEGACY[b[0] & 0x0f];
  if (!codec || b.length < 5) return { kind: 'other' };
  if (b[1] === 0) return { kind: 'config', codec, description: b.subarray(5) };
  if (b[1] === 1) return { kind: 'frame', codec, keyframe, ctsMs: si24(b, 2), data: b.subarray(5) };
  return { kind: 'other' };
}

/** An AAC tag: its AudioSpecificConfig, or a raw frame. Other audio formats are 'other'. */
export type AudioPacket = { kind: 'config'; description: Uint8Array } | { kind: 'frame'; data: Uint8Array } | { kind: 'other' };

/** Parse an audio tag body (E.4.2.1 AUDIODATA; SoundFormat 10 is AAC). */
export function parseAudio(b: Uint8Array): AudioPacket {
  if (b.length < 2 || b[0] >> 4 !== 10) return { kind: 'other' };
  return b[1] === 0 ? { kind: 'config', description: b.subarray(2) } : { kind: 'frame', data: b.subarray(2) };
}
