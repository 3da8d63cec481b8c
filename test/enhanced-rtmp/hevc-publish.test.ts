/**
 * Enhanced RTMP end to end: HEVC from libx265, published by our own E-RTMP publisher
 * (nothing on this machine speaks E-RTMP: Debian's ffmpeg 5.1 cannot), received by the
 * real CLI / engine, and the recording checked by decoding it.
 *
 * ffprobe 5.1 does not read E-RTMP video in FLV (it takes the low nibble of the first byte
 * for a legacy CodecID and reports codec "unknown"; FFmpeg learnt it in 6.1). So the recording
 * is verified by taking the HEVC out of the FLV with the engine's FLV reader and video-tag
 * parser, rebuilding an Annex B stream, and having ffmpeg decode that: every picture must
 * decode to the same MD5 as the source's. With an ffprobe >= 6.1 the .flv is probed directly too.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingInfo, StreamStats } from '../../app/contract/engine.js';
import { Engine } from '../../app/engine.js';
import { run, startIntake } from '../support/cli.js';
import { need } from '../support/tools.js';
import { FRAME_MS, PacketType, type SentTag, publishHevc } from './ertmp.js';
import { type HevcStream, annexB, encodeHevc, hevcCodecString, loadHevcStream, nalType, parseHvcC, splitLengthPrefixed } from './hevc-annexb.js';
import { decodeHevc, ffprobeReadsEnhancedFlv, probeHevc, readHevcRecording, writeAnnexB } from './recording.js';

const FRAMES = 50;
const KEY = 'hevc';

/** The hvcC box of an MP4 (its payload, without the 8-byte box header). */
function mp4Box(file: string, type: string): Buffer {
  const b = readFileSync(file);
  const i = b.indexOf(Buffer.from(type, 'latin1'));
  if (i < 4) throw new Error(`no ${type} box in ${file}`);
  return b.subarray(i + 4, i - 4 + b.readUInt32BE(i - 4));
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.skipIf(!need('ffmpeg', 'ffprobe'))('Enhanced RTMP: HEVC (hvc1) publish, receive, record', () => {
  let tmp: string;
  let stream: HevcStream;
  let codec: string;
  /** framemd5 of every picture of the libx265 output. */
  let sourceMd5s: string[];
  let directProbe: boolean;

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'intake-ertmp-'));
    const source = await encodeHevc(tmp, FRAMES);
    stream = loadHevcStream(source);
    codec = hevcCodecString(stream.sps);
    sourceMd5s = (await decodeHevc(source)).md5s;
    directProbe = await ffprobeReadsEnhancedFlv();
  });

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /**
   * Everything a recording of `sent` must be: the SequenceStart's record as sent, every picture's
   * sample byte for byte at its timestamp with its key flag, and decodable to the source's pictures.
   */
  async function expectRecordingOf(file: string, sent: SentTag[]): Promise<void> {
    const rec = readHevcRecording(file);
    expect(rec.truncatedTail).toBe(0);
    expect(rec.header).toMatchObject({ video: true, audio: false });
    expect(rec.scriptTags).toBe(1);
    expect(rec.multitrackTags).toBe(0);
    expect(rec.sequenceStarts).toHaveLength(1);
    expect(rec.sequenceStarts[0].equals(stream.config)).toBe(true);
    expect(rec.sequenceEnds).toBe(1);
    expect(rec.frames).toHaveLength(FRAMES);
    const firstTs = sent[0].timestamp;
    for (const [i, f] of rec.frames.entries()) {
      const au = stream.accessUnits[i];
      expect({ i, timestamp: f.timestamp, keyframe: f.keyframe, codec: f.codec, enhanced: f.enhanced, ct: f.compositionTime }).toEqual({
        i, timestamp: i * FRAME_MS - firstTs, keyframe: au.keyframe, codec: 'hvc1', enhanced: true, ct: 0,
      });
      expect(f.data.equals(au.sample), `frame ${i} bytes`).toBe(true);
    }

    // Decode what the file holds (rebuilt as Annex B): every picture, identical to the source's.
    const rebuilt = writeAnnexB(rec, `${file}.hevc`);
    const decoded = await decodeHevc(rebuilt);
    expect(decoded.errors).toBe('');
    expect(decoded.md5s).toHaveLength(FRAMES);
    expect(decoded.md5s).toEqual(sourceMd5s);
    const probe = await probeHevc(rebuilt);
    expect(probe).toEqual({ codec: 'hevc', width: 640, height: 360, frames: FRAMES, errors: '' });

    if (directProbe) {
      // FFmpeg >= 6.1 demuxes E-RTMP in FLV: the recording must then be readable as it is.
      const r = await run('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v', '-show_entries', 'stream=codec_name,nb_read_frames', '-of', 'json', file]);
      const s = (JSON.parse(r.stdout) as { streams: { codec_name: string; nb_read_frames: string }[] }).streams;
      expect({ streams: s.map((x) => ({ codec: x.codec_name, frames: Number(x.nb_read_frames) })), errors: r.stderr.trim() }).toEqual({
        streams: [{ codec: 'hevc', frames: FRAMES }],
        errors: '',
      });
    }
  }

  it('test publisher input: 50 pictures, IRAP every 25, and the hvcC record ffmpeg itself writes', async () => {
    expect(stream.accessUnits).toHaveLength(FRAMES);
    expect(sourceMd5s).toHaveLength(FRAMES);
    expect(stream.accessUnits.flatMap((a, i) => (a.keyframe ? [i] : []))).toEqual([0, 25]);
    expect(stream.sps).toMatchObject({ width: 640, height: 360, chromaFormatIdc: 1, bitDepthLuma: 8, bitDepthChroma: 8, profileIdc: 1 });
    expect(codec).toMatch(/^hvc1\.1\.6\.L\d+(\.[0-9A-F]{2})*$/);

    // ffmpeg's MP4 muxer builds an hvcC from the same stream: ours must agree on every field
    // and carry the same parameter sets.
    const mp4 = path.join(tmp, 'reference.mp4');
    const mux = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-f', 'hevc', '-i', path.join(tmp, `testsrc2-640x360-${FRAMES}.hevc`), '-c', 'copy', '-tag:v', 'hvc1', mp4]);
    expect(mux.stderr).toBe('');
    const theirs = mp4Box(mp4, 'hvcC');
    expect(stream.config.subarray(0, 22).toString('hex')).toBe(theirs.subarray(0, 22).toString('hex'));
    const paramSets = (rec: Buffer): string[] => parseHvcC(rec).nals.filter((n) => nalType(n) >= 32 && nalType(n) <= 34).map((n) => n.toString('hex'));
    expect(paramSets(stream.config)).toEqual(paramSets(theirs));

    // Config record + samples, back to Annex B, decode to the source's pictures: the round trip
    // the recording checks rely on.
    const rebuilt = path.join(tmp, 'roundtrip.hevc');
    writeFileSync(rebuilt, annexB([...parseHvcC(stream.config).nals, ...stream.accessUnits.flatMap((a) => splitLengthPrefixed(a.sample, 4))]));
    expect((await decodeHevc(rebuilt)).md5s).toEqual(sourceMd5s);
  });

  it.each([
    ['CodedFrames (with SI24 composition time)', PacketType.CodedFrames],
    ['CodedFramesX (no composition time)', PacketType.CodedFramesX],
  ] as const)('intake record: hvc1 %s', async (_name, packetType) => {
    const dir = mkdtempSync(path.join(tmp, 'rec-'));
    const intake = await startIntake(['record', '--out', dir, '--format', 'flv']);
    try {
      const sent = await publishHevc(`rtmp://127.0.0.1:${intake.port}/live/${KEY}`, stream, { kind: 'single', packetType });
      expect(sent).toHaveLength(FRAMES + 2);
      const finished = await intake.waitFor(/^recording finished /);
      const lines = intake.output().split('\n');

      // The protocol step, with the codec named from the HEVCDecoderConfigurationRecord.
      const step = lines.find((l) => /^#\d+ {2}\+[\d.]+ms {2}Video sequence header {2}received {2}\{/.test(l));
      expect(step, intake.output()).toBeDefined();
      const detail = JSON.parse(step!.slice(step!.indexOf('{'))) as Record<string, unknown>;
      expect(detail).toMatchObject({ codec, width: 640, height: 360, enhanced: true, update: false });
      expect(String(detail.codec)).toMatch(/^hvc1\./);
      expect(lines.some((l) => / {2}First keyframe {2}received {2}/.test(l))).toBe(true);

      // The stats line printed when the stream ends: every frame received, none missing.
      const stats = lines.filter((l) => l.startsWith(`stats live/${KEY} `)).at(-1);
      expect(stats, intake.output()).toMatch(new RegExp(`\\| video ${escapeRe(codec)} 640x360 ${FRAMES}/${FRAMES} 100\\.0% `));
      expect(stats).toMatch(/\| audio none \|/);

      expect(finished).toMatch(new RegExp(` ${FRAMES} video / 0 audio frames$`));
      expect(lines.filter((l) => /^(warn|error)\b/.test(l))).toEqual([]);

      const files = readdirSync(dir).filter((f) => f.endsWith('.flv'));
      expect(files).toHaveLength(1);
      const file = path.join(dir, files[0]);
      expect(finished).toContain(file);
      await expectRecordingOf(file, sent);
    } finally {
      await intake.stop();
    }
  });

  it('E-RTMP v2 multitrack (ManyTracks, tracks 0 and 1, both hvc1): stats per track, track 0 recorded', async () => {
    const dir = mkdtempSync(path.join(tmp, 'rec-mt-'));
    const engine = new Engine({ port: 0, recordDir: dir, autoRecord: true, recordFormat: 'flv' });
    const stats: StreamStats[] = [];
    const recordings: RecordingInfo[] = [];
    const logs: string[] = [];
    engine.on('stream-stats', (s) => stats.push(s));
    engine.on('recording', (r) => recordings.push(r));
    engine.on('log', (l) => logs.push(`${l.level}: ${l.message}`));
    const finished = new Promise<RecordingInfo>((resolve) => {
      engine.on('recording', (r) => {
        if (r.state !== 'recording') resolve(r);
      });
    });
    try {
      const { port } = await engine.start();
      const sent = await publishHevc(`rtmp://127.0.0.1:${port}/live/${KEY}`, stream, { kind: 'many-tracks', trackIds: [0, 1] });
      expect(sent[1].body.subarray(0, 2).toString('hex')).toBe('9611'); // key | Multitrack, ManyTracks | CodedFrames
      const rec = await finished;

      // The last stats of the stream (emitted as it ends) keep the two tracks apart.
      const last = stats.filter((s) => s.path === `live/${KEY}`).at(-1);
      expect(last, 'no stream-stats for the stream').toBeDefined();
      const sampleBytes = stream.accessUnits.reduce((n, a) => n + a.sample.length, 0);
      const perTrack = { codec, width: 640, height: 360, received: FRAMES, expected: FRAMES, capturePercent: 100, keyframes: 2, bytes: stream.config.length + sampleBytes };
      expect(last!.video).toMatchObject(perTrack);
      expect(Object.keys(last!.extraTracks)).toEqual(['video:1']);
      expect(last!.extraTracks['video:1']).toMatchObject(perTrack);
      expect(last!.audio).toMatchObject({ codec: null, received: 0 });
      expect(last!.recordedVideoFrames).toBe(FRAMES);

      // The recording carries track 0 only, rewritten as single-track E-RTMP tags.
      expect(rec).toMatchObject({ state: 'finished', videoFrames: FRAMES, audioFrames: 0 });
      expect(logs.filter((l) => !l.startsWith('info'))).toEqual([]);
      await expectRecordingOf(rec.file, sent);
    } finally {
      await engine.stop();
    }
    expect(recordings.at(-1)?.state).toBe('finished');
  });
});
