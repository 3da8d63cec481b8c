/**
 * The muxer's target (app/recording/muxer-target.ts) against a real file:
 * frames go to the disk by reference, the muxer's own bytes are copied,
 * patches inside the run land in place, a skipped field is zero-filled until
 * patched, a patch before the run goes out on its own, and coalesced runs
 * wait for 256 kB or the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSink } from '../../app/recording/file-sink.js';
import { MuxerTarget } from '../../app/recording/muxer-target.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function setup(coalesce = false): { target: MuxerTarget; frames: WeakSet<Uint8Array>; runs: { parts: Uint8Array[]; staged: boolean[]; pos: number }[]; file: string; fd: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-target-'));
  dirs.push(dir);
  const file = path.join(dir, 'out.bin');
  const fd = fs.openSync(file, 'w+');
  const sink = new FileSink(fd, (err) => {
    throw err;
  });
  const frames = new WeakSet<Uint8Array>();
  const runs: { parts: Uint8Array[]; staged: boolean[]; pos: number }[] = [];
  const target = new MuxerTarget(sink, frames, (parts, staged, pos) => runs.push({ parts: [...parts], staged: [...staged], pos }), () => coalesce);
  return { target, frames, runs, file, fd };
}

const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs);

describe('MuxerTarget', () => {
  it('keeps frames by reference, copies its own bytes, patches in place, and writes the file as given', async () => {
    const { target, frames, runs, file, fd } = setup();
    const frame = bytes(9, 9, 9, 9, 9);
    frames.add(frame);
    const scratch = bytes(0, 0, 0, 0);
    target._write(scratch, 0); // a box size placeholder, from a scratch buffer the muxer reuses
    scratch.set([1, 2, 3, 4]);
    target._write(scratch, 4);
    target._write(frame, 8);
    target._write(bytes(0, 0, 0, 13), 0); // the size, patched once known
    await target._flush();
    expect(runs).toHaveLength(1);
    expect(runs[0].parts[1]).toBe(frame); // the frame itself, not a copy
    expect(runs[0].staged).toEqual([true, false]);
    await target._finalize();
    fs.closeSync(fd);
    expect([...fs.readFileSync(file)]).toEqual([0, 0, 0, 13, 1, 2, 3, 4, 9, 9, 9, 9, 9]);
  });

  it('zero-fills a skipped size field until it is patched, and writes a patch before the run on its own', async () => {
    const { target, runs, file, fd } = setup();
    target._write(bytes(0x1f, 0x43), 0);
    target._write(bytes(7, 7, 7), 4); // 2 bytes skipped
    target._write(bytes(0x82, 0x03), 2);
    await target._flush();
    target._write(bytes(5, 5), 7);
    target._write(bytes(0x81), 2); // before the run now on its way
    await target._finalize();
    fs.closeSync(fd);
    expect(runs.map((r) => r.pos)).toEqual([0, 7]);
    expect([...fs.readFileSync(file)]).toEqual([0x1f, 0x43, 0x81, 0x03, 7, 7, 7, 5, 5]);
  });

  it('coalesced: flushes wait for 256 kB (or the end) before a run goes out', async () => {
    const { target, frames, runs, file, fd } = setup(true);
    let pos = 0;
    for (let i = 0; i < 10; i++) {
      const f = new Uint8Array(1000).fill(i);
      frames.add(f);
      target._write(f, pos);
      pos += f.byteLength;
      await target._flush();
    }
    expect(runs).toHaveLength(0);
    const big = new Uint8Array(300 * 1024).fill(0xaa);
    frames.add(big);
    target._write(big, pos);
    await target._flush();
    expect(runs).toHaveLength(1);
    expect(runs[0].parts).toHaveLength(11);
    await target._finalize();
    fs.closeSync(fd);
    expect(fs.statSync(file).size).toBe(10_000 + 300 * 1024);
  });
});
