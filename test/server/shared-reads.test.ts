/**
 * Accepted sockets reading into one shared buffer (app/server/shared-reads.ts),
 * over real TCP on 127.0.0.1: the bytes of several clients arrive whole and in
 * order, 'data' is never emitted, pause/resume and end/close behave as before,
 * and anything that is not an accepted net.Socket is left alone. It also
 * fails if this Node no longer has the fields the fast path needs, so an
 * upgrade that turns it off is noticed here rather than in a benchmark.
 */
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { readIntoSharedBuffer } from '../../app/server/shared-reads.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A server on a free port whose accepted sockets go to `onSocket`. */
async function server(onSocket: (s: net.Socket) => void): Promise<number> {
  const srv = net.createServer(onSocket);
  cleanups.push(() => srv.close());
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return (srv.address() as net.AddressInfo).port;
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1', () => resolve(c));
    c.on('error', reject);
    cleanups.push(() => c.destroy());
  });
}

/** `n` bytes of a pattern of its own per client. */
const pattern = (n: number, seed: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + seed * 31) & 0xff));

describe('readIntoSharedBuffer', () => {
  it('delivers every byte of two interleaved clients, in order, through one buffer, and no data events', async () => {
    const got = new Map<number, Buffer[]>();
    const views = new Set<ArrayBufferLike>();
    const ended: number[] = [];
    let dataEvents = 0;
    let hooked = 0;
    let next = 0;
    const done = new Promise<void>((resolve) => {
      void server((s) => {
        const id = next++;
        got.set(id, []);
        if (readIntoSharedBuffer(s, (b) => {
          views.add(b.buffer);
          // Valid only now: copied, as the transport copies what it keeps.
          got.get(id)!.push(Buffer.from(b));
        })) hooked++;
        s.on('data', () => dataEvents++);
        s.on('end', () => {
          ended.push(id);
          s.end();
          if (ended.length === 2) resolve();
        });
      }).then(async (port) => {
        const a = await connect(port);
        const b = await connect(port);
        for (let i = 0; i < 50; i++) {
          a.write(pattern(20_000, i));
          b.write(pattern(7_000, 100 + i));
        }
        a.end();
        b.end();
      });
    });
    await done;
    expect(hooked).toBe(2);
    expect(dataEvents).toBe(0);
    // Both sockets read into the same memory.
    expect(views.size).toBe(1);
    const want = (n: number, from: number): Buffer => Buffer.concat(Array.from({ length: 50 }, (_, i) => pattern(n, from + i)));
    // Which accepted socket is which client depends on accept order: match by length.
    const streams = [...got.values()].map((parts) => Buffer.concat(parts)).sort((x, y) => y.length - x.length);
    expect(streams[0].equals(want(20_000, 0))).toBe(true);
    expect(streams[1].equals(want(7_000, 100))).toBe(true);
  });

  it('pause stops the reads and resume brings the rest; end and close still come', async () => {
    let received = 0;
    let duringPause = 0;
    let paused = false;
    const events: string[] = [];
    const finished = new Promise<void>((resolve) => {
      void server((s) => {
        expect(
          readIntoSharedBuffer(s, (b) => {
            received += b.length;
            if (paused) duringPause += b.length;
            if (received >= 100_000 && !paused && duringPause === 0) {
              paused = true;
              s.pause();
              setTimeout(() => {
                paused = false;
                s.resume();
              }, 100);
            }
          }),
        ).toBe(true);
        s.on('end', () => events.push('end'));
        s.on('close', () => {
          events.push('close');
          resolve();
        });
        s.on('end', () => s.end());
      }).then(async (port) => {
        const c = await connect(port);
        c.end(Buffer.alloc(1_000_000, 1));
      });
    });
    await finished;
    expect(received).toBe(1_000_000);
    expect(duringPause).toBe(0);
    expect(events).toEqual(['end', 'close']);
  });

  it('leaves a stream that is not an accepted socket alone, and hooks a socket once', async () => {
    const memory = new PassThrough();
    expect(readIntoSharedBuffer(memory, () => {})).toBe(false);
    let second: boolean | null = null;
    const port = await server((s) => {
      readIntoSharedBuffer(s, () => {});
      second = readIntoSharedBuffer(s, () => {});
      s.destroy();
    });
    const c = await connect(port);
    await new Promise((resolve) => c.on('close', resolve));
    expect(second).toBe(false);
  });
});
