import { describe, expect, it } from 'vitest';
import { parseAudioTag } from '../../app/media/audio-tag.js';
import { MediaError } from '../../app/errors.js';

/** Bytes from hex and quoted ASCII: `h('90 "Opus" 01')`. */
function h(spec: string): Uint8Array {
  const out: number[] = [];
  for (const part of spec.match(/"[^"]*"|[0-9a-fA-F]+/g) ?? []) {
    if (part.startsWith('"')) out.push(...Buffer.from(part.slice(1, -1), 'latin1'));
    else out.push(...Buffer.from(part, 'hex'));
  }
  return Uint8Array.from(out);
}

function parse(spec: string) {
  const info = parseAudioTag(h(spec));
  return { ...info, tracks: info.tracks.map((t) => ({ ...t, data: Buffer.from(t.data).toString('hex') })) };
}

describe('parseAudioTag: legacy', () => {
  it.each([
    // SoundFormat 10, 44 kHz, 16-bit, stereo: 1010 11 1 1
    ['AAC sequence header (AudioSpecificConfig)', 'af 00 1210', 10, { soundRate: 44100, soundSize: 16, channels: 2 },
      { codec: 'mp4a', packetType: 'sequence-start', data: '1210' }],
    ['AAC raw frame', 'af 01 2100', 10, { soundRate: 44100, soundSize: 16, channels: 2 },
      { codec: 'mp4a', packetType: 'coded-frames', data: '2100' }],
    ['MP3, 22 kHz, 16-bit, mono', '2a fffb', 2, { soundRate: 22050, soundSize: 16, channels: 1 },
      { codec: '.mp3', packetType: 'coded-frames', data: 'fffb' }],
    ['MP3 8 kHz (format 14)', 'e2 fff3', 14, { soundRate: 8000, soundSize: 16, channels: 1 },
      { codec: '.mp3', packetType: 'coded-frames', data: 'fff3' }],
    ['G.711 A-law: 8 kHz whatever the rate bits', '72 d5d5', 7, { soundRate: 8000, soundSize: 16, channels: 1 },
      { codec: 'legacy:7', packetType: 'coded-frames', data: 'd5d5' }],
    ['G.711 mu-law', '82 ff', 8, { soundRate: 8000, soundSize: 16, channels: 1 },
      { codec: 'legacy:8', packetType: 'coded-frames', data: 'ff' }],
    ['Speex (16 kHz)', 'b2 1e', 11, { soundRate: 16000, soundSize: 16, channels: 1 },
      { codec: 'legacy:11', packetType: 'coded-frames', data: '1e' }],
    ['Nellymoser, 11 kHz, 8-bit', '64 00', 6, { soundRate: 11025, soundSize: 8, channels: 1 },
      { codec: 'legacy:6', packetType: 'coded-frames', data: '00' }],
    ['linear PCM little-endian, 5.5 kHz, stereo', '33 0102', 3, { soundRate: 5512, soundSize: 16, channels: 2 },
      { codec: 'legacy:3', packetType: 'coded-frames', data: '0102' }],
  ])('%s', (_name, spec, soundFormat, legacy, track) => {
    expect(parse(spec)).toEqual({ enhanced: false, soundFormat, silence: false, legacy, tracks: [{ trackId: 0, ...track }] });
  });

  it('an empty body is the RTMP silence message', () => {
    expect(parseAudioTag(new Uint8Array(0))).toEqual({ enhanced: false, soundFormat: -1, silence: true, tracks: [] });
  });
});

describe('parseAudioTag: enhanced', () => {
  it.each([
    ['Opus SequenceStart (OpusHead)', '90 "Opus" "OpusHead"', [{ trackId: 0, codec: 'Opus', packetType: 'sequence-start', data: '4f70757348656164' }]],
    ['fLaC CodedFrames', '91 "fLaC" fff8', [{ trackId: 0, codec: 'fLaC', packetType: 'coded-frames', data: 'fff8' }]],
    ['mp4a SequenceEnd', '92 "mp4a"', [{ trackId: 0, codec: 'mp4a', packetType: 'sequence-end', data: '' }]],
    ['ac-3 CodedFrames', '91 "ac-3" 0b77', [{ trackId: 0, codec: 'ac-3', packetType: 'coded-frames', data: '0b77' }]],
    ['ec-3 CodedFrames', '91 "ec-3" 0b77', [{ trackId: 0, codec: 'ec-3', packetType: 'coded-frames', data: '0b77' }]],
    ['.mp3 CodedFrames', '91 ".mp3" fffb', [{ trackId: 0, codec: '.mp3', packetType: 'coded-frames', data: 'fffb' }]],
    ['MultichannelConfig (native order, 6 channels)', '94 "Opus" 01 06 0000003f',
      [{ trackId: 0, codec: 'Opus', packetType: 'multichannel-config', data: '01060000003f' }]],
    ['multitrack OneTrack', '95 01 "mp4a" 07 2100', [{ trackId: 7, codec: 'mp4a', packetType: 'coded-frames', data: '2100' }]],
    ['multitrack ManyTracks', '95 11 "Opus" 00 000002 aabb 01 000001 cc', [
      { trackId: 0, codec: 'Opus', packetType: 'coded-frames', data: 'aabb' },
      { trackId: 1, codec: 'Opus', packetType: 'coded-frames', data: 'cc' },
    ]],
    ['multitrack ManyTracksManyCodecs', '95 20 "mp4a" 00 000002 1210 "Opus" 01 000000', [
      { trackId: 0, codec: 'mp4a', packetType: 'sequence-start', data: '1210' },
      { trackId: 1, codec: 'Opus', packetType: 'sequence-start', data: '' },
    ]],
  ])('%s', (_name, spec, tracks) => {
    const info = parse(spec);
    expect(info).toMatchObject({ enhanced: true, soundFormat: 9, silence: false });
    expect(info.legacy).toBeUndefined();
    expect(info.tracks).toEqual(tracks);
  });

  it('ModEx TimestampOffsetNano before the real packet type', () => {
    const info = parse('97 02 000064 01 "Opus" fc');
    expect(info.timestampOffsetNano).toBe(100);
    expect(info.tracks).toEqual([{ trackId: 0, codec: 'Opus', packetType: 'coded-frames', data: 'fc' }]);
  });

  it('ModEx then multitrack', () => {
    const info = parse('97 02 000001 05 11 "mp4a" 00 000001 aa 02 000001 bb');
    expect(info.tracks.map((t) => [t.trackId, t.data])).toEqual([[0, 'aa'], [2, 'bb']]);
  });
});

describe('parseAudioTag: malformed input throws MediaError', () => {
  it.each([
    ['AAC without AACPacketType', 'af'],
    ['AAC with AACPacketType 2', 'af 02 00'],
    ['enhanced without FourCC', '91'],
    ['enhanced with a cut FourCC', '91 "Op"'],
    ['unknown FourCC', '91 "vorb" 00'],
    ['reserved packet type 3', '93 "mp4a"'],
    ['reserved packet type 6', '96 "mp4a"'],
    ['ModEx cut', '97 02 00'],
    ['multitrack reserved type', '95 31 "mp4a" 00'],
    ['multitrack nested', '95 05 "mp4a" 00'],
    ['ManyTracks size past the end', '95 11 "Opus" 00 000005 aa'],
    ['multitrack without track id', '95 01 "Opus"'],
  ])('%s', (_name, spec) => {
    expect(() => parseAudioTag(h(spec))).toThrow(MediaError);
  });

  it('every prefix of every valid tag parses or throws MediaError, nothing else', () => {
    for (const spec of ['af 00 1210', '95 20 "mp4a" 00 000002 1210 "Opus" 01 000000', '97 02 000064 01 "Opus" fc']) {
      const bytes = h(spec);
      for (let n = 0; n <= bytes.length; n++) {
        try {
          parseAudioTag(bytes.subarray(0, n));
        } catch (e) {
          expect(e).toBeInstanceOf(MediaError);
        }
      }
    }
  });
});
