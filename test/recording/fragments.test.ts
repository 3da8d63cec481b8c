/**
 * Where an MP4 recording's fragments are cut. Issue 10 asks for fragments of
 * at most ~1 s: the writer (app/recording/fmp4-writer.ts) cuts one per second
 * of decode time whatever the frames, so 0.5 s GOPs give 1 s fragments that
 * start on keyframes, and 2 s GOPs give 1 s fragments, every other one
 * starting between keyframes. The seek points must stay right: the file marks
 * exactly the frames the decoder finds to be keyframes (ffprobe's packet
 * flags against its decoded frames' key_frame), none more and none fewer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../e2e/publish-helpers.js';
import { INTAKE_BIN, type RunningIntake, run, startIntake } from '../support/cli.js';
import { need } from '../support/tools.js';
import { recordingEnded } from './publish.js';

const FPS = 30;
const SECONDS = 6;

/** Byte offsets of a file's top-level moof boxes. */
function moofOffsets(file: string): number[] {
  const b = fs.readFileSync(file);
  const out: number[] = [];
  for (let p = 0; p + 8 <= b.length; ) {
    let size = b.readUInt32BE(p);
    if (size === 1) size = Number(b.readBigUInt64BE(p + 8));
    if (b.toString('latin1', p + 4, p + 8) === 'moof') out.push(p);
    if (size < 8) break;
    p += size;
  }
  return out;
}

/** Presentation times (s, 3 decimals) of the frames the decoder finds to be keyframes. */
async function decodedKeyframes(file: string): Promise<string[]> {
  const r = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=pts_time,key_frame', '-of', 'json', file]);
  const j = JSON.parse(r.stdout) as { frames: { pts_time: string; key_frame: number }[] };
  return j.frames.filter((f) => f.key_frame === 1).map((f) => Number(f.pts_time).toFixed(3));
}

/** Video packets in file order: position, presentation time, keyframe. */
async function videoPackets(file: string): Promise<{ pos: number; pts: number; key: boolean }[]> {
  const r = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pos,pts_time,flags', '-of', 'json', file]);
  const j = JSON.parse(r.stdout) as { packets: { pos: string; pts_time: string; flags: string }[] };
  return j.packets.map((p) => ({ pos: Number(p.pos), pts: Number(p.pts_time), key: p.flags.startsWith('K') }));
}

describe.skipIf(!need('ffmpeg', 'ffprobe'))('MP4 fragment boundaries', () => {
  const tmp = tempDir('rec-fragments');
  let intake: RunningIntake;

  beforeAll(async () => {
    for (const gop of [15, 60]) {
      const r = await run('ffmpeg', [
        '-hide_banner', '-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=160x120:rate=${FPS}:duration=${SECONDS}`,
        '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`,
        '-c:v', 'libx264', '-preset', 'veryfast', '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0', '-bf', '2', '-c:a', 'aac', path.join(tmp.dir, `gop${gop}.flv`),
      ]);
      if (r.code !== 0) throw new Error(`ffmpeg: ${r.stderr}`);
    }
    intake = await startIntake(['record', '--out', path.join(tmp.dir, 'rec'), '--format', 'mp4']);
  }, 60_000);

  afterAll(async () => {
    await intake.stop();
    tmp.remove();
  });

  for (const { gop, fragmentS } of [
    { gop: 15, fragmentS: 1 },
    { gop: 60, fragmentS: 1 },
  ]) {
    it(`GOP ${gop / FPS} s → fragments of ${fragmentS} s, keyframes marked as the decoder finds them`, async () => {
      const key = `gop${gop}`;
      const pushed = await run(process.execPath, [INTAKE_BIN, 'push', path.join(tmp.dir, `${key}.flv`), `rtmp://127.0.0.1:${intake.port}/live/${key}`]);
      expect(pushed.code, pushed.stderr).toBe(0);
      const rec = await recordingEnded(intake, key);
      expect(rec.state, rec.line).toBe('finished');
      const moofs = moofOffsets(rec.file);
      const packets = await videoPackets(rec.file);
      // Each fragment's video (the last fragment may hold only the audio that outlasts the video).
      const fragments = moofs.map((m, i) => packets.filter((p) => p.pos > m && (i + 1 === moofs.length || p.pos < moofs[i + 1]))).filter((f) => f.length > 0);
      expect(fragments.map((f) => f.length)).toEqual(Array<number>(SECONDS / fragmentS).fill(fragmentS * FPS));
      // A fragment starts on a keyframe exactly when a GOP starts there.
      expect(fragments.map((f) => f[0].key)).toEqual(fragments.map((_, i) => (i * fragmentS * FPS) % gop === 0));
      // Sync samples: the frames every gop-th in decode order, and the very frames the decoder reads as keyframes.
      expect(packets.flatMap((p, i) => (p.key ? [i] : []))).toEqual(Array.from({ length: (SECONDS * FPS) / gop }, (_, i) => i * gop));
      expect(packets.filter((p) => p.key).map((p) => p.pts.toFixed(3))).toEqual(await decodedKeyframes(rec.file));
    }, 30_000);
  }
});
