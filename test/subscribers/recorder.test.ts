import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeAmf0All } from '../../app/amf/amf0.js';
import { readFlvFile } from '../../app/flv/flv-reader.js';
import type { MediaTag } from '../../app/streams/media-tag.js';
import { FlvRecorder } from '../../app/subscribers/recorder.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function recorder(flags = { audio: true, video: true }): FlvRecorder {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-rec-'));
  dirs.push(dir);
  return FlvRecorder.open({ dir, app: 'live', key: 't', streamPath: 'live/t', flags: () => flags });
}

function tag(type: 8 | 9 | 18, timestamp: number, body: Buffer, frame = type !== 18): MediaTag {
  return { type, timestamp, body, frame, keyframe: false, sequenceHeader: false };
}

describe('FlvRecorder', () => {
  it('writes the header, its own onMetaData, then every tag rebased to the first, and patches duration and filesize', async () => {
    const r = recorder({ audio: false, video: true });
    const meta = { width: 320, framerate: 30, encoder: 'test' };
    r.tag({ ...tag(18, 1000, Buffer.from('ignored')), meta });
    const reused = Buffer.from('1701000000aa', 'hex');
    r.tag(tag(9, 1000, reused));
    reused.fill(0xee); // the engine's buffer, overwritten after tag() returns
    r.tag(tag(8, 1010, Buffer.from('af01bb', 'hex')));
    r.tag(tag(9, 3500, Buffer.from('2701000000cc', 'hex')));
    await r.close();
    const bytes = fs.readFileSync(r.file);
    const { header, tags, truncatedTail } = readFlvFile(bytes);
    expect(header).toMatchObject({ audio: false, video: true });
    expect(truncatedTail).toBe(0);
    expect(tags.map((t) => [t.type, t.timestamp])).toEqual([[18, 0], [9, 0], [8, 10], [9, 2500]]);
    expect(Buffer.from(tags[1].body).toString('hex')).toBe('1701000000aa');
    const [name, values] = decodeAmf0All(tags[0].body) as [string, Record<string, unknown>];
    expect(name).toBe('onMetaData');
    expect(values).toMatchObject({ width: 320, framerate: 30, encoder: 'test', duration: 2.5, filesize: bytes.length });
    expect(r.info()).toMatchObject({ state: 'finished', videoFrames: 2, audioFrames: 1, durationMs: 2500, bytes: bytes.length });
  });

  it('writes an onMetaData of its own when the stream sent none', async () => {
    const r = recorder();
    r.tag(tag(9, 40, Buffer.from('1701000000aa', 'hex')));
    r.tag(tag(9, 140, Buffer.from('2701000000aa', 'hex')));
    await r.close();
    const { tags } = readFlvFile(fs.readFileSync(r.file));
    expect(tags.map((t) => t.type)).toEqual([18, 9, 9]);
    expect(decodeAmf0All(tags[0].body)[1]).toMatchObject({ duration: 0.1 });
  });

  it("a slow stream's bytes reach the file about a second after they arrive, not only when its staging fills", async () => {
    const r = recorder({ audio: false, video: true });
    r.tag(tag(9, 0, Buffer.from('1701000000aa', 'hex')));
    const t0 = performance.now();
    // Nothing fills the 80 kB staging: only the recorder's timer can write it.
    let size = fs.statSync(r.file).size;
    while (size === 0 && performance.now() - t0 < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      size = fs.statSync(r.file).size;
    }
    const waited = performance.now() - t0;
    expect(size).toBeGreaterThan(0);
    // Not at once (the staging holds it), and not later than the timer's second plus a loaded machine's slack.
    expect(waited).toBeGreaterThan(900);
    expect(waited).toBeLessThan(5000);
    await r.close();
    expect(readFlvFile(fs.readFileSync(r.file)).tags.map((t) => t.type)).toEqual([18, 9]);
  });
});
