import { describe, expect, it } from 'vitest';
import { isVideoFrameTag, parseVideoTag } from '../../app/media/video-tag.js';
import type { VideoTagInfo } from '../../app/media/video-tag.js';
import { MediaError } from '../../app/errors.js';

/** Bytes from hex and quoted ASCII: `h('91 "hvc1" 000028 aa')`. */
function h(spec: string): Uint8Array {
  const out: number[] = [];
  for (const part of spec.match(/"[^"]*"|[0-9a-fA-F]+/g) ?? []) {
    if (part.startsWith('"')) out.push(...Buffer.from(part.slice(1, -1), 'latin1'));
    else out.push(...Buffer.from(part, 'hex'));
  }
  return Uint8Array.from(out);
}

/** The result with each track's data as hex, for compact expectations. */
function parse(spec: string): Omit<VideoTagInfo, 'tracks'> & { tracks: Record<string, unknown>[] } {
  const info = parseVideoTag(h(spec));
  return { ...info, tracks: info.tracks.map((t) => ({ ...t, data: Buffer.from(t.data).toString('hex') })) };
}

const track = (o: Partial<{ trackId: number; codec: string; packetType: string; compositionTime: number; data: string }>) => ({
  trackId: 0, compositionTime: 0, data: '', ...o,
});

describe('parseVideoTag: legacy', () => {
  it.each([
    ['AVC sequence header', '17 00 000000 0164001fffe1', { keyframe: true, frameType: 1 },
      [track({ codec: 'avc1', packetType: 'sequence-start', data: '0164001fffe1' })]],
    ['AVC keyframe NALU with composition time 80', '17 01 000050 00000002 0910', { keyframe: true, frameType: 1 },
      [track({ codec: 'avc1', packetType: 'coded-frames', compositionTime: 80, data: '000000020910' })]],
    ['AVC inter frame, negative composition time', '27 01 ffffd8 aabb', { keyframe: false, frameType: 2 },
      [track({ codec: 'avc1', packetType: 'coded-frames', compositionTime: -40, data: 'aabb' })]],
    ['AVC end of sequence', '17 02 000000', { keyframe: true },
      [track({ codec: 'avc1', packetType: 'sequence-end' })]],
    ['AVC end of sequence without composition time', '17 02', { keyframe: true },
      [track({ codec: 'avc1', packetType: 'sequence-end' })]],
    ['HEVC as CodecID 12 (non-standard servers)', '1c 00 000000 01016000', { keyframe: true },
      [track({ codec: 'hvc1', packetType: 'sequence-start', data: '01016000' })]],
    ['Sorenson H.263 (CodecID 2)', '22 0084', { keyframe: false },
      [track({ codec: 'legacy:2', packetType: 'coded-frames', data: '0084' })]],
    ['VP6 keyframe (CodecID 4)', '14 00 aa', { keyframe: true },
      [track({ codec: 'legacy:4', packetType: 'coded-frames', data: '00aa' })]],
    ['generated keyframe (frame type 4)', '47 01 000000 ee', { keyframe: true, frameType: 4 },
      [track({ codec: 'avc1', packetType: 'coded-frames', data: 'ee' })]],
  ])('%s', (_name, spec, fields, tracks) => {
    const info = parse(spec);
    expect(info).toMatchObject({ enhanced: false, command: false, ...fields });
    expect(info.tracks).toEqual(tracks);
  });

  it('command frame (frame type 5): a VideoCommand byte and no video', () => {
    expect(parse('57 01')).toEqual({ enhanced: false, frameType: 5, keyframe: false, command: true, videoCommand: 1, tracks: [] });
    expect(parse('57')).toMatchObject({ command: true, tracks: [] });
  });
});

describe('parseVideoTag: enhanced', () => {
  it.each([
    ['hvc1 SequenceStart', '90 "hvc1" 01016000', { keyframe: true, frameType: 1 },
      [track({ codec: 'hvc1', packetType: 'sequence-start', data: '01016000' })]],
    ['hvc1 CodedFrames with composition time 40', '91 "hvc1" 000028 0000000126', { keyframe: true },
      [track({ codec: 'hvc1', packetType: 'coded-frames', compositionTime: 40, data: '0000000126' })]],
    ['avc1 CodedFrames with negative composition time', 'a1 "avc1" fffff6 01', { keyframe: false, frameType: 2 },
      [track({ codec: 'avc1', packetType: 'coded-frames', compositionTime: -10, data: '01' })]],
    ['hvc1 CodedFramesX: no composition time', 'a3 "hvc1" 00000001', { keyframe: false },
      [track({ codec: 'hvc1', packetType: 'coded-frames', data: '00000001' })]],
    ['av01 CodedFrames carry no composition time', '91 "av01" 12000a', { keyframe: true },
      [track({ codec: 'av01', packetType: 'coded-frames', data: '12000a' })]],
    ['vp09 SequenceStart', '90 "vp09" 01000000', {},
      [track({ codec: 'vp09', packetType: 'sequence-start', data: '01000000' })]],
    ['vp08 CodedFrames', 'a1 "vp08" 5555', {},
      [track({ codec: 'vp08', packetType: 'coded-frames', data: '5555' })]],
    ['av01 SequenceEnd', '92 "av01"', {},
      [track({ codec: 'av01', packetType: 'sequence-end' })]],
    ['Metadata: frame type ignored', '94 "hvc1" 02000963', { keyframe: false },
      [track({ codec: 'hvc1', packetType: 'metadata', data: '02000963' })]],
    ['Metadata with frame type Command is still metadata', 'd4 "hvc1" 05', { keyframe: false, command: false },
      [track({ codec: 'hvc1', packetType: 'metadata', data: '05' })]],
    ['av01 MPEG2TSSequenceStart', '95 "av01" 80', {},
      [track({ codec: 'av01', packetType: 'mpeg2ts-sequence-start', data: '80' })]],
  ])('%s', (_name, spec, fields, tracks) => {
    const info = parse(spec);
    expect(info).toMatchObject({ enhanced: true, command: false, ...fields });
    expect(info.tracks).toEqual(tracks);
  });

  it('command frame: VideoCommand only, no FourCC', () => {
    expect(parse('d1 00')).toEqual({ enhanced: true, frameType: 5, keyframe: false, command: true, videoCommand: 0, tracks: [] });
  });

  it('multitrack OneTrack: track id, no size', () => {
    const info = parse('96 01 "avc1" 02 000010 00000001 65');
    expect(info).toMatchObject({ enhanced: true, keyframe: true });
    expect(info.tracks).toEqual([track({ trackId: 2, codec: 'avc1', packetType: 'coded-frames', compositionTime: 16, data: '0000000165' })]);
  });

  it('multitrack ManyTracks: two tracks with UI24 sizes', () => {
    const info = parse('a6 13 "hvc1" 00 000003 aabbcc 01 000002 ddee');
    expect(info).toMatchObject({ keyframe: false, frameType: 2 });
    expect(info.tracks).toEqual([
      track({ trackId: 0, codec: 'hvc1', packetType: 'coded-frames', data: 'aabbcc' }),
      track({ trackId: 1, codec: 'hvc1', packetType: 'coded-frames', data: 'ddee' }),
    ]);
  });

  it('multitrack ManyTracks CodedFrames: composition time inside each track', () => {
    const info = parse('96 11 "avc1" 00 000004 000014 aa 01 000003 00001e');
    expect(info.tracks).toEqual([
      track({ trackId: 0, codec: 'avc1', packetType: 'coded-frames', compositionTime: 20, data: 'aa' }),
      track({ trackId: 1, codec: 'avc1', packetType: 'coded-frames', compositionTime: 30 }),
    ]);
  });

  it('multitrack ManyTracksManyCodecs: a FourCC per track', () => {
    const info = parse('96 20 "avc1" 00 000002 0164 "av01" 01 000001 81');
    expect(info.tracks).toEqual([
      track({ trackId: 0, codec: 'avc1', packetType: 'sequence-start', data: '0164' }),
      track({ trackId: 1, codec: 'av01', packetType: 'sequence-start', data: '81' }),
    ]);
  });

  it('ModEx TimestampOffsetNano, then the real packet type', () => {
    const info = parse('97 02 0f423f 01 "avc1" 000000 65');
    expect(info.timestampOffsetNano).toBe(999_999);
    expect(info.tracks).toEqual([track({ codec: 'avc1', packetType: 'coded-frames', data: '65' })]);
  });

  it('ModEx with a 16-bit size, then a second ModEx, then multitrack', () => {
    const big = '00'.repeat(300);
    const info = parse(`97 ff 012b ${big} 17 02 000001 06 00 "av01" 03 aa`);
    expect(info.timestampOffsetNano).toBe(1);
    expect(info.tracks).toEqual([track({ trackId: 3, codec: 'av01', packetType: 'sequence-start', data: 'aa' })]);
  });

  it('unknown ModEx types are skipped', () => {
    expect(parse('97 00 ff 30 "vp09" 11').tracks).toEqual([track({ codec: 'vp09', packetType: 'sequence-start', data: '11' })]);
  });
});

describe('parseVideoTag: malformed input throws MediaError', () => {
  it.each([
    ['empty body', ''],
    ['legacy AVC without AVCPacketType', '17'],
    ['legacy AVC with a cut composition time', '17 01 0000'],
    ['legacy AVC with AVCPacketType 3', '17 03 000000'],
    ['enhanced without FourCC', '90'],
    ['enhanced with a cut FourCC', '90 "hvc"'],
    ['unknown FourCC', '90 "xvid" 00'],
    ['reserved packet type 8', '98 "avc1"'],
    ['CodedFrames avc1 with a cut composition time', '91 "avc1" 00'],
    ['ModEx cut in its data', '97 05 0000'],
    ['ModEx without the type byte', '97 00 00'],
    ['multitrack without its header byte', '96'],
    ['multitrack reserved AvMultitrackType 3', '96 31 "avc1" 00'],
    ['multitrack nested in multitrack', '96 06 "avc1" 00'],
    ['multitrack without the track id', '96 01 "avc1"'],
    ['ManyTracks track size past the end', '96 13 "hvc1" 00 000009 aabb'],
    ['ManyTracks cut track size', '96 13 "hvc1" 00 00'],
    ['ManyTracksManyCodecs unknown FourCC in a track', '96 20 "avc1" 00 000000 "xxxx" 01 000000'],
  ])('%s', (_name, spec) => {
    expect(() => parseVideoTag(h(spec))).toThrow(MediaError);
  });

  it('every prefix of every valid tag parses or throws MediaError, nothing else', () => {
    const tags = [
      '17 01 000050 00000002 0910', '91 "hvc1" 000028 0000000126', '96 13 "hvc1" 00 000003 aabbcc 01 000002 ddee',
      '96 20 "avc1" 00 000002 0164 "av01" 01 000001 81', '97 ff 0001 ' + '00'.repeat(258) + ' 01 "avc1" 000000 65',
    ];
    for (const spec of tags) {
      const bytes = h(spec);
      for (let n = 0; n <= bytes.length; n++) {
        try {
          parseVideoTag(bytes.subarray(0, n));
        } catch (e) {
          expect(e).toBeInstanceOf(MediaError);
        }
      }
    }
  });
});

describe('isVideoFrameTag', () => {
  it.each([
    ['17 01 000000 65', true],
    ['17 00 000000 01', false],
    ['17 02 000000', false],
    ['57 01', false],
    ['a3 "hvc1" 01', true],
    ['94 "hvc1" 02', false],
    ['96 20 "avc1" 00 000002 0164 "av01" 01 000001 81', false],
    ['96 13 "hvc1" 00 000001 aa', true],
  ])('%s → %s', (spec, frame) => {
    expect(isVideoFrameTag(parseVideoTag(h(spec)))).toBe(frame);
  });
});
