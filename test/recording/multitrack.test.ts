/**
 * An Enhanced RTMP v2 multitrack stream (two HEVC video tracks, ManyTracks)
 * recorded to MP4 and MKV: each track is its own track of the file, with
 * every frame (FLV keeps track 0 and says so: test/enhanced-rtmp).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingInfo } from '../../app/contract/engine.js';
import { Engine } from '../../app/engine.js';
import { publishHevc } from '../enhanced-rtmp/ertmp.js';
import { type HevcStream, encodeHevc, loadHevcStream } from '../enhanced-rtmp/hevc-annexb.js';
import { need } from '../support/tools.js';
import { probe } from './probe.js';

const FRAMES = 30;

describe.skipIf(!need('ffmpeg', 'ffprobe'))('a multitrack stream', () => {
  let tmp: string;
  let stream: HevcStream;
  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'intake-rec-mt-'));
    stream = loadHevcStream(await encodeHevc(tmp, FRAMES));
  }, 60_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  for (const format of ['mp4', 'mkv'] as const) {
    it(`two video tracks → both in the ${format}, counted exactly`, async () => {
      const engine = new Engine({ port: 0, recordDir: path.join(tmp, format), autoRecord: true, recordFormat: format });
      const finished = new Promise<RecordingInfo>((resolve) => engine.on('recording', (r) => r.state !== 'recording' && resolve(r)));
      try {
        const { port } = await engine.start();
        await publishHevc(`rtmp://127.0.0.1:${port}/live/mt`, stream, { kind: 'many-tracks', trackIds: [0, 1] });
        const rec = await finished;
        expect(rec).toMatchObject({ state: 'finished', videoFrames: FRAMES });
        const p = await probe(rec.file);
        expect(p.errors).toBe('');
        expect(p.streams.map((s) => [s.type, s.codec, s.packets.length])).toEqual([
          ['video', 'hevc', FRAMES],
          ['video', 'hevc', FRAMES],
        ]);
      } finally {
        await engine.stop();
      }
    });
  }
});
