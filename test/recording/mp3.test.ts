/**
 * MP3 audio (what older encoders and OBS's legacy outputs send; Twitch calls
 * it deprecated, issue 9) recorded in MP4 and MKV: ffprobe reads it as mp3,
 * with every audio frame and every video frame sent, from a real ffmpeg.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../e2e/publish-helpers.js';
import { type RunningIntake, run, startIntake } from '../support/cli.js';
import { need } from '../support/tools.js';
import { probe, streamOf } from './probe.js';
import { FPS, recordingEnded } from './publish.js';

const FRAMES = 60;

describe.skipIf(!need('ffmpeg', 'ffprobe'))('H.264 + MP3 recorded in MP4 and MKV', () => {
  for (const format of ['mp4', 'mkv'] as const) {
    describe(format, () => {
      let intake: RunningIntake;
      const tmp = tempDir(`rec-mp3-${format}`);
      beforeAll(async () => {
        intake = await startIntake(['record', '--out', tmp.dir, '--format', format]);
      });
      afterAll(async () => {
        await intake?.stop();
        tmp.remove();
      });

      it(`ffmpeg H.264 + MP3 44.1 kHz → ${format}`, async () => {
        const secs = FRAMES / FPS;
        const r = await run('ffmpeg', [
          '-hide_banner', '-loglevel', 'error', '-nostdin',
          '-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=${FPS}:duration=${secs}`,
          '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${secs}`,
          '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '30', '-bf', '0',
          '-c:a', 'libmp3lame', '-b:a', '128k', '-ar', '44100',
          '-f', 'flv', `rtmp://127.0.0.1:${intake.port}/live/mp3`,
        ]);
        expect(r.code, r.stderr).toBe(0);
        const rec = await recordingEnded(intake, 'mp3');
        expect(rec.state, rec.line).toBe('finished');
        expect(rec.video).toBe(FRAMES);
        const p = await probe(rec.file);
        expect(p.errors).toBe('');
        const v = streamOf(p, 'video')!;
        const a = streamOf(p, 'audio')!;
        expect([v.codec, a.codec]).toEqual(['h264', 'mp3']);
        expect(v.packets).toHaveLength(FRAMES);
        // Every MP3 frame the stream carried (1,152 samples each: ~77 in 2 s at 44.1 kHz).
        expect(a.packets).toHaveLength(rec.audio);
        expect(rec.audio).toBeGreaterThanOrEqual(Math.floor((secs * 44100) / 1152));
      });
    });
  }
});
