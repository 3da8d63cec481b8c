/**
 * The MP4 fragment writer (app/recording/fmp4-writer.ts) against a real
 * file, read back box by box: Mediabunny's ftyp + moov first, then one
 * moof + mdat per second of decode time, each trun's data offset and sizes
 * pointing at exactly the frames given, tfdt on the track's timescale, the
 * sync flag per sample, and the mfra index at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSink } from '../../app/recording/file-sink.js';
import { NON_SYNC_SAMPLE, SYNC_SAMPLE, fragmentHeader } from '../../app/recording/fmp4-boxes.js';
import { Fmp4Writer } from '../../app/recording/fmp4-writer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Top-level boxes: [type, start, end]. */
function boxes(b: Buffer, start = 0, end = b.length): [string, number, number][] {
  const out: [string, number, number][] = [];
  for (let p = start; p + 8 <= end; p += b.readUInt32BE(p)) out.push([b.toString('latin1', p + 4, p + 8), p, p + b.readUInt32BE(p)]);
  return out;
}

/** A trun's samples: [duration, size, flags, offset], and its data offset. */
function trun(b: Buffer, at: number): { dataOffset: number; samples: number[][] } {
  const n = b.readUInt32BE(at + 12);
  const samples = Array.from({ length: n }, (_, i) => [0, 4, 8, 12].map((k) => b.readInt32BE(at + 20 + i * 16 + k)));
  return { dataOffset: b.readInt32BE(at + 16), samples };
}

describe('Fmp4Writer', () => {
  it('writes 1 s fragments whose runs point at the frames given, after the moov', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-fmp4-'));
    dirs.push(dir);
    const file = path.join(dir, 'a.mp4');
    const fd = fs.openSync(file, 'w+');
    const sink = new FileSink(fd, (err) => {
      throw err;
    });
    const setup = { kind: 'audio', codec: 'aac', config: { codec: 'mp4a.40.2', sampleRate: 48000, numberOfChannels: 2, description: Uint8Array.from([0x11, 0x90]) } } as const;
    const frames = Array.from({ length: 141 }, (_, i) => new Uint8Array(10 + (i % 7)).fill(i)); // 3 s of 1024-sample frames
    const w = new Fmp4Writer(sink, [{ setup, first: frames[0] }], () => undefined);
    frames.forEach((f, i) => w.add(0, f, Math.floor((i * 64) / 3), Math.floor((i * 64) / 3), true, 21));
    await w.finish();
    await sink.drain();
    fs.closeSync(fd);
    const b = fs.readFileSync(file);
    const top = boxes(b);
    expect(top.map(([t]) => t)).toEqual(['ftyp', 'moov', 'moof', 'mdat', 'moof', 'mdat', 'moof', 'mdat', 'mfra']);
    let next = 0;
    for (const [type, start, end] of top.filter(([t]) => t === 'moof')) {
      expect(type).toBe('moof');
      const traf = boxes(b, start + 8, end).find(([t]) => t === 'traf')!;
      const kids = boxes(b, traf[1] + 8, traf[2]);
      const tfdt = kids.find(([t]) => t === 'tfdt')!;
      const run = trun(b, kids.find(([t]) => t === 'trun')![1]);
      // tfdt: the first frame's decode time on the 48 kHz timescale.
      expect(Number(b.readBigUInt64BE(tfdt[1] + 12))).toBe(Math.round(Math.floor((next * 64) / 3) * 48));
      let at = start + run.dataOffset;
      for (const [, size, flags] of run.samples) {
        expect(flags).toBe(SYNC_SAMPLE);
        expect(b.subarray(at, at + size)).toEqual(Buffer.from(frames[next]));
        at += size;
        next++;
      }
    }
    expect(next).toBe(frames.length);
    // One second a fragment: frames whose decode time is in [0, 1000), [1000, 2000), [2000, ...).
    expect(top.filter(([t]) => t === 'moof').length).toBe(3);
  });

  it('marks sync and non-sync samples one by one, whatever the first sample is', () => {
    const head = fragmentHeader(7, [{ trackId: 1, baseDecodeTime: 3000, count: 3, durations: [1, 1, 1], sizes: [5, 6, 7], flags: [NON_SYNC_SAMPLE, SYNC_SAMPLE, NON_SYNC_SAMPLE], offsets: [2, -1, 0] }], 18);
    const moofSize = head.readUInt32BE(0);
    expect(head.toString('latin1', moofSize + 4, moofSize + 8)).toBe('mdat');
    expect(head.readUInt32BE(moofSize)).toBe(26);
    const at = head.indexOf('trun', 0, 'latin1') - 4;
    expect(head[at + 8]).toBe(1); // a negative offset: version 1
    const run = trun(head, at);
    expect(run.dataOffset).toBe(moofSize + 8);
    expect(run.samples.map((s) => s[2])).toEqual([NON_SYNC_SAMPLE, SYNC_SAMPLE, NON_SYNC_SAMPLE]);
    expect(run.samples.map((s) => s[3])).toEqual([2, -1, 0]);
  });
});
