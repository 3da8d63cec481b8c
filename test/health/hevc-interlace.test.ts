/**
 * HEVC interlacing from the SPS: x265 with `interlace=tff|bff` codes fields
 * (VUI field_seq_flag 1, profile_tier_level's interlaced source flag), any
 * other x265 setting frames. Each case is a real libx265 encode whose SPS
 * is walked to its VUI (so field_seq_flag must read 0 or 1, never "not
 * reached"), across the SPS parts the walk steps over: B-frames and their
 * reference picture sets, 10 bits and 4:2:2, scaling lists, VUI fields
 * before field_seq_flag. Then end to end: an interlaced HEVC stream over
 * Enhanced RTMP through `intake check --json` is flagged, a progressive one not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hevcInterlaced, scanHevcSps } from '../../app/health/hevc-interlace.js';
import { NAL_SPS, loadHevcStream, nalType, splitAnnexB } from '../enhanced-rtmp/hevc-annexb.js';
import { publishHevc } from '../enhanced-rtmp/ertmp.js';
import { run } from '../support/cli.js';
import { need } from '../support/tools.js';
import { check } from './check-run.js';
import { tempDir } from './publishers.js';

/** `frames` of testsrc2 through libx265 with `params`, as an Annex B file. */
async function encode(name: string, params: string, frames: number, extra: string[] = []): Promise<string> {
  const out = path.join(tempDir(), `${name}.hevc`);
  const r = await run('ffmpeg', [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-frames:v', String(frames),
    '-c:v', 'libx265', ...extra, '-x265-params', `${params}:log-level=error`, '-f', 'hevc', out,
  ]);
  if (r.code !== 0) throw new Error(`ffmpeg could not encode with libx265 ${params}: ${r.stderr.trim()}`);
  return out;
}

const spsOf = (file: string): Uint8Array => splitAnnexB(fs.readFileSync(file)).find((n) => nalType(n) === NAL_SPS)!;

const CASES: [name: string, params: string, extra: string[], fields: boolean][] = [
  ['progressive, ultrafast', 'keyint=25', ['-preset', 'ultrafast'], false],
  ['progressive, slow with 4 B-frames and 4 references', 'bframes=4:ref=4:b-pyramid=1', ['-preset', 'slow'], false],
  ['progressive, Main 4:2:2 10', 'keyint=25', ['-preset', 'ultrafast', '-pix_fmt', 'yuv422p10le'], false],
  ['progressive, default scaling lists', 'scaling-list=default', ['-preset', 'ultrafast'], false],
  ['progressive, SAR and colour description', 'sar=2:colorprim=bt709:transfer=bt709:colormatrix=bt709:chromaloc=1:range=full', ['-preset', 'ultrafast'], false],
  ['interlaced, top field first', 'interlace=tff', ['-preset', 'ultrafast'], true],
  ['interlaced, bottom field first, slow with B-frames', 'interlace=bff:bframes=3', ['-preset', 'slow'], true],
];

describe.skipIf(!need('ffmpeg'))('HEVC interlacing from the SPS', () => {
  it.each(CASES)('%s', async (name, params, extra, fields) => {
    const scan = scanHevcSps(spsOf(await encode(name.replace(/\W+/g, '-'), params, 12, extra)));
    expect(scan.fieldSeq).toBe(fields);
    expect(scan.interlacedSource).toBe(fields);
    expect(hevcInterlaced(scan)).toBe(fields);
  }, 60_000);

  it('a truncated SPS gives what the profile says, or throws a range error before it; never a wrong answer', async () => {
    const sps = spsOf(await encode('cut', 'interlace=tff', 2, ['-preset', 'ultrafast']));
    for (let n = 3; n < sps.length; n++) {
      let scan;
      try {
        scan = scanHevcSps(sps.subarray(0, n));
      } catch (err) {
        expect(err).toBeInstanceOf(Error);
        continue;
      }
      expect(hevcInterlaced(scan)).not.toBe(false);
    }
  }, 60_000);
});

describe.skipIf(!need('ffmpeg'))('intake check with HEVC over Enhanced RTMP', () => {
  it.concurrent('interlaced x265 (interlace=tff): interlaced under YouTube; progressive x265: not', async () => {
    const [interlaced, progressive] = await Promise.all([
      encode('il-tff', 'interlace=tff:keyint=50:bframes=0', 100, ['-preset', 'ultrafast']),
      encode('pr', 'keyint=50:bframes=0', 100, ['-preset', 'ultrafast']),
    ]);
    const [il, pr] = await Promise.all([
      check('youtube', 5, (url) => publishHevc(url, loadHevcStream(interlaced), { kind: 'single', packetType: 1 })),
      check('youtube', 5, (url) => publishHevc(url, loadHevcStream(progressive), { kind: 'single', packetType: 1 })),
    ]);
    expect(il.report.findings.find((f) => f.id === 'interlaced')).toMatchObject({ severity: 'error', value: 1 });
    expect(il.report.encoder.interlaced).toBe(true);
    expect(pr.report.findings.find((f) => f.id === 'interlaced')).toBeUndefined();
    expect(pr.report.encoder.interlaced).toBe(false);
  }, 120_000);
});
