import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAacConfig } from '../../app/media/aac.js';
import { parseAv1Config } from '../../app/media/av1.js';
import { avcFrameHasIdr, parseAvcConfig, parseAvcSps } from '../../app/media/avc.js';
import { describeAudioConfig, describeVideoConfig } from '../../app/media/codec-info.js';
import { hevcFrameHasIrap, parseHevcConfig } from '../../app/media/hevc.js';
import { splitAnnexB, splitNalUnits } from '../../app/media/nal.js';
import { parseVpConfig, vp9KeyframeSize } from '../../app/media/vp9.js';
import { parseVideoTag } from '../../app/media/video-tag.js';
import { readFlvFile } from '../../app/flv/flv-reader.js';
import { MediaError } from '../../app/errors.js';

/** Fixtures from test/fixtures/media/generate.sh (ffmpeg 5.1: libx264, libx265, libaom, libsvtav1, libvpx). */
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../fixtures/media/${name}`, import.meta.url)));
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

/** Packs [bitCount, value] pairs MSB first, zero-padded to a byte. */
function bits(...fields: [number, number][]): Uint8Array {
  const s = fields.map(([n, v]) => v.toString(2).padStart(n, '0')).join('');
  return Uint8Array.from(s.padEnd(Math.ceil(s.length / 8) * 8, '0').match(/.{8}/g)!.map((b) => parseInt(b, 2)));
}

/** Every prefix and many single-byte corruptions of `data` either parse or throw MediaError. */
function expectOnlyMediaErrors(data: Uint8Array, parse: (d: Uint8Array) => unknown): void {
  const attempt = (d: Uint8Array): void => {
    try {
      parse(d);
    } catch (e) {
      if (!(e instanceof MediaError)) throw new Error(`non-MediaError on ${Buffer.from(d).toString('hex')}`, { cause: e });
    }
  };
  for (let n = 0; n < data.length; n++) attempt(data.subarray(0, n));
  let seed = 12345;
  for (let i = 0; i < 300; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const copy = data.slice();
    copy[seed % copy.length] ^= 1 << (seed >>> 16) % 8;
    attempt(copy);
  }
}

describe('AVC', () => {
  // Expectations cross-checked with `ffprobe -show_streams` on the MP4 each record came from.
  it.each([
    ['avc-1920x1080-main.avcC', 'avc1.4d4028', 'Main', '4', 1920, 1080, { chromaFormatIdc: 1, bitDepthLuma: 8, frameMbsOnly: true }],
    ['avc-1366x768-high.avcC', 'avc1.640020', 'High', '3.2', 1366, 768, { chromaFormatIdc: 1, frameMbsOnly: true }],
    ['avc-1920x1080-interlaced.avcC', 'avc1.640028', 'High', '4', 1920, 1080, { frameMbsOnly: false }],
    ['avc-1366x766-high444-cqm.avcC', 'avc1.f40020', 'High 4:4:4 Predictive', '3.2', 1366, 766, { chromaFormatIdc: 3 }],
    ['avc-720x486-high422-10bit.avcC', 'avc1.7a001e', 'High 4:2:2', '3', 720, 486, { chromaFormatIdc: 2, bitDepthLuma: 10, bitDepthChroma: 10 }],
  ])('%s → %s %dx%d', (file, codec, profile, level, width, height, fields) => {
    const data = fixture(file);
    const config = parseAvcConfig(data);
    expect(config).toMatchObject({ codec, width, height, nalLengthSize: 4, ...fields });
    expect(config.sps).toHaveLength(1);
    expect(config.pps).toHaveLength(1);
    expect(describeVideoConfig('avc1', data)).toMatchObject({ codec, profile, level, width, height });
    expectOnlyMediaErrors(data, parseAvcConfig);
  });

  it('accepts an Annex B sequence header', () => {
    const { sps, pps, codec } = parseAvcConfig(fixture('avc-1366x768-high.avcC'));
    const annexB = Buffer.concat([hex('00000001'), sps[0], hex('000001'), pps[0], hex('00')]);
    const parsed = parseAvcConfig(annexB);
    expect(parsed).toMatchObject({ codec, width: 1366, height: 768, nalLengthSize: 4 });
    expect(parsed.sps.map((u) => Buffer.from(u).toString('hex'))).toEqual([Buffer.from(sps[0]).toString('hex')]);
    expect(parsed.pps.map((u) => Buffer.from(u).toString('hex'))).toEqual([Buffer.from(pps[0]).toString('hex')]);
  });

  it('reads the baseline-profile SPS from the 320x240 FLV and its NAL length size', () => {
    const video = readFlvFile(fixture('avc-aac-320x240.flv')).tags.filter((t) => t.type === 9).map((t) => parseVideoTag(t.body));
    const config = parseAvcConfig(video[0].tracks[0].data);
    expect(config).toMatchObject({ codec: 'avc1.64000d', profile: 100, level: 13, width: 320, height: 240, nalLengthSize: 4 });
    // The keyframe holds an IDR slice, the next frames do not.
    expect(avcFrameHasIdr(video[1].tracks[0].data, config.nalLengthSize)).toBe(true);
    expect(video.slice(2, 6).map((v) => avcFrameHasIdr(v.tracks[0].data, 4))).toEqual([false, false, false, false]);
  });

  it('avcFrameHasIdr on hand-made samples', () => {
    expect(avcFrameHasIdr(hex('00000002 0910 00000001 65'), 4)).toBe(true);
    expect(avcFrameHasIdr(hex('0002 0910 0001 41'), 2)).toBe(false);
    expect(avcFrameHasIdr(hex(''), 4)).toBe(false);
    expect(() => avcFrameHasIdr(hex('00000009 65'), 4)).toThrow(MediaError);
    expect(() => avcFrameHasIdr(hex('0000'), 4)).toThrow(MediaError);
  });

  it('rejects records without SPS, of another version, and non-SPS NAL units', () => {
    expect(() => parseAvcConfig(hex('0164001fffe000'))).toThrow(/without SPS/);
    expect(() => parseAvcConfig(hex('0264001fffe100'))).toThrow(MediaError);
    expect(() => parseAvcSps(hex('68ee3c80'))).toThrow(MediaError);
  });

  it('a truncated SPS throws MediaError until the cropping fields are complete', () => {
    const sps = parseAvcConfig(fixture('avc-1366x766-high444-cqm.avcC')).sps[0];
    let firstComplete = -1;
    for (let n = 0; n <= sps.length; n++) {
      try {
        expect(parseAvcSps(sps.subarray(0, n))).toMatchObject({ width: 1366, height: 766 });
        if (firstComplete < 0) firstComplete = n;
      } catch (e) {
        expect(e).toBeInstanceOf(MediaError);
        expect(firstComplete).toBe(-1);
      }
    }
    expect(firstComplete).toBe(12); // the VUI after the cropping is not needed
  });
});

describe('HEVC', () => {
  it.each([
    ['hevc-1920x1080-main.hvcC', 'hvc1.1.6.L120.90', 'Main', 1920, 1080, 1, 8],
    ['hevc-1366x768-main10.hvcC', 'hvc1.2.4.L120.90', 'Main 10', 1366, 768, 1, 10],
    ['hevc-1366x766-444.hvcC', 'hvc1.4.10.L120.9E.08', 'Range Extensions', 1366, 766, 3, 8],
  ])('%s → %s %dx%d', (file, codec, profile, width, height, chromaFormatIdc, bitDepthLuma) => {
    const data = fixture(file);
    const config = parseHevcConfig(data);
    expect(config).toMatchObject({ codec, width, height, chromaFormatIdc, bitDepthLuma, nalLengthSize: 4, level: 120, highTier: false });
    expect([config.vps.length, config.sps.length, config.pps.length]).toEqual([1, 1, 1]);
    expect(describeVideoConfig('hvc1', data)).toMatchObject({ codec, profile, level: '4', width, height, bitDepth: bitDepthLuma });
    expectOnlyMediaErrors(data, parseHevcConfig);
  });

  it('builds the codec string per ISO/IEC 14496-15 E.3 (space letter, reversed flags, tier, constraints)', () => {
    const record = fixture('hevc-1920x1080-main.hvcC').slice();
    record[1] = 0b01_1_00010; // profile_space 1 (A), high tier, profile_idc 2
    record.set([0x20, 0, 0, 0], 2); // compatibility flag 2 only → reversed 0x4
    record.set([0xb0, 0, 0, 0, 0, 0x01], 6); // last constraint byte non-zero: nothing omitted
    record[12] = 153;
    expect(parseHevcConfig(record).codec).toBe('hvc1.A2.4.H153.B0.00.00.00.00.01');
  });

  it('accepts an Annex B sequence header', () => {
    const { vps, sps, pps } = parseHevcConfig(fixture('hevc-1920x1080-main.hvcC'));
    const annexB = Buffer.concat([hex('00000001'), vps[0], hex('00000001'), sps[0], hex('00000001'), pps[0]]);
    expect(splitAnnexB(annexB)).toHaveLength(3);
    expect(parseHevcConfig(annexB)).toMatchObject({ codec: 'hvc1.1.6.L120.90', width: 1920, height: 1080 });
  });

  it('hevcFrameHasIrap', () => {
    expect(hevcFrameHasIrap(hex('00000003 2601af'), 4)).toBe(true); // IDR_W_RADL (19)
    expect(hevcFrameHasIrap(hex('00000003 2a01af'), 4)).toBe(true); // CRA (21)
    expect(hevcFrameHasIrap(hex('00000003 0201d0 00000002 4e01'), 4)).toBe(false); // TRAIL_R, SEI
    expect(() => hevcFrameHasIrap(hex('000005 26'), 3)).toThrow(MediaError);
  });
});

describe('AV1', () => {
  it.each([
    ['av1-1366x768.av1C', 'av01.0.05M.08', '3.1', 1366, 768, 8],
    ['av1-1920x1080-10bit.av1C', 'av01.0.08M.10', '4.0', 1920, 1080, 10],
  ])('%s → %s %dx%d', (file, codec, level, width, height, bitDepth) => {
    const data = fixture(file);
    expect(parseAv1Config(data)).toMatchObject({ codec, width, height, bitDepth, profile: 0, highTier: false });
    expect(describeVideoConfig('av01', data)).toEqual({ codec, profile: 'Main', level, width, height, bitDepth });
    expectOnlyMediaErrors(data, parseAv1Config);
  });

  it('codec string of the fixed fields alone (no configOBUs): profile 2, level 13, high tier, 12-bit', () => {
    const config = parseAv1Config(bits([1, 1], [7, 1], [3, 2], [5, 13], [1, 1], [1, 1], [1, 1], [1, 0], [4, 0], [8, 0]));
    expect(config).toEqual({ codec: 'av01.2.13H.12', profile: 2, level: 13, highTier: true, bitDepth: 12, monochrome: false });
  });

  it('rejects a record without the marker/version byte', () => {
    expect(() => parseAv1Config(hex('01050c00'))).toThrow(MediaError);
  });
});

describe('VP9', () => {
  it('vpcC payload (FullBox form, as in MP4) and the bare record (as FFmpeg sends in FLV)', () => {
    const box = fixture('vp9-320x240.vpcC');
    const expected = { codec: 'vp09.00.20.08', profile: 0, level: 20, bitDepth: 8, chromaSubsampling: 1, fullRange: false };
    expect(parseVpConfig(box)).toEqual(expected);
    expect(parseVpConfig(box.subarray(4))).toEqual(expected);
    expect(parseVpConfig(hex('02 1f a4 09 10 09 0000'))).toMatchObject({ codec: 'vp09.02.31.10', chromaSubsampling: 2 });
    expect(parseVpConfig(hex('00 0a 80 01 01 01 0000'), 'vp08').codec).toBe('vp08.00.10.08');
    expect(describeVideoConfig('vp09', box)).toEqual({ codec: 'vp09.00.20.08', profile: 'Profile 0', level: '2', bitDepth: 8 });
    expect(() => parseVpConfig(hex('00 0a 30'))).toThrow(MediaError);
    expectOnlyMediaErrors(box, parseVpConfig);
  });

  it('frame size from a keyframe, none from an inter frame', () => {
    const key = fixture('vp9-320x240-keyframe.bin');
    expect(vp9KeyframeSize(key)).toEqual({ width: 320, height: 240 });
    expect(vp9KeyframeSize(bits([2, 2], [1, 0], [1, 0], [1, 0], [1, 1]))).toBeUndefined(); // frame_type 1
    expect(vp9KeyframeSize(bits([2, 2], [2, 0], [1, 1], [3, 0]))).toBeUndefined(); // show_existing_frame
    expect(() => vp9KeyframeSize(hex('c0'))).toThrow(/frame_marker/);
    expectOnlyMediaErrors(key.subarray(0, 16), vp9KeyframeSize);
  });
});

describe('AAC AudioSpecificConfig', () => {
  it.each([
    ['AAC-LC 44.1 kHz stereo', hex('1210'), { codec: 'mp4a.40.2', objectType: 2, sampleRate: 44100, channels: 2 }],
    ['AAC-LC 48 kHz stereo', hex('1190'), { codec: 'mp4a.40.2', objectType: 2, sampleRate: 48000, channels: 2 }],
    ['AAC-LC 44.1 kHz stereo with the SBR sync extension (FFmpeg)', hex('121056e500'), { codec: 'mp4a.40.2', sampleRate: 44100, channels: 2 }],
    ['AAC-LC 8 kHz mono', hex('1588'), { codec: 'mp4a.40.2', sampleRate: 8000, channels: 1 }],
    ['AAC-LC 5.1', hex('11b0'), { sampleRate: 48000, channels: 6 }],
    ['AAC-LC 7.1 (channelConfiguration 7)', hex('11b8'), { channels: 8 }],
    ['AAC Main', hex('0a10'), { codec: 'mp4a.40.1', objectType: 1 }],
    ['HE-AAC: 22.05 kHz core, 44.1 kHz SBR', hex('2b9208'),
      { codec: 'mp4a.40.5', objectType: 5, sampleRate: 44100, channels: 2, coreSampleRate: 22050, coreObjectType: 2 }],
    ['HE-AAC v2: mono core, parametric stereo', hex('eb0988'),
      { codec: 'mp4a.40.29', objectType: 29, sampleRate: 48000, channels: 2, coreSampleRate: 24000, coreObjectType: 2 }],
    ['objectType escape (31): USAC (42)', bits([5, 31], [6, 10], [4, 4], [4, 2]), { codec: 'mp4a.40.42', objectType: 42, sampleRate: 44100 }],
    ['sample-rate escape (15): explicit 37800 Hz', bits([5, 2], [4, 15], [24, 37800], [4, 1]), { sampleRate: 37800, channels: 1 }],
    ['channels from a program_config_element', hex('1200'), { channels: 0 }],
  ])('%s', (_name, data, expected) => {
    expect(parseAacConfig(data)).toMatchObject(expected);
  });

  it('describes the LC config', () => {
    expect(describeAudioConfig('mp4a', hex('1210'))).toEqual({ codec: 'mp4a.40.2', profile: 'LC', sampleRate: 44100, channels: 2 });
    expect(describeAudioConfig('mp4a', hex('2b9208'))).toMatchObject({ codec: 'mp4a.40.5', profile: 'HE-AAC', sampleRate: 44100 });
  });

  it.each([
    ['empty', hex('')],
    ['one byte', hex('12')],
    ['reserved samplingFrequencyIndex 13', bits([5, 2], [4, 13], [4, 2])],
    ['object type 0', hex('0010')],
    ['cut 24-bit sample rate', bits([5, 2], [4, 15], [8, 1])],
    ['HE-AAC without its extension', hex('2b90')],
  ])('%s throws MediaError', (_name, data) => {
    expect(() => parseAacConfig(data)).toThrow(MediaError);
  });
});

describe('describeAudioConfig / describeVideoConfig: other codecs', () => {
  it('Opus identification header', () => {
    const head = Buffer.concat([Buffer.from('OpusHead'), hex('01 06 3801 80bb0000 0000 01 04 02 00 04 01 02 03 05')]);
    expect(describeAudioConfig('Opus', head)).toEqual({ codec: 'opus', sampleRate: 48000, channels: 6 });
    expect(describeAudioConfig('Opus', hex(''))).toEqual({ codec: 'opus' });
    expect(() => describeAudioConfig('Opus', Buffer.from('OpusTags00000000000'))).toThrow(MediaError);
  });

  it('FLAC STREAMINFO', () => {
    // min/max block 4096, frame sizes 0, 44100 Hz, 2 channels, 16 bits, 0 samples, MD5 zeros.
    const streamInfo = bits([16, 4096], [16, 4096], [24, 0], [24, 0], [20, 44100], [3, 1], [5, 15], [36, 0]);
    const header = Buffer.concat([Buffer.from('fLaC'), hex('80000022'), streamInfo, new Uint8Array(16)]);
    expect(describeAudioConfig('fLaC', header)).toEqual({ codec: 'flac', sampleRate: 44100, channels: 2, bitDepth: 16 });
    expect(() => describeAudioConfig('fLaC', header.subarray(0, 12))).toThrow(MediaError);
  });

  it('codecs without a configuration to parse', () => {
    expect(describeAudioConfig('.mp3', hex(''))).toEqual({ codec: 'mp3' });
    expect(describeAudioConfig('ac-3', hex(''))).toEqual({ codec: 'ac-3' });
    expect(describeAudioConfig('legacy:7', hex('d5'))).toEqual({ codec: 'alaw' });
    expect(describeAudioConfig('legacy:12', hex(''))).toEqual({ codec: 'legacy:12' });
    expect(describeVideoConfig('legacy:2', hex(''))).toEqual({ codec: 'h263' });
    expect(describeVideoConfig('legacy:4', hex(''))).toEqual({ codec: 'vp6' });
  });

  it('splitNalUnits rejects invalid length sizes', () => {
    expect(() => splitNalUnits(hex('00'), 0)).toThrow(MediaError);
    expect(() => splitNalUnits(hex('00'), 5)).toThrow(MediaError);
    expect(splitNalUnits(hex('0001aa 0000 0002bbcc'), 2).map((u) => Buffer.from(u).toString('hex'))).toEqual(['aa', '', 'bbcc']);
  });
});
