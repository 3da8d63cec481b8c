import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ConnectionClosed } from '../../app/contract/engine.js';
import { Engine } from '../../app/engine.js';
import type { PeerStream } from '../../app/server/connection.js';
import { prng } from '../support/prng.js';
import { tempDir } from '../e2e/publish-helpers.js';

/** A peer stream for a Connection: bytes in by emitting 'data', bytes out dropped. */
class FakeSocket extends EventEmitter implements PeerStream {
  remoteAddress = '127.0.0.1';
  remotePort = 1;
  pause(): void {}
  resume(): void {}
  write(): boolean {
    return true;
  }
  end(cb?: () => void): void {
    cb?.();
  }
  destroy(): void {}
}

const session = fs.readFileSync(new URL('../fixtures/sessions/ffmpeg-h264-aac.bin', import.meta.url));

/** A corrupted copy of the real session: bit flips, overwritten runs, cuts and splices. */
function mutate(rand: () => number): Buffer {
  let b = Buffer.from(session);
  const edits = 1 + Math.floor(rand() * 6);
  for (let e = 0; e < edits; e++) {
    // Keep most corruption past the handshake, where the parsers are.
    const at = 3073 + Math.floor(rand() * (b.length - 3073));
    switch (Math.floor(rand() * 5)) {
      case 0:
        b[at] ^= 1 << Math.floor(rand() * 8);
        break;
      case 1:
        b.fill(Math.floor(rand() * 256), at, at + 1 + Math.floor(rand() * 16));
        break;
      case 2:
        b = b.subarray(0, at);
        break;
      case 3: {
        const from = 3073 + Math.floor(rand() * (b.length - 3073));
        b = Buffer.concat([b.subarray(0, at), b.subarray(from, from + 1 + Math.floor(rand() * 2000)), b.subarray(at)]);
        break;
      }
      default:
        b.writeUInt32BE(Math.floor(rand() * 0xffffffff) >>> 0, Math.min(at, b.length - 4));
    }
  }
  return b;
}

describe('the engine under corrupted input', () => {
  it('2000 corrupted real sessions: nothing escapes, every connection ends with a reason, nothing is left behind', async () => {
    const tmp = tempDir('fuzz');
    const engine = new Engine({ port: 0, recordDir: tmp.dir, autoRecord: true, recordFormat: 'flv', limits: { maxMessageLength: 1 << 20 } });
    const closes: ConnectionClosed[] = [];
    engine.on('connection-close', (c) => closes.push(c));
    engine.on('message', () => {}); // decode every message for the timeline too
    const codes = new Map<string, number>();
    try {
      for (let i = 0; i < 2000; i++) {
        const rand = prng(1000 + i);
        const bytes = mutate(rand);
        const sock = new FakeSocket();
        engine.accept(sock);
        // Random read sizes; an exception escaping here would fail the test.
        for (let off = 0; off < bytes.length; ) {
          const n = 1 + Math.floor(rand() * 3000);
          sock.emit('data', bytes.subarray(off, off + n));
          off += n;
        }
        sock.emit('end');
        sock.emit('close');
        const c = closes[closes.length - 1];
        expect(c.reason.length, `seed ${1000 + i}`).toBeGreaterThan(0);
        const code = c.error?.code ?? `closed by ${c.by}`;
        codes.set(code, (codes.get(code) ?? 0) + 1);
        expect(c.error?.message ?? '', `seed ${1000 + i}`).not.toMatch(/internal error/);
      }
      expect(closes).toHaveLength(2000);
      expect(engine.connectionCount).toBe(0);
      expect(engine.streams()).toEqual([]);
      // The corruption was real: most sessions broke a rule, and said which.
      expect([...codes.entries()].filter(([k]) => !k.startsWith('closed by')).length).toBeGreaterThan(2);
    } finally {
      await engine.stop();
      tmp.remove();
    }
    console.log('fuzz close reasons:', Object.fromEntries(codes));
  });
});
