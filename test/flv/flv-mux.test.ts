import { describe, expect, it } from 'vitest';
import {
  FLV_HEADER_SIZE, FlvTagType, encodeFlvTag, encodeFlvTags, flvHeader, flvTagSize, writeFlvHeader, writeFlvTag, writeFlvTagHeader, writePreviousTagSize,
} from '../../app/flv/flv-mux.js';
import { MediaError } from '../../app/errors.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('flvHeader', () => {
  it.each([
    [{ audio: true, video: true }, '464c5601 05 00000009 00000000'],
    [{ audio: true, video: false }, '464c5601 04 00000009 00000000'],
    [{ audio: false, video: true }, '464c5601 01 00000009 00000000'],
    [{ audio: false, video: false }, '464c5601 00 00000009 00000000'],
  ])('%j', (flags, expected) => {
    const header = flvHeader(flags);
    expect(header).toHaveLength(FLV_HEADER_SIZE);
    expect(hex(header)).toBe(expected.replace(/ /g, ''));
  });
});

describe('encodeFlvTag', () => {
  it.each([
    // type, timestamp, body → TagType DataSize Timestamp TimestampExtended StreamID body PreviousTagSize
    [FlvTagType.Video, 0, '1701000000', '09 000005 000000 00 000000 1701000000 00000010'],
    [FlvTagType.Audio, 40, 'af01', '08 000002 000028 00 000000 af01 0000000d'],
    [FlvTagType.Script, 0, '', '12 000000 000000 00 000000 0000000b'],
    [FlvTagType.Video, 0x12345678, 'aa', '09 000001 345678 12 000000 aa 0000000c'],
    [FlvTagType.Video, 0xffffffff, 'aa', '09 000001 ffffff ff 000000 aa 0000000c'],
    [FlvTagType.Audio, 2 ** 32 + 7, 'aa', '08 000001 000007 00 000000 aa 0000000c'], // wraps like RTMP time
  ])('type %d at %d ms', (type, timestamp, body, expected) => {
    const tag = encodeFlvTag(type, timestamp, Buffer.from(body, 'hex'));
    expect(hex(tag)).toBe(expected.replace(/ /g, ''));
    expect(tag).toHaveLength(flvTagSize(body.length / 2));
  });

  it('rejects a body larger than DataSize (UI24) can say', () => {
    expect(() => writeFlvTagHeader(Buffer.alloc(11), 0, FlvTagType.Video, 0, 0x1000000)).toThrow(MediaError);
    expect(() => writeFlvTagHeader(Buffer.alloc(11), 0, FlvTagType.Video, 0, -1)).toThrow(MediaError);
  });

  it('refuses to write past the target', () => {
    expect(() => writeFlvTagHeader(Buffer.alloc(12), 2, FlvTagType.Video, 0, 0)).toThrow(RangeError);
  });
});

describe('zero-copy batching', () => {
  it('writeFlvTagHeader + body + writePreviousTagSize into one buffer equals encodeFlvTag per tag', () => {
    const tags = [
      { type: FlvTagType.Video, timestamp: 0, body: Buffer.from('1700000000', 'hex') },
      { type: FlvTagType.Audio, timestamp: 23, body: Buffer.from('af0112', 'hex') },
      { type: FlvTagType.Video, timestamp: 0x01000000, body: Buffer.alloc(0) },
    ] as const;
    const total = tags.reduce((n, t) => n + flvTagSize(t.body.length), 0);
    const batch = Buffer.alloc(total);
    let pos = 0;
    for (const t of tags) {
      pos = writeFlvTagHeader(batch, pos, t.type, t.timestamp, t.body.length);
      pos += t.body.copy(batch, pos);
      pos = writePreviousTagSize(batch, pos, t.body.length);
    }
    expect(pos).toBe(total);
    const separately = Buffer.concat(tags.map((t) => encodeFlvTag(t.type, t.timestamp, t.body)));
    expect(batch.equals(separately)).toBe(true);
    expect(encodeFlvTags(tags).equals(separately)).toBe(true);
  });
});

describe('writeFlvTag / writeFlvHeader (the writer the recorder and the preview share)', () => {
  it('write at an offset into a larger target, leaving the bytes around them alone', () => {
    const body = Buffer.from('1701000000', 'hex');
    const target = Buffer.alloc(4 + FLV_HEADER_SIZE + flvTagSize(body.length) + 2, 0xee);
    let pos = writeFlvHeader(target, 4, { audio: true, video: true });
    expect(pos).toBe(4 + FLV_HEADER_SIZE);
    pos = writeFlvTag(target, pos, FlvTagType.Video, 0x01000010, body);
    expect(pos).toBe(target.length - 2);
    expect(hex(target.subarray(0, 4))).toBe('eeeeeeee');
    expect(target.subarray(4, 4 + FLV_HEADER_SIZE).equals(flvHeader({ audio: true, video: true }))).toBe(true);
    expect(target.subarray(4 + FLV_HEADER_SIZE, pos).equals(encodeFlvTag(FlvTagType.Video, 0x01000010, body))).toBe(true);
    expect(hex(target.subarray(pos))).toBe('eeee');
  });

  it('work on a plain Uint8Array, not only a Buffer', () => {
    const target = new Uint8Array(flvTagSize(2));
    writeFlvTag(target, 0, FlvTagType.Audio, 40, new Uint8Array([0xaf, 0x01]));
    expect(hex(target)).toBe('08 000002 000028 00 000000 af01 0000000d'.replace(/ /g, ''));
  });

  it('refuse a tag or header that does not fit', () => {
    expect(() => writeFlvTag(Buffer.alloc(flvTagSize(3) - 1), 0, FlvTagType.Video, 0, Buffer.alloc(3))).toThrow(RangeError);
    expect(() => writeFlvHeader(Buffer.alloc(FLV_HEADER_SIZE), 1, { audio: true, video: true })).toThrow(RangeError);
  });
});
