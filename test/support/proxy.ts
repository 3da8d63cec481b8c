import net from 'node:net';
import { prng } from './prng.js';

export { prng };


export interface SegmentingProxy {
  port: number;
  /** Client-to-server bytes forwarded so far, and the number of writes they took. */
  stats(): { bytes: number; writes: number };
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of `target` that re-segments the client's bytes into
 * random pieces of 1..maxPiece bytes, each written on its own with Nagle off,
 * and pauses a little now and then so the receiver's reads end anywhere:
 * mid-header, mid-payload, between chunks.
 */
export function segmentingProxy(targetPort: number, opts: { seed: number; maxPiece: number; pauseEvery?: number; pauseMs?: number }): Promise<SegmentingProxy> {
  const rand = prng(opts.seed);
  let bytes = 0;
  let writes = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    sockets.add(client);
    sockets.add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    upstream.on('data', (b: Buffer) => client.write(b));
    // Serialise the pieces: one pending buffer, written piece by piece with occasional pauses.
    const queue: Buffer[] = [];
    let pumping = false;
    let ended = false;
    const pump = async (): Promise<void> => {
      if (pumping) return;
      pumping = true;
      let n = 0;
      while (queue.length) {
        const buf = queue.shift()!;
        let off = 0;
        while (off < buf.length) {
          const size = 1 + Math.floor(rand() * opts.maxPiece);
          const piece = buf.subarray(off, off + size);
          off += piece.length;
          bytes += piece.length;
          writes++;
          upstream.write(piece);
          if (++n % (opts.pauseEvery ?? 64) === 0) await new Promise((r) => setTimeout(r, opts.pauseMs ?? 1));
        }
      }
      pumping = false;
      if (ended) upstream.end();
    };
    client.on('data', (b: Buffer) => {
      queue.push(b);
      void pump();
    });
    client.on('end', () => {
      ended = true;
      if (!pumping) upstream.end();
    });
    upstream.on('end', () => client.end());
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        stats: () => ({ bytes, writes }),
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}
