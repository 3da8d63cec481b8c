/**
 * Every codec Enhanced RTMP brings, recorded in MP4 and MKV: HEVC (libx265),
 * AV1 (libaom) and VP9 (libvpx), each with AAC and with Opus, encoded by
 * ffmpeg to files and sent with `intake push` (Enhanced RTMP where the codec
 * needs it). ffprobe 5.1 reads every recording with exactly the frames of the
 * source, and ffmpeg decodes its pictures to the source's frame MD5s.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../e2e/publish-helpers.js';
import { INTAKE_BIN, type RunningIntake, run, startIntake } from '../support/cli.js';
import { need } from '../support/tools.js';
import { probe, streamOf } from './probe.js';
import { recordingEnded } from './publish.js';

const VIDEO = {
  hevc: ['-c:v', 'libx265', '-x265-params', 'log-level=error', '-bf', '3'],
  av1: ['-c:v', 'libaom-av1', '-cpu-used', '8', '-b:v', '200k'],
  vp9: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '200k'],
} as const;
const AUDIO = { aac: ['-c:a', 'aac'], opus: ['-c:a', 'libopus'] } as const;
/** The file each pair is encoded to: every container push reads (WebM takes Opus, not AAC). */
const container = (video: string, audio: string): string => (video === 'hevc' ? 'mp4' : video === 'av1' ? 'mkv' : audio === 'opus' ? 'webm' : 'mp4');
const FORMATS = ['mp4', 'mkv'] as const;

/** One MD5 per decoded picture of a file's video. */
async function frameMd5s(file: string): Promise<string[]> {
  const r = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-i', file, '-map', '0:v', '-f', 'framemd5', '-']);
  if (r.code !== 0) throw new Error(`ffmpeg could not decode ${file}: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.split(',').at(-1)!.trim());
}

describe.skipIf(!need('ffmpeg', 'ffprobe'))('HEVC, AV1 and VP9 with AAC and Opus, pushed and recorded in MP4 and MKV', () => {
  const tmp = tempDir('rec-codecs');
  const sources: { name: string; file: string; video: keyof typeof VIDEO; audio: keyof typeof AUDIO; md5s: string[]; audioPackets: number }[] = [];
  const intakes = new Map<string, RunningIntake>();

  beforeAll(async () => {
    for (const video of Object.keys(VIDEO) as (keyof typeof VIDEO)[]) {
      for (const audio of Object.keys(AUDIO) as (keyof typeof AUDIO)[]) {
        const file = path.join(tmp.dir, `${video}-${audio}.${container(video, audio)}`);
        const r = await run('ffmpeg', [
          '-hide_banner', '-nostdin', '-v', 'error', '-y',
          '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=1', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=1',
          ...VIDEO[video], '-pix_fmt', 'yuv420p', ...AUDIO[audio], file,
        ]);
        if (r.code !== 0) throw new Error(`ffmpeg could not encode ${file}: ${r.stderr}`);
        const src = await probe(file);
        sources.push({ name: `${video}-${audio}`, file, video, audio, md5s: await frameMd5s(file), audioPackets: streamOf(src, 'audio')!.packets.length });
      }
    }
    for (const format of FORMATS) intakes.set(format, await startIntake(['record', '--out', path.join(tmp.dir, format), '--format', format]));
  }, 120_000);

  afterAll(async () => {
    for (const i of intakes.values()) await i.stop();
    tmp.remove();
  });

  for (const format of FORMATS) {
    for (const video of Object.keys(VIDEO) as (keyof typeof VIDEO)[]) {
      for (const audio of Object.keys(AUDIO) as (keyof typeof AUDIO)[]) {
        it(`${video} + ${audio} → ${format}`, async () => {
          const src = sources.find((s) => s.name === `${video}-${audio}`)!;
          const intake = intakes.get(format)!;
          const key = `${video}_${audio}`;
          const pushed = await run(process.execPath, [INTAKE_BIN, 'push', src.file, `rtmp://127.0.0.1:${intake.port}/live/${key}`]);
          expect(pushed.code, pushed.stderr).toBe(0);
          const rec = await recordingEnded(intake, key);
          expect(rec.state, rec.line).toBe('finished');

          const p = await probe(rec.file);
          expect(p.errors).toBe('');
          const v = streamOf(p, 'video')!;
          const a = streamOf(p, 'audio')!;
          expect([v.codec, a.codec]).toEqual([video, audio]);
          expect(v.packets).toHaveLength(src.md5s.length);
          expect(a.packets).toHaveLength(src.audioPackets);
          expect(await frameMd5s(rec.file)).toEqual(src.md5s);
        });
      }
    }
  }
});
