/**
 * Recordings in every format from every real publisher: ffprobe 5.1 reads
 * each without a complaint, with exactly the frames sent, the right codecs,
 * a timeline that starts at 0, the duration of the media sent, packets in
 * decode order and, for a B-frame stream, presentation times in display order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORD_FORMATS } from '../../app/contract/recording-format.js';
import { tempDir } from '../e2e/publish-helpers.js';
import { type RunningIntake, startIntake } from '../support/cli.js';
import { need } from '../support/tools.js';
import { displayOrderGaps, earliest, presentedSeconds, probe, streamOf } from './probe.js';
import { FPS, PUBLISHERS, recordingEnded } from './publish.js';

const FRAMES = 60;
const FRAME_S = 1 / FPS;

describe.skipIf(!need('ffmpeg', 'ffprobe', ...new Set(PUBLISHERS.flatMap((p) => p.tools))))('recordings in every format from real publishers', () => {
  for (const format of RECORD_FORMATS) {
    describe(format, () => {
      let intake: RunningIntake;
      const tmp = tempDir(`rec-${format}`);
      beforeAll(async () => {
        intake = await startIntake(['record', '--out', tmp.dir, '--format', format]);
      });
      afterAll(async () => {
        await intake?.stop();
        tmp.remove();
      });

      for (const [i, pub] of PUBLISHERS.entries()) {
        it(`${pub.name} → ${format}`, async () => {
          const key = `p${i}`;
          const out = await pub.publish(`rtmp://127.0.0.1:${intake.port}/live/${key}`, FRAMES);
          expect(out.code, out.log).toBe(0);
          expect(out.sent).toBe(FRAMES);
          const rec = await recordingEnded(intake, key);
          expect(rec.state, rec.line).toBe('finished');
          expect(rec.file.endsWith(`.${format}`)).toBe(true);
          expect(rec.video).toBe(FRAMES);

          const p = await probe(rec.file);
          expect(p.errors).toBe('');
          const v = streamOf(p, 'video')!;
          const a = streamOf(p, 'audio')!;
          expect([v.codec, a.codec]).toEqual(['h264', 'aac']);
          expect(v.packets).toHaveLength(FRAMES);
          expect(a.packets).toHaveLength(rec.audio);
          expect(rec.audio).toBeGreaterThan(0);

          // The recording's timeline starts at 0: decode time 0 where the container keeps one (FLV, MP4);
          // MKV keeps presentation times only, which start within the publisher's own A/V offset (< 0.1 s).
          if (format === 'mkv') expect(earliest(p)).toBeLessThan(0.1);
          else expect(earliest(p)).toBeCloseTo(0, 3);
          expect(earliest(p)).toBeGreaterThanOrEqual(0);
          expect(v.packets[0].key).toBe(true);

          // Duration of the media sent, within one frame.
          expect(Math.abs(presentedSeconds(v, FRAME_S) - FRAMES * FRAME_S)).toBeLessThanOrEqual(FRAME_S + 0.002);
          // The file's own duration (MP4, MKV): from 0 to the end of the last picture, which starts after the reorder delay.
          const lead = Math.min(...v.packets.map((q) => q.pts));
          if (format !== 'flv') expect(Math.abs(p.format.duration! - (FRAMES * FRAME_S + lead))).toBeLessThanOrEqual(FRAME_S);

          // Decode order in the file; every frame once, in display order, when sorted by presentation time.
          const dts = v.packets.map((q) => q.dts).filter((d): d is number => d !== null);
          expect(dts.every((d, j) => j === 0 || d >= dts[j - 1])).toBe(true);
          expect(displayOrderGaps(v, FRAME_S)).toEqual([]);
          const reordered = v.packets.some((q, j) => j > 0 && q.pts < v.packets[j - 1].pts);
          expect(reordered).toBe(pub.bframes);
          if (pub.bframes) {
            // A B-frame is presented before the frame decoded ahead of it, and never before its own decode time... in MP4 and FLV.
            for (const q of v.packets) if (q.dts !== null) expect(q.pts).toBeGreaterThanOrEqual(q.dts - 1e-6);
          }
        });
      }
    });
  }
});
