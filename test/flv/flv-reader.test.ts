import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FlvTagType, encodeFlvTag, flvHeader } from '../../app/flv/flv-mux.js';
import { FlvReader, parseFlvHeader, parseFlvTags, readFlvFile } from '../../app/flv/flv-reader.js';
import type { FlvTag } from '../../app/flv/flv-reader.js';
import { describeAudioConfig, describeVideoConfig } from '../../app/media/codec-info.js';
import { parseAudioTag } from '../../app/media/audio-tag.js';
import { isVideoFrameTag, parseVideoTag } from '../../app/media/video-tag.js';
import { MediaError } from '../../app/errors.js';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../fixtures/media/${name}`, import.meta.url)));

/** Tags as plain data, for comparisons across parse strategies. */
const plain = (tags: FlvTag[]) => tags.map((t) => ({ ...t, body: Buffer.from(t.body).toString('hex') }));

const SOURCE = [
  { type: FlvTagType.Script, timestamp: 0, body: Buffer.from('0200', 'hex') },
  { type: FlvTagType.Video, timestamp: 0, body: Buffer.from('1700000000016400', 'hex') },
  { type: FlvTagType.Audio, timestamp: 0, body: Buffer.from('af001210', 'hex') },
  { type: FlvTagType.Video, timestamp: 33, body: Buffer.alloc(300, 0x41) },
  { type: FlvTagType.Audio, timestamp: 46, body: Buffer.alloc(0) },
  { type: FlvTagType.Video, timestamp: 0x01020304, body: Buffer.from('2701000000', 'hex') },
];
const FILE = Buffer.concat([flvHeader({ audio: true, video: true }), ...SOURCE.map((t) => encodeFlvTag(t.type, t.timestamp, t.body))]);

const EXPECTED = (() => {
  let offset = 13;
  return SOURCE.map((t) => {
    const tag = { type: t.type, timestamp: t.timestamp, body: t.body.toString('hex'), offset };
    offset += 11 + t.body.length + 4;
    return tag;
  });
})();

describe('readFlvFile', () => {
  it('round-trips what flv-mux writes', () => {
    const file = readFlvFile(FILE);
    expect(file.header).toEqual({ version: 1, audio: true, video: true, dataOffset: 9 });
    expect(plain(file.tags)).toEqual(EXPECTED);
    expect(file.truncatedTail).toBe(0);
  });

  it('bodies are views into the input (no copy)', () => {
    const file = readFlvFile(FILE);
    expect(file.tags[3].body.buffer).toBe(FILE.buffer);
  });

  it('reports a truncated last tag instead of throwing, at every cut point', () => {
    for (let length = 13; length <= FILE.length; length++) {
      const file = readFlvFile(FILE.subarray(0, length));
      // A tag is returned once its body is complete, even when its PreviousTagSize is cut off.
      const complete = EXPECTED.filter((t) => t.offset + 11 + t.body.length / 2 <= length);
      expect(plain(file.tags), `cut at ${length}`).toEqual(complete);
      const last = complete.at(-1);
      const bodyEnd = last ? last.offset + 11 + last.body.length / 2 : 13;
      const used = last && length >= bodyEnd + 4 ? bodyEnd + 4 : bodyEnd;
      expect(file.truncatedTail, `cut at ${length}`).toBe(length - used);
    }
  });

  it('a missing PreviousTagSize is not counted as a lost tag', () => {
    const file = readFlvFile(FILE.subarray(0, FILE.length - 1));
    expect(file.tags).toHaveLength(SOURCE.length);
    expect(file.truncatedTail).toBe(3);
    const cut = readFlvFile(FILE.subarray(0, FILE.length - 6));
    expect(cut.tags).toHaveLength(SOURCE.length - 1);
    expect(cut.truncatedTail).toBe(11 + 5 - 2);
  });

  it('honours a DataOffset larger than 9', () => {
    const header = Buffer.from('464c5601 01 0000000c 000000 00000000'.replace(/ /g, ''), 'hex');
    const file = readFlvFile(Buffer.concat([header, encodeFlvTag(FlvTagType.Video, 5, Buffer.from('17', 'hex'))]));
    expect(file.header).toEqual({ version: 1, audio: false, video: true, dataOffset: 12 });
    expect(plain(file.tags)).toEqual([{ type: 9, timestamp: 5, body: '17', offset: 16 }]);
  });

  it.each([
    ['empty', ''],
    ['a short header', '464c5601'],
    ['another format', '000000186674797069736f6d'],
    ['a DataOffset below 9', '464c5601050000000100000000'],
  ])('throws MediaError on %s', (_name, hexBytes) => {
    expect(() => readFlvFile(Buffer.from(hexBytes, 'hex'))).toThrow(MediaError);
  });
});

describe('FlvReader (push parser)', () => {
  it('yields the same tags for every-byte pushes', () => {
    const reader = new FlvReader();
    const tags: FlvTag[] = [];
    for (let i = 0; i < FILE.length; i++) {
      tags.push(...reader.push(FILE.subarray(i, i + 1)));
      if (i < 8) expect(reader.header).toBeUndefined();
    }
    expect(reader.header).toMatchObject({ audio: true, video: true });
    expect(plain(tags)).toEqual(EXPECTED);
    expect(reader.bufferedBytes).toBe(0);
    expect(reader.end()).toEqual({ tags: [], truncatedTail: 0 });
  });

  it('yields the same tags for every two-way split and for random chunking', () => {
    for (let cut = 0; cut <= FILE.length; cut++) {
      const reader = new FlvReader();
      const tags = [...reader.push(FILE.subarray(0, cut)), ...reader.push(FILE.subarray(cut))];
      expect(plain(tags), `split at ${cut}`).toEqual(EXPECTED);
    }
    let seed = 7;
    for (let round = 0; round < 20; round++) {
      const reader = new FlvReader();
      const tags: FlvTag[] = [];
      for (let pos = 0; pos < FILE.length;) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        const n = 1 + (seed % 97);
        tags.push(...reader.push(FILE.subarray(pos, pos + n)));
        pos += n;
      }
      expect(plain(tags)).toEqual(EXPECTED);
    }
  });

  it('keeps pushed bytes it has not consumed, and end() reports them', () => {
    const reader = new FlvReader();
    expect(reader.push(FILE.subarray(0, 40))).toHaveLength(1); // 13-byte header, 17-byte script tag, part of the next
    expect(reader.bufferedBytes).toBe(40 - 13 - 17);
    const { tags, truncatedTail } = reader.end();
    expect(tags).toEqual([]);
    expect(truncatedTail).toBe(10);
  });

  it('throws MediaError as soon as the signature is wrong', () => {
    expect(() => new FlvReader().push(Buffer.from('RIFF0000WAVE', 'latin1'))).toThrow(MediaError);
    expect(() => parseFlvHeader(Buffer.from('FLX'))).toThrow(MediaError);
    expect(parseFlvHeader(Buffer.from('FLV'))).toBeUndefined();
  });
});

describe('parseFlvTags (mpegts.js parseChunks shape)', () => {
  it('consumes whole tags only and offsets them from byteStart', () => {
    const body = FILE.subarray(13);
    const out: FlvTag[] = [];
    const consumed = parseFlvTags(body.subarray(0, 60), 13, out);
    expect(consumed).toBe(17 + 23 + 19); // 2-byte script tag, 8-byte video tag, 4-byte audio tag; not the 300-byte one
    expect(plain(out)).toEqual(EXPECTED.slice(0, 3));
    expect(parseFlvTags(body.subarray(0, 10), 13, [])).toBe(0);
  });
});

describe('an FLV written by ffmpeg (libx264 + aac, B-frames)', () => {
  const data = fixture('avc-aac-320x240.flv');

  it('reads every tag, and muxing them again gives the same bytes', () => {
    const file = readFlvFile(data);
    expect(file.truncatedTail).toBe(0);
    expect(file.tags.map((t) => t.type)).toEqual([18, 9, 8, 9, 9, 8, 9, 8, 9, 9, 9]);
    const remuxed = Buffer.concat([flvHeader(file.header), ...file.tags.map((t) => encodeFlvTag(t.type as FlvTagType, t.timestamp, t.body))]);
    expect(remuxed.equals(Buffer.from(data))).toBe(true);
  });

  it('yields codec strings, sizes, composition times and the frame count', () => {
    const tags = readFlvFile(data).tags;
    const video = tags.filter((t) => t.type === 9).map((t) => ({ ts: t.timestamp, info: parseVideoTag(t.body) }));
    const audio = tags.filter((t) => t.type === 8).map((t) => parseAudioTag(t.body));
    // ffprobe: h264 High, level 13, 320x240; aac LC 44100 Hz stereo.
    const seq = video[0].info.tracks[0];
    expect(seq).toMatchObject({ codec: 'avc1', packetType: 'sequence-start' });
    expect(describeVideoConfig(seq.codec, seq.data)).toEqual({ codec: 'avc1.64000d', profile: 'High', level: '1.3', width: 320, height: 240, bitDepth: 8 });
    const asc = audio[0].tracks[0];
    expect(describeAudioConfig(asc.codec, asc.data)).toEqual({ codec: 'mp4a.40.2', profile: 'LC', sampleRate: 44100, channels: 2 });
    // ffprobe packets: dts 0/40/80/120/160, pts 80/200/120/160/240 → composition time = pts - dts.
    const frames = video.filter((v) => isVideoFrameTag(v.info));
    expect(frames.map((v) => [v.ts, v.info.tracks[0].compositionTime, v.info.keyframe])).toEqual([
      [0, 80, true], [40, 160, false], [80, 40, false], [120, 40, false], [160, 80, false],
    ]);
    expect(video.at(-1)?.info.tracks[0].packetType).toBe('sequence-end');
    expect(audio.filter((a) => a.tracks[0].packetType === 'coded-frames')).toHaveLength(2);
  });
});
