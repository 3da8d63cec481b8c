/**
 * The recorder's one write queue (FileSink's and AppendWriter's): order, one
 * write in flight, short writes continued where the OS stopped, the bound,
 * and a failure reported once. The OS is a stand-in that answers when told,
 * so each case decides how much a write takes and when; the last case writes
 * a real file through `fs.write`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_QUEUED_BYTES, type WriteDone, WriteQueue } from '../../app/recording/write-queue.js';

interface Item {
  bytes: number;
  data: Buffer;
}

/** A disk that holds each write until the test answers it, taking at most `take` bytes a write. */
class SlowDisk {
  readonly file: number[] = [];
  readonly pending: { item: Item; done: number; cb: WriteDone }[] = [];
  calls: { done: number; len: number }[] = [];
  take = Infinity;
  readonly write = (item: Item, done: number, cb: WriteDone): void => {
    this.calls.push({ done, len: item.bytes - done });
    this.pending.push({ item, done, cb });
  };

  /** Answer the write in flight (there is at most one); with `err`, fail it. */
  answer(err?: NodeJS.ErrnoException): void {
    expect(this.pending.length).toBe(1);
    const { item, done, cb } = this.pending.shift()!;
    if (err) return cb(err, 0);
    const n = Math.min(this.take, item.bytes - done);
    this.file.push(...item.data.subarray(done, done + n));
    cb(null, n);
  }

  /** Answer until nothing is in flight. */
  answerAll(): void {
    while (this.pending.length) this.answer();
  }
}

const item = (n: number, fill: number): Item => ({ bytes: n, data: Buffer.alloc(n, fill) });

describe('WriteQueue', () => {
  it('writes items in the order queued, one in flight at a time, and calls back once per item written', async () => {
    const disk = new SlowDisk();
    const done: number[] = [];
    const q = new WriteQueue<Item>(disk.write, (e) => expect.fail(e.message), (it) => done.push(it.data[0]));
    for (let i = 1; i <= 5; i++) q.push(item(i * 10, i));
    expect(disk.pending.length).toBe(1);
    expect(q.backlog).toBe(150);
    let drained = false;
    void q.drain().then(() => (drained = true));
    disk.answer();
    expect(disk.pending.length).toBe(1);
    expect(done).toEqual([1]);
    disk.answerAll();
    await Promise.resolve();
    expect(drained).toBe(true);
    expect(done).toEqual([1, 2, 3, 4, 5]);
    expect(Buffer.from(disk.file)).toEqual(Buffer.concat([1, 2, 3, 4, 5].map((i) => Buffer.alloc(i * 10, i))));
    expect(q.written).toBe(150);
    expect(q.backlog).toBe(0);
  });

  it('a short write goes on from where the OS stopped, and the item counts as written only when whole', () => {
    const disk = new SlowDisk();
    disk.take = 7;
    const done: number[] = [];
    const q = new WriteQueue<Item>(disk.write, (e) => expect.fail(e.message), (it) => done.push(it.bytes));
    q.push(item(20, 0xaa));
    q.push(item(3, 0xbb));
    disk.answer();
    disk.answer();
    expect(done).toEqual([]);
    expect(q.written).toBe(14);
    disk.answerAll();
    expect(disk.calls).toEqual([
      { done: 0, len: 20 },
      { done: 7, len: 13 },
      { done: 14, len: 6 },
      { done: 0, len: 3 },
    ]);
    expect(done).toEqual([20, 3]);
    expect(Buffer.from(disk.file)).toEqual(Buffer.concat([Buffer.alloc(20, 0xaa), Buffer.alloc(3, 0xbb)]));
  });

  it('past MAX_QUEUED_BYTES not taken it fails once, drops the queue, ignores later items and lets drain resolve', async () => {
    const disk = new SlowDisk();
    const errors: Error[] = [];
    const q = new WriteQueue<Item>(disk.write, (e) => errors.push(e));
    const big = { bytes: MAX_QUEUED_BYTES / 4, data: Buffer.alloc(1) };
    for (let i = 0; i < 4; i++) q.push(big);
    expect(errors).toEqual([]);
    const drained = q.drain();
    q.push(item(1, 1));
    expect(errors.map((e) => e.message)).toEqual(['the disk has not taken 64 MB of queued writes']);
    expect(q.failed).toBe(errors[0]);
    expect(q.backlog).toBe(0);
    // The write in flight ends (the fd stays open until then); nothing queued before the failure follows it.
    disk.answer();
    await drained;
    q.push(item(1, 1));
    expect(errors.length).toBe(1);
    expect(disk.calls.length).toBe(1);
    expect(q.backlog).toBe(0);
  });

  it('a failed write fails the queue once: nothing after it is written, drain resolves', async () => {
    const disk = new SlowDisk();
    const errors: Error[] = [];
    const q = new WriteQueue<Item>(disk.write, (e) => errors.push(e));
    q.push(item(4, 1));
    q.push(item(4, 2));
    q.push(item(4, 3));
    disk.answer();
    const drained = q.drain();
    disk.answer(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
    await drained;
    expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toEqual(['ENOSPC']);
    expect(disk.pending.length).toBe(0);
    expect(disk.calls.length).toBe(2);
    expect(q.written).toBe(4);
    q.push(item(4, 4));
    expect(disk.calls.length).toBe(2);
  });

  it('a write the OS answers with 0 bytes fails the queue instead of asking again forever', () => {
    const disk = new SlowDisk();
    disk.take = 0;
    const errors: Error[] = [];
    const q = new WriteQueue<Item>(disk.write, (e) => errors.push(e));
    q.push(item(4, 1));
    disk.answer();
    expect(errors.length).toBe(1);
    expect(disk.pending.length).toBe(0);
  });

  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('appends to a real file through fs.write, in order', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-wq-'));
    dirs.push(dir);
    const file = path.join(dir, 'out.bin');
    const fd = fs.openSync(file, 'w');
    const q = new WriteQueue<Item>((it, done, cb) => fs.write(fd, it.data, done, it.bytes - done, null, cb), (e) => expect.fail(e.message));
    const items = Array.from({ length: 200 }, (_, i) => item(1 + ((i * 7919) % 70_000), i & 0xff));
    for (const it of items) q.push(it);
    await q.drain();
    fs.closeSync(fd);
    expect(fs.readFileSync(file).equals(Buffer.concat(items.map((it) => it.data)))).toBe(true);
  });
});
