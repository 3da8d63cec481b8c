/**
 * Colour information reaches the recording: H.264 streams whose SPS says
 * BT.709 limited range or BT.601 full range, and a 10-bit HEVC stream in
 * BT.2020 with PQ (HDR), pushed with `intake push`, recorded in MP4 and MKV: ffprobe reads the same colour
 * fields back from each recording, and the container itself carries them
 * (MP4's `colr` box, Matroska's Colour element): ffprobe alone would also
 * read them from the H.264 bitstream. A VP9 stream's sequence start has no
 * colour description: `intake push` sends the file's colour as Enhanced
 * RTMP's colorInfo metadata (as OBS does), and that reaches the container.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../e2e/publish-helpers.js';
import { INTAKE_BIN, type RunningIntake, run, startIntake } from '../support/cli.js';
import { need } from '../support/tools.js';
import { recordingEnded } from './publish.js';

const FORMATS = ['mp4', 'mkv'] as const;
const H264 = ['-c:v', 'libx264'];
const CASES = [
  { name: 'h264-bt709-tv', file: 'flv', args: [...H264, '-pix_fmt', 'yuv420p', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709', '-color_range', 'tv'], want: { primaries: 'bt709', transfer: 'bt709', space: 'bt709', range: 'tv' }, codes: [1, 1, 1, false] },
  { name: 'h264-bt601-pc', file: 'flv', args: [...H264, '-pix_fmt', 'yuvj420p', '-color_primaries', 'smpte170m', '-color_trc', 'smpte170m', '-colorspace', 'smpte170m', '-color_range', 'pc'], want: { primaries: 'smpte170m', transfer: 'smpte170m', space: 'smpte170m', range: 'pc' }, codes: [6, 6, 6, true] },
  // HDR: 10-bit HEVC, BT.2020 primaries, PQ transfer, pushed from MP4 as Enhanced RTMP.
  // VP9 (no VUI): the colour travels as E-RTMP colorInfo metadata.
  { name: 'vp9-bt709-tv', file: 'mp4', args: ['-c:v', 'libvpx-vp9', '-pix_fmt', 'yuv420p', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709', '-color_range', 'tv'], want: { primaries: 'bt709', transfer: 'bt709', space: 'bt709', range: 'tv' }, codes: [1, 1, 1, false] },
  { name: 'hevc-bt2020-pq', file: 'mp4', args: ['-c:v', 'libx265', '-x265-params', 'log-level=error:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc:range=limited', '-pix_fmt', 'yuv420p10le', '-bf', '3'], want: { primaries: 'bt2020', transfer: 'smpte2084', space: 'bt2020nc', range: 'tv' }, codes: [9, 16, 9, false] },
] as const;

/** ffprobe's colour fields of a file's video stream. */
async function colourOf(file: string): Promise<{ primaries?: string; transfer?: string; space?: string; range?: string }> {
  const r = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=color_primaries,color_transfer,color_space,color_range', '-of', 'json', file]);
  const s = (JSON.parse(r.stdout || '{}') as { streams?: Record<string, string>[] }).streams?.[0] ?? {};
  return { primaries: s.color_primaries, transfer: s.color_transfer, space: s.color_space, range: s.color_range };
}

/** [primaries, transfer, matrix, full range] as the container says them: MP4's `colr` nclx box (ISO/IEC 14496-12 12.1.5), Matroska's Colour element. */
function containerColour(file: string): (number | boolean)[] | null {
  const b = fs.readFileSync(file).subarray(0, 256 * 1024);
  if (file.endsWith('.mp4')) {
    const i = b.indexOf('colrnclx', 0, 'latin1');
    return i < 0 ? null : [b.readUInt16BE(i + 8), b.readUInt16BE(i + 10), b.readUInt16BE(i + 12), (b[i + 14] & 0x80) !== 0];
  }
  // Colour (0x55B0), its size (an EBML vint), then children: a 2-byte ID, a vint size, the value.
  const vint = (p: number): { len: number; value: number } => {
    const len = Math.clz32(b[p]) - 23;
    return { len, value: b.readUIntBE(p, len) & (2 ** (7 * len) - 1) };
  };
  const i = b.indexOf(Buffer.from([0x55, 0xb0]));
  if (i < 0) return null;
  const size = vint(i + 2);
  const end = i + 2 + size.len + size.value;
  const kids = new Map<number, number>();
  for (let p = i + 2 + size.len; p + 3 <= end; ) {
    const v = vint(p + 2);
    kids.set(b.readUInt16BE(p), b.readUIntBE(p + 2 + v.len, v.value));
    p += 2 + v.len + v.value;
  }
  // Range: 1 broadcast, 2 full.
  return [kids.get(0x55bb) ?? -1, kids.get(0x55ba) ?? -1, kids.get(0x55b1) ?? -1, kids.get(0x55b9) === 2];
}

describe.skipIf(!need('ffmpeg', 'ffprobe'))('colour information in MP4 and MKV recordings', () => {
  const tmp = tempDir('rec-colour');
  const intakes = new Map<string, RunningIntake>();

  beforeAll(async () => {
    for (const c of CASES) {
      const src = path.join(tmp.dir, `${c.name}.${c.file}`);
      const r = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=1', ...c.args, src]);
      if (r.code !== 0) throw new Error(`ffmpeg could not encode ${c.name}: ${r.stderr}`);
      // The source says what the recording must say.
      expect(await colourOf(src)).toEqual(c.want);
    }
    for (const format of FORMATS) intakes.set(format, await startIntake(['record', '--out', path.join(tmp.dir, format), '--format', format]));
  }, 60_000);

  afterAll(async () => {
    for (const i of intakes.values()) await i.stop();
    tmp.remove();
  });

  for (const format of FORMATS) {
    for (const c of CASES) {
      it(`${c.name} → ${format}: ffprobe and the container read the colour back`, async () => {
        const intake = intakes.get(format)!;
        const key = c.name.replaceAll('-', '_');
        const pushed = await run(process.execPath, [INTAKE_BIN, 'push', path.join(tmp.dir, `${c.name}.${c.file}`), `rtmp://127.0.0.1:${intake.port}/live/${key}`]);
        expect(pushed.code, pushed.stderr).toBe(0);
        const rec = await recordingEnded(intake, key);
        expect(rec.state, rec.line).toBe('finished');
        expect(await colourOf(rec.file)).toEqual(c.want);
        expect(containerColour(rec.file)).toEqual(c.codes);
      });
    }
  }
});
