import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { TestContext } from 'vitest';
import { ErrorCode, RtmpError } from '../../app/errors.js';
import { HANDSHAKE_PACKET_SIZE, clientFinish, clientHello, serverHandshake } from '../../app/rtmp/handshake.js';
import type { ServerHandshakeResult } from '../../app/rtmp/handshake.js';

// ---------------------------------------------------------------------------
// An independent re-statement of the digest rules, so the tests do not merely
// check the module against itself.

const TAIL = Buffer.from(
  'f0eec24a8068bee82e00d0d1029e7e576eec5d2d29806fab93b8e636cfeb31ae',
  'hex',
);
const SERVER_KEY = Buffer.concat([Buffer.from('Genuine Adobe Flash Media Server 001'), TAIL]);
const CLIENT_KEY = Buffer.concat([Buffer.from('Genuine Adobe Flash Player 001'), TAIL]);

const hmac = (key: Uint8Array, ...parts: Uint8Array[]): Buffer => {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest();
};

function offsetOf(packet: Buffer, schema: 0 | 1): number {
  const base = schema === 0 ? 772 : 8;
  return ((packet[base] + packet[base + 1] + packet[base + 2] + packet[base + 3]) % 728) + base + 4;
}

/** The digest at the schema's offset if it is valid for `key`, else null. */
function validDigest(packet: Buffer, schema: 0 | 1, key: Uint8Array): Buffer | null {
  const off = offsetOf(packet, schema);
  const digest = packet.subarray(off, off + 32);
  return hmac(key, packet.subarray(0, off), packet.subarray(off + 32)).equals(digest) ? Buffer.from(digest) : null;
}

/** Does the last 32 bytes of a C2/S2 sign it for `peerDigest` with `fullKey`? */
function signatureValid(packet: Buffer, fullKey: Uint8Array, peerDigest: Uint8Array): boolean {
  const key = hmac(fullKey, peerDigest);
  return hmac(key, packet.subarray(0, 1504)).equals(packet.subarray(1504));
}

/** Deterministic "random" source. */
function counterRandom(seed = 1): (n: number) => Buffer {
  let x = seed;
  return (n) => {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      b[i] = x >>> 24;
    }
    return b;
  };
}

function plainC0C1(time = 1234, version = [0, 0, 0, 0]): Buffer {
  const b = Buffer.alloc(1 + HANDSHAKE_PACKET_SIZE);
  b[0] = 3;
  b.writeUInt32BE(time, 1);
  b.set(version, 5);
  counterRandom(7)(HANDSHAKE_PACKET_SIZE - 8).copy(b, 9);
  return b;
}

const split = (response: Buffer) => ({
  s0: response[0],
  s1: response.subarray(1, 1 + HANDSHAKE_PACKET_SIZE),
  s2: response.subarray(1 + HANDSHAKE_PACKET_SIZE),
});

function handshakeError(fn: () => unknown): RtmpError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RtmpError);
    expect((err as RtmpError).code).toBe(ErrorCode.Handshake);
    return err as RtmpError;
  }
  throw new Error('expected a handshake error');
}

// ---------------------------------------------------------------------------

describe('serverHandshake', () => {
  it('rejects a C0 other than 3 and names the byte', () => {
    const c = plainC0C1();
    c[0] = 6;
    expect(handshakeError(() => serverHandshake(c)).message).toBe(
      'unsupported RTMP version 6 (encrypted RTMPE is not supported)',
    );
    c[0] = 0;
    expect(handshakeError(() => serverHandshake(c)).message).toBe('unsupported RTMP version 0 (only version 3 is supported)');
    c[0] = 0x16;
    expect(handshakeError(() => serverHandshake(c)).message).toMatch(/version 22 .*TLS/);
    c[0] = 0x47; // "GET /"
    expect(handshakeError(() => serverHandshake(c)).message).toMatch(/version 71 .*HTTP/);
  });

  it('rejects C0+C1 of the wrong length', () => {
    expect(handshakeError(() => serverHandshake(plainC0C1().subarray(0, 1000))).message).toMatch(/1537 bytes, got 1000/);
  });

  it('answers a plain C1 (zero version) with an echo', () => {
    const c0c1 = plainC0C1(0xdeadbeef);
    const r = serverHandshake(c0c1, { now: 42, random: counterRandom(3) });
    expect(r.kind).toBe('plain');
    expect(r.schema).toBeNull();
    expect(r.clientVersion).toBe('0.0.0.0');
    expect(r.clientTime).toBe(0xdeadbeef);
    expect(r.response.length).toBe(1 + 2 * HANDSHAKE_PACKET_SIZE);
    const { s0, s1, s2 } = split(r.response);
    expect(s0).toBe(3);
    expect(s1.readUInt32BE(0)).toBe(42);
    expect([...s1.subarray(4, 8)]).toEqual([0, 0, 0, 0]);
    expect(s2.equals(c0c1.subarray(1))).toBe(true);
  });

  it('accepts any Uint8Array view, not only a Buffer', () => {
    const backing = new Uint8Array(10 + 1537);
    backing.set(plainC0C1(99), 10);
    const r = serverHandshake(backing.subarray(10));
    expect(r.kind).toBe('plain');
    expect(r.clientTime).toBe(99);
    expect(split(r.response).s2.equals(Buffer.from(backing.subarray(11)))).toBe(true);
  });

  for (const schema of [0, 1] as const) {
    it(`answers a digest C1 (schema ${schema}) with a digest S1 and a signed S2`, () => {
      const { c0c1 } = clientHello({ digest: true, schema, now: 7, random: counterRandom(schema + 10) });
      const c1 = c0c1.subarray(1);
      const clientDigest = validDigest(c1, schema, CLIENT_KEY.subarray(0, 30));
      expect(clientDigest).not.toBeNull();

      const r = serverHandshake(c0c1, { now: 1000 });
      expect(r.kind).toBe('digest');
      expect(r.schema).toBe(schema);
      expect(r.clientVersion).toBe('10.0.45.2');
      expect(r.clientTime).toBe(7);
      const { s0, s1, s2 } = split(r.response);
      expect(s0).toBe(3);
      expect(s1.readUInt32BE(0)).toBe(1000);
      expect(s1.readUInt32BE(4)).not.toBe(0);
      // S1's digest sits where the client's did, keyed with the 36-byte server key.
      expect(validDigest(s1, schema, SERVER_KEY.subarray(0, 36))).not.toBeNull();
      expect(validDigest(s1, schema, CLIENT_KEY.subarray(0, 30))).toBeNull();
      // S2 is signed with HMAC(68-byte server key, client digest).
      expect(signatureValid(s2, SERVER_KEY, clientDigest!)).toBe(true);
      expect(s2.equals(c1)).toBe(false);
    });
  }

  it('falls back to plain when the version is set but the digest is wrong', () => {
    const { c0c1 } = clientHello({ digest: true, schema: 1 });
    const off = offsetOf(c0c1.subarray(1), 1);
    c0c1[1 + off] ^= 0xff; // corrupt the digest
    const r = serverHandshake(c0c1);
    expect(r.kind).toBe('plain');
    expect(r.schema).toBeNull();
    expect(r.clientVersion).toBe('10.0.45.2');
    expect(split(r.response).s2.equals(c0c1.subarray(1))).toBe(true);

    // A versioned C1 with no digest at all.
    const random = plainC0C1(5, [9, 0, 124, 2]);
    const r2 = serverHandshake(random);
    expect(r2.kind).toBe('plain');
    expect(r2.clientVersion).toBe('9.0.124.2');
  });

  it('is deterministic given now and random', () => {
    const { c0c1 } = clientHello({ now: 1, random: counterRandom(5) });
    const a = serverHandshake(c0c1, { now: 2, random: counterRandom(6) });
    const b = serverHandshake(c0c1, { now: 2, random: counterRandom(6) });
    expect(a.response.equals(b.response)).toBe(true);
  });
});

describe('clientHello + serverHandshake + clientFinish', () => {
  it('round-trips the plain handshake', () => {
    const { c0c1, state } = clientHello({ digest: false, now: 5 });
    expect([...c0c1.subarray(5, 9)]).toEqual([0, 0, 0, 0]);
    const server = serverHandshake(c0c1);
    expect(server.kind).toBe('plain');
    const { c2, serverKind } = clientFinish(state, server.response);
    expect(serverKind).toBe('plain');
    expect(c2.equals(split(server.response).s1)).toBe(true);
  });

  for (const schema of [0, 1] as const) {
    it(`round-trips the digest handshake (schema ${schema})`, () => {
      const { c0c1, state } = clientHello({ digest: true, schema });
      const server = serverHandshake(c0c1);
      expect(server.kind).toBe('digest');
      const { c2, serverKind } = clientFinish(state, server.response);
      expect(serverKind).toBe('digest');
      expect(c2.length).toBe(HANDSHAKE_PACKET_SIZE);
      const serverDigest = validDigest(split(server.response).s1, schema, SERVER_KEY.subarray(0, 36));
      expect(signatureValid(c2, CLIENT_KEY, serverDigest!)).toBe(true);
    });
  }

  it('defaults to a schema-1 digest C1', () => {
    const { c0c1 } = clientHello();
    expect(validDigest(c0c1.subarray(1), 1, CLIENT_KEY.subarray(0, 30))).not.toBeNull();
  });

  it('echoes S1 when a digest client meets a plain server', () => {
    const { state } = clientHello({ digest: true });
    const plain = serverHandshake(plainC0C1());
    const { c2, serverKind } = clientFinish(state, plain.response);
    expect(serverKind).toBe('plain');
    expect(c2.equals(split(plain.response).s1)).toBe(true);
  });

  it('rejects a bad S0, a short answer and a bad S2 signature', () => {
    const { c0c1, state } = clientHello({ digest: true });
    const response = Buffer.from(serverHandshake(c0c1).response);
    expect(() => clientFinish(state, response.subarray(0, 100))).toThrow(/3073 bytes, got 100/);
    response[response.length - 1] ^= 1;
    expect(handshakeError(() => clientFinish(state, response)).message).toMatch(/S2 signature/);
    response[0] = 6;
    expect(handshakeError(() => clientFinish(state, response)).message).toBe(
      'server answered with unsupported RTMP version 6 (encrypted RTMPE is not supported)',
    );
  });
});

// ---------------------------------------------------------------------------
// Real peers.

function commandWorks(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000 });
  return r.error === undefined && r.status === 0;
}

/** Skip with `message` when a tool is missing, or fail under CI. */
function requireTool(ctx: TestContext, available: boolean, message: string): void {
  if (available) return;
  if (process.env.CI) throw new Error(message);
  ctx.skip(message);
}

interface PeerHandshake {
  result: ServerHandshakeResult;
  c2: Buffer;
}

/**
 * Listen on 127.0.0.1:0, run the peer against it, answer its C0+C1 with
 * serverHandshake, read its C2, then hang up. Stops the server and the peer.
 */
async function handshakeWithPeer(command: string, args: (port: number) => string[]): Promise<PeerHandshake> {
  const sockets = new Set<Socket>();
  let child: ChildProcess | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stderr = '';

  const server = createServer();
  const done = new Promise<PeerHandshake>((resolve, reject) => {
    server.on('connection', (socket) => {
      sockets.add(socket);
      let buffered = Buffer.alloc(0);
      let result: ServerHandshakeResult | undefined;
      socket.on('error', () => {});
      socket.on('data', (data) => {
        buffered = Buffer.concat([buffered, data]);
        try {
          if (!result && buffered.length >= 1537) {
            result = serverHandshake(buffered.subarray(0, 1537));
            buffered = buffered.subarray(1537);
            socket.write(result.response);
          }
          if (result && buffered.length >= HANDSHAKE_PACKET_SIZE) {
            resolve({ result, c2: Buffer.from(buffered.subarray(0, HANDSHAKE_PACKET_SIZE)) });
            socket.destroy();
          }
        } catch (err) {
          reject(err as Error);
          socket.destroy();
        }
      });
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    const proc = spawn(command, args(port), { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    proc.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 10_000) stderr += d.toString();
    });
    const failed = new Promise<never>((_, reject) => {
      proc.once('error', reject);
      proc.once('exit', (code, signal) =>
        reject(new Error(`${command} exited (${signal ?? code}) before the handshake finished:\n${stderr}`)),
      );
      timer = setTimeout(() => reject(new Error(`no handshake from ${command} within 30 s:\n${stderr}`)), 30_000);
    });
    return await Promise.race([done, failed]);
  } finally {
    clearTimeout(timer);
    for (const s of sockets) s.destroy();
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('real peers', () => {
  it('completes the handshake with ffmpeg', async (ctx) => {
    requireTool(ctx, commandWorks('ffmpeg', ['-hide_banner', '-version']), 'install ffmpeg (apt-get install ffmpeg)');
    const { result, c2 } = await handshakeWithPeer('ffmpeg', (port) => [
      '-nostdin', '-hide_banner', '-loglevel', 'error',
      '-re', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5', '-t', '1',
      '-c:v', 'libx264', '-f', 'flv', `rtmp://127.0.0.1:${port}/live/x`,
    ]);
    const s1 = split(result.response).s1;
    await ctx.annotate(
      `ffmpeg: ${result.kind} handshake, schema ${result.schema}, client version ${result.clientVersion}, ` +
        `C2 ${c2.equals(s1) ? 'echoes S1' : 'is a digest response'}`,
    );
    // ffmpeg always sends a schema-1 digest C1 as Flash 9.0.124.2; as a publisher it
    // does not check S1/S2 and simply echoes S1.
    expect(result.kind).toBe('digest');
    expect(result.schema).toBe(1);
    expect(result.clientVersion).toBe('9.0.124.2');
    expect(c2.equals(s1)).toBe(true);
  });

  it('passes ffmpeg\'s own S2 check when ffmpeg plays', async (ctx) => {
    requireTool(ctx, commandWorks('ffmpeg', ['-hide_banner', '-version']), 'install ffmpeg (apt-get install ffmpeg)');
    // As a player ffmpeg validates S1's digest and S2's signature ("Signature mismatch")
    // and only then answers with a digest C2: a real check of our digest response.
    const { result, c2 } = await handshakeWithPeer('ffmpeg', (port) => [
      '-nostdin', '-hide_banner', '-loglevel', 'error',
      '-i', `rtmp://127.0.0.1:${port}/live/x`, '-f', 'null', '-',
    ]);
    expect(result.kind).toBe('digest');
    const serverDigest = validDigest(split(result.response).s1, result.schema!, SERVER_KEY.subarray(0, 36));
    expect(signatureValid(c2, CLIENT_KEY, serverDigest!)).toBe(true);
  });

  it('completes the handshake with GStreamer rtmpsink (librtmp)', async (ctx) => {
    const gst = 'install GStreamer (apt-get install gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly)';
    requireTool(
      ctx,
      commandWorks('gst-launch-1.0', ['--version']) &&
        ['videotestsrc', 'x264enc', 'flvmux', 'rtmpsink'].every((el) => commandWorks('gst-inspect-1.0', ['--exists', el])),
      gst,
    );
    const { result, c2 } = await handshakeWithPeer('gst-launch-1.0', (port) => [
      '-q', 'videotestsrc', 'num-buffers=10', '!', 'x264enc', '!', 'flvmux', '!',
      'rtmpsink', `location=rtmp://127.0.0.1:${port}/live/x`,
    ]);
    const s1 = split(result.response).s1;
    await ctx.annotate(
      `librtmp: ${result.kind} handshake, schema ${result.schema}, client version ${result.clientVersion}, ` +
        `C2 ${c2.equals(s1) ? 'echoes S1' : 'is a digest response'}`,
    );
    // librtmp only does the FP9 digest handshake for RTMPE or SWF verification;
    // a plain rtmp:// publish sends a zero version and echoes S1.
    expect(result.kind).toBe('plain');
    expect(result.clientVersion).toBe('0.0.0.0');
    expect(c2.equals(s1)).toBe(true);
  });
});
