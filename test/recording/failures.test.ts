/**
 * A recording that fails says so and why, keeps what was written readable and
 * never leaves an empty file: its folder deleted mid-recording (issue 8: it
 * was reported as "finished, 600 frames"), and a full disk (ENOSPC), both
 * from the start of a publish and in the middle of one. The full disk is a
 * real tmpfs where mount is permitted, else an injected ENOSPC (see full-disk.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RecordingInfo } from '../../app/contract/engine.js';
import type { RecordFormat } from '../../app/contract/recording-format.js';
import { Engine } from '../../app/engine.js';
import { tempDir } from '../e2e/publish-helpers.js';
import { need } from '../support/tools.js';
import { fill, smallDisk } from './full-disk.js';
import { probe, streamOf } from './probe.js';
import { ffmpegBframes } from './publish.js';

const FORMATS: RecordFormat[] = ['mp4', 'mkv', 'flv'];

/** An engine recording every publish to `dir` in `format`; resolves with the recording's last state once the publisher is done. */
async function recordOnce(dir: string, format: RecordFormat, frames: number, during?: () => void): Promise<RecordingInfo> {
  const engine = new Engine({ port: 0, recordDir: dir, autoRecord: true, recordFormat: format });
  let last: RecordingInfo | undefined;
  let acted = false;
  const done = new Promise<void>((resolve) => engine.on('recording', (r) => {
    last = r;
    // `during` runs once the file has bytes on disk: the recording is under way, whatever the machine's load.
    if (during && !acted && r.state === 'recording' && r.bytes > 0) {
      acted = true;
      during();
    }
    if (r.state !== 'recording') resolve();
  }));
  const { port } = await engine.start();
  try {
    await ffmpegBframes(`rtmp://127.0.0.1:${port}/live/f`, frames, during ? ['-re'] : []);
    await done;
  } finally {
    await engine.stop();
  }
  return last!;
}

describe.skipIf(!need('ffmpeg', 'ffprobe'))('failed recordings', () => {
  const tmp = tempDir('rec-fail');
  afterAll(() => tmp.remove());

  for (const format of FORMATS) {
    it(`${format}: the folder deleted mid-recording fails the recording with the reason`, async () => {
      const dir = path.join(tmp.dir, `gone-${format}`);
      const rec = await recordOnce(dir, format, 90, () => fs.rmSync(dir, { recursive: true, force: true }));
      expect(rec.state).toBe('failed');
      expect(rec.error?.message).toMatch(/is gone \(ENOENT\).*deleted or moved/);
      expect(fs.existsSync(rec.file)).toBe(false);
    }, 20_000);

    it(`${format}: a disk full before the publish leaves no file, and says ENOSPC`, async () => {
      const d = smallDisk(path.join(tmp.dir, `full-${format}`), 64 * 1024);
      try {
        fill(d);
        const rec = await recordOnce(d.dir, format, 30);
        expect(rec.state, `${d.kind} disk`).toBe('failed');
        expect(rec.error?.message).toMatch(/ENOSPC/);
        expect(fs.readdirSync(d.dir).filter((f) => f !== 'filler')).toEqual([]);
      } finally {
        d.release();
      }
    }, 20_000);

    it(`${format}: a disk that fills mid-recording keeps what was written readable`, async () => {
      const d = smallDisk(path.join(tmp.dir, `fills-${format}`), 160 * 1024);
      try {
        const rec = await recordOnce(d.dir, format, 300);
        expect(rec.state, `${d.kind} disk`).toBe('failed');
        expect(rec.error?.message).toMatch(/ENOSPC/);
        expect(fs.existsSync(rec.file)).toBe(true);
        const p = await probe(rec.file);
        expect(streamOf(p, 'video')?.packets.length ?? 0).toBeGreaterThan(0);
      } finally {
        d.release();
      }
    }, 30_000);
  }
});
