import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ByteQueue } from '../../app/util/byte-queue.js';

/** 0, 1, 2, ... n-1 (mod 256). */
const seq = (n: number, from = 0): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (from + i) & 0xff));

/** A queue holding `data` pushed in pieces of the given sizes (the rest in one last piece). */
function queueOf(data: Buffer, pieces: number[]): ByteQueue {
  const q = new ByteQueue();
  let off = 0;
  for (const n of pieces) {
    q.push(data.subarray(off, off + n));
    off += n;
  }
  q.push(data.subarray(off));
  return q;
}

/** Every way this suite cuts the same 300 bytes into socket reads. */
const SEGMENTATIONS: { name: string; pieces: number[] }[] = [
  { name: 'one piece', pieces: [] },
  { name: 'two pieces', pieces: [150] },
  { name: 'one byte each', pieces: Array.from({ length: 299 }, () => 1) },
  { name: 'uneven', pieces: [1, 2, 3, 63, 64, 65, 7] },
  { name: 'with empty pushes', pieces: [0, 10, 0, 0, 20, 0] },
];

describe('ByteQueue', () => {
  const data = seq(300);

  describe.each(SEGMENTATIONS)('$name', ({ pieces }) => {
    it('holds every byte pushed', () => {
      expect(queueOf(data, pieces).length).toBe(300);
    });

    it('peekByte sees every byte without consuming', () => {
      const q = queueOf(data, pieces);
      for (let i = 0; i < 300; i++) expect(q.peekByte(i)).toBe(data[i]);
      expect(q.length).toBe(300);
    });

    it('peek gives the front bytes, small (scratch) and large (copy), without consuming', () => {
      const q = queueOf(data, pieces);
      for (const n of [1, 11, 18, 64, 65, 300]) expect(q.peek(n)).toEqual(data.subarray(0, n));
      expect(q.length).toBe(300);
    });

    it('read in steps of every size returns the bytes in order', () => {
      for (const step of [1, 2, 3, 7, 64, 65, 128, 299, 300]) {
        const q = queueOf(data, pieces);
        const out: Buffer[] = [];
        while (q.length > 0) out.push(Buffer.from(q.read(Math.min(step, q.length))));
        expect(Buffer.concat(out)).toEqual(data);
      }
    });

    it('readInto copies to the target offset and consumes', () => {
      const q = queueOf(data, pieces);
      const target = Buffer.alloc(310, 0xee);
      q.readInto(target, 5, 100);
      q.readInto(target, 105, 200);
      expect(q.length).toBe(0);
      expect(target.subarray(0, 5)).toEqual(Buffer.alloc(5, 0xee));
      expect(target.subarray(5, 305)).toEqual(data);
      expect(target.subarray(305)).toEqual(Buffer.alloc(5, 0xee));
    });

    it('skip drops bytes; what follows is intact', () => {
      const q = queueOf(data, pieces);
      q.skip(0);
      q.skip(1);
      expect(q.peekByte(0)).toBe(1);
      q.skip(149);
      expect(q.length).toBe(150);
      expect(q.read(150)).toEqual(data.subarray(150));
    });
  });

  it('read is zero-copy within one pushed segment and copies across two', () => {
    const a = seq(10);
    const b = seq(10, 10);
    const q = new ByteQueue();
    q.push(a);
    q.push(b);
    const first = q.read(4);
    const straddle = q.read(10);
    // Writing into the socket's buffers shows which reads are views of them.
    a.fill(0xaa);
    b.fill(0xbb);
    expect(first).toEqual(Buffer.alloc(4, 0xaa));
    expect(straddle).toEqual(seq(10, 4));
  });

  it('a peek across segments is only valid until the next call', () => {
    const q = new ByteQueue();
    q.push(seq(3));
    q.push(seq(3, 3));
    const v = Buffer.from(q.peek(5));
    expect(v).toEqual(seq(5));
    q.skip(1);
    expect(q.peek(5)).toEqual(seq(5, 1));
  });

  it('throws RangeError when asked for more than it holds, and consumes nothing', () => {
    const q = new ByteQueue();
    q.push(seq(4));
    expect(() => q.peek(5)).toThrow(RangeError);
    expect(() => q.read(5)).toThrow(RangeError);
    expect(() => q.readInto(Buffer.alloc(8), 0, 5)).toThrow(RangeError);
    expect(() => q.skip(5)).toThrow(RangeError);
    expect(q.length).toBe(4);
    expect(q.read(4)).toEqual(seq(4));
  });

  it('keeps order over many small pushes and partial reads (segment compaction)', () => {
    const q = new ByteQueue();
    const all = seq(5000);
    const out: Buffer[] = [];
    let pushed = 0;
    let i = 0;
    while (pushed < all.length) {
      const n = Math.min(1 + (i % 7), all.length - pushed);
      q.push(all.subarray(pushed, pushed + n));
      pushed += n;
      // Read less than was pushed so that many segments stay queued, then catch up.
      if (i % 50 === 49) out.push(Buffer.from(q.read(q.length)));
      else if (q.length > 3) out.push(Buffer.from(q.read(3)));
      i++;
    }
    out.push(Buffer.from(q.read(q.length)));
    expect(Buffer.concat(out)).toEqual(all);
  });

  it('keepLast: the unread rest of a reused read buffer survives the buffer being overwritten', () => {
    const data = seq(300);
    const shared = Buffer.alloc(128);
    const q = new ByteQueue();
    const out: number[] = [];
    // Reads of 100, 100, 100 bytes through one buffer, the way shared-reads.ts delivers them;
    // after each, take 70 bytes where available, keep the rest, and scribble over the buffer.
    for (let off = 0; off < 300; off += 100) {
      data.copy(shared, 0, off, off + 100);
      q.push(shared.subarray(0, 100));
      while (q.length >= 70) out.push(...q.read(70));
      q.keepLast();
      shared.fill(0xee);
    }
    out.push(...q.read(q.length));
    expect(Buffer.from(out).equals(data)).toBe(true);
  });

  it('keepLast copies only the last segment, and only its unread part', () => {
    const q = new ByteQueue();
    const older = seq(10);
    q.push(older);
    q.skip(4);
    q.keepLast();
    // The only segment was the last: its 6 unread bytes copied, the original no longer read.
    older.fill(0);
    expect([...q.peek(6)]).toEqual([4, 5, 6, 7, 8, 9]);
    const shared = seq(5, 100);
    q.push(shared);
    q.keepLast();
    shared.fill(0);
    expect([...q.read(11)]).toEqual([4, 5, 6, 7, 8, 9, 100, 101, 102, 103, 104]);
    // Nothing queued: nothing to keep.
    q.keepLast();
    expect(q.length).toBe(0);
  });

  it('clear forgets everything', () => {
    const q = new ByteQueue();
    q.push(seq(10));
    q.skip(3);
    q.clear();
    expect(q.length).toBe(0);
    q.push(seq(2, 100));
    expect(q.read(2)).toEqual(seq(2, 100));
  });

  it('reading 0 bytes from a non-empty queue gives an empty buffer', () => {
    const q = new ByteQueue();
    q.push(seq(2));
    expect(q.read(0).length).toBe(0);
    expect(q.peek(0).length).toBe(0);
    expect(q.length).toBe(2);
  });

  // BUG (app/util/byte-queue.ts, peek() line 40 and read() line 74): on an
  // empty queue `this.segments[this.first]` is undefined, so peek(0) and
  // read(0) throw "TypeError: Cannot read properties of undefined (reading
  // 'length')" instead of returning an empty buffer. The chunk decoder guards
  // its own zero-length read (chunk-decoder.ts line 206), so RTMP is not hit.
  it('reading 0 bytes from an empty queue gives an empty buffer', () => {
    const q = new ByteQueue();
    expect(q.read(0).length).toBe(0);
    expect(q.peek(0).length).toBe(0);
  });

  it('lets go of a consumed segment while a later one is still queued (socket reads die young)', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const q = new ByteQueue();
    // Made in a function so that nothing but the queue refers to the segments.
    const push = (): WeakRef<Buffer>[] =>
      Array.from({ length: 4 }, (_, i) => {
        const b = Buffer.alloc(64 * 1024, i);
        q.push(b);
        return new WeakRef(b);
      });
    const refs = push();
    q.push(Buffer.alloc(10));
    q.skip(4 * 64 * 1024 + 5); // every 64 KB segment consumed, the last one not
    expect(q.length).toBe(5);
    // A WeakRef holds its target until the end of the job that made it.
    await new Promise((r) => setImmediate(r));
    gc();
    expect(refs.map((r) => r.deref() === undefined)).toEqual([true, true, true, true]);
  });
});
