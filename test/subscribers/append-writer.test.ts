import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppendWriter, MIN_STAGING } from '../../app/subscribers/append-writer.js';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function open(): { file: string; fd: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-aw-'));
  dirs.push(dir);
  const file = path.join(dir, 'out.bin');
  return { file, fd: fs.openSync(file, 'w') };
}

/** Append `sizes.length` records, each filled with its index, advancing the clock `msPerRecord` each; returns what was appended. */
function append(w: AppendWriter, sizes: number[], msPerRecord = 0): Buffer {
  let now = 0;
  if (msPerRecord > 0) vi.spyOn(performance, 'now').mockImplementation(() => now);
  const expected: Buffer[] = [];
  sizes.forEach((n, i) => {
    const { buf, off } = w.reserve(n);
    buf.fill(i & 0xff, off, off + n);
    expected.push(Buffer.alloc(n, i & 0xff));
    now += msPerRecord;
  });
  return Buffer.concat(expected);
}

/** Append records of `sizes` through a new writer, `msPerRecord` apart; checks the file is exactly them, and returns each write's size. */
async function writeSizes(sizes: number[], msPerRecord = 0): Promise<number[]> {
  const { file, fd } = open();
  const writes = vi.spyOn(fs, 'write');
  const w = new AppendWriter(fd, (err) => expect.fail(err.message));
  const expected = append(w, sizes, msPerRecord);
  await w.drain();
  fs.closeSync(fd);
  expect(w.written).toBe(expected.length);
  expect(fs.readFileSync(file).equals(expected)).toBe(true);
  return writes.mock.calls.map((c) => (c[1] as unknown as Buffer).length);
}

describe('AppendWriter', () => {
  it('writes every byte in order, whatever the record sizes (1 byte to 300 kB)', async () => {
    await writeSizes(Array.from({ length: 400 }, (_, i) => [1, 11, 4096, 70_000, 300_000, 15][i % 6]));
  });

  it('a 2 Mbit/s stream is written in blocks of MIN_STAGING (80 kB): 800 kB is 10 writes, not one per tag', async () => {
    // 2 kB every 8 ms: 250 kB/s.
    const tags = (10 * MIN_STAGING) / 2048;
    const sizes = await writeSizes(new Array<number>(tags).fill(2048), 8);
    expect(sizes.length).toBe(10);
    expect(new Set(sizes)).toEqual(new Set([MIN_STAGING]));
  });

  it('a stream as fast as the socket gets staging that doubles up to 1 MB, so 16 MB is a few dozen writes', async () => {
    const sizes = await writeSizes(new Array<number>(4096).fill(4096), 0);
    expect(Math.max(...sizes)).toBe(1024 * 1024);
    expect(sizes.length).toBeLessThan(30);
  });
});
