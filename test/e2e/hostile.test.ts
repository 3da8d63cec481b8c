import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionClosed, StreamStats } from '../../app/contract/engine.js';
import { Engine } from '../../app/engine.js';
import { ChunkEncoder } from '../../app/rtmp/chunk-encoder.js';
import { clientFinish, clientHello } from '../../app/rtmp/handshake.js';
import { RtmpPublisher } from '../../app/client/publisher.js';
import { probeFrames } from '../support/cli.js';
import { need } from '../support/tools.js';
import { ffmpegPublish, tempDir } from './publish-helpers.js';

/**
 * Bad input ends that connection with a clear reason; the process, the other
 * connections and their recordings carry on. A real ffmpeg publishes in real
 * time throughout, and must come out at 100 %.
 */
describe.skipIf(!need('ffmpeg', 'ffprobe'))('hostile clients beside a live publisher', () => {
  let engine: Engine;
  let port: number;
  let tmp: ReturnType<typeof tempDir>;
  const closes: ConnectionClosed[] = [];
  const finalStats = new Map<string, StreamStats>();
  let live: Promise<Awaited<ReturnType<typeof ffmpegPublish>>>;

  beforeAll(async () => {
    tmp = tempDir('hostile');
    engine = new Engine({ port: 0, recordDir: tmp.dir, autoRecord: true, limits: { handshakeTimeoutMs: 1500, idleTimeoutMs: 1500 } });
    engine.on('connection-close', (c) => closes.push(c));
    engine.on('stream-stats', (s) => finalStats.set(s.path, s));
    ({ port } = await engine.start());
    // 8 s of real-time H.264+AAC, running while every hostile test below runs.
    live = ffmpegPublish(`rtmp://127.0.0.1:${port}/live/steady`, 240, { realtime: true });
    await new Promise((r) => setTimeout(r, 800));
  });

  afterAll(async () => {
    await engine.stop();
    tmp.remove();
  });

  /** Open a raw TCP connection, run `act`, and wait for the server to close it; returns the close event. */
  const hostile = async (act: (s: net.Socket) => void | Promise<void>): Promise<ConnectionClosed> => {
    const before = closes.length;
    const s = net.connect({ host: '127.0.0.1', port });
    s.on('error', () => {});
    s.on('data', () => {});
    await new Promise((r) => s.once('connect', r));
    const localPort = s.localPort;
    await act(s);
    const deadline = Date.now() + 5000;
    for (;;) {
      const c = closes.slice(before).find((x) => x.connectionId > 0 && engineRemotePorts.get(x.connectionId) === localPort);
      if (c) {
        s.destroy();
        return c;
      }
      if (Date.now() > deadline) throw new Error('server did not close the connection');
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const engineRemotePorts = new Map<number, number>();
  beforeAll(() => {
    engine.on('connection-open', (c) => engineRemotePorts.set(c.connectionId, c.remotePort));
  });

  /** Complete a plain handshake on a raw socket. */
  const handshake = async (s: net.Socket): Promise<void> => {
    const { c0c1, state } = clientHello({ digest: false });
    s.write(c0c1);
    const got: Buffer[] = [];
    let n = 0;
    await new Promise<void>((resolve) => {
      const on = (b: Buffer): void => {
        got.push(b);
        n += b.length;
        if (n >= 3073) {
          s.off('data', on);
          resolve();
        }
      };
      s.on('data', on);
    });
    s.write(clientFinish(state, Buffer.concat(got).subarray(0, 3073)).c2);
  };

  it('garbage instead of a handshake', async () => {
    const c = await hostile((s) => void s.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')));
    expect(c.by).toBe('server');
    expect(c.error?.code).toBe('handshake');
    expect(c.reason).toMatch(/HTTP/);
  });

  it('a connection that never finishes the handshake', async () => {
    const c = await hostile((s) => void s.write(Buffer.concat([Buffer.from([3]), Buffer.alloc(700)])));
    expect(c.error?.code).toBe('handshake-timeout');
    expect(c.reason).toMatch(/701 bytes/);
  });

  it('a lying message length (above the limit)', async () => {
    const c = await hostile(async (s) => {
      await handshake(s);
      // fmt 0, csid 3, ts 0, length 0xFFFFFF, type 20, stream 0, then a few bytes.
      s.write(Buffer.from([0x03, 0, 0, 0, 0xff, 0xff, 0xff, 20, 0, 0, 0, 0, 1, 2, 3]));
    });
    expect(c.error?.code).toBe('message-too-large');
  });

  it('a lying message length (more bytes follow than it claims) ends in a clear error, not a hang', async () => {
    const c = await hostile(async (s) => {
      await handshake(s);
      const enc = new ChunkEncoder();
      const msg = enc.encode({ csid: 3, typeId: 20, streamId: 0, timestamp: 0, payload: Buffer.alloc(100, 0x41) });
      msg.writeUIntBE(10, 4, 3); // claims 10 bytes; the other 90 are read as chunk headers
      s.write(msg);
    });
    expect(c.by).toBe('server');
    expect(c.error?.code).toMatch(/chunk-header|amf|message|idle-timeout|message-too-large/);
  });

  it('a chunk size of 2^31-1 followed by nothing', async () => {
    const c = await hostile(async (s) => {
      await handshake(s);
      s.write(Buffer.from([0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff]));
    });
    expect(c.error?.code).toBe('idle-timeout');
  });

  it('an invalid chunk size (0)', async () => {
    const c = await hostile(async (s) => {
      await handshake(s);
      s.write(Buffer.from([0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0, 0, 0, 0]));
    });
    expect(c.error?.code).toBe('chunk-size');
  });

  it('an unknown message type', async () => {
    const c = await hostile(async (s) => {
      await handshake(s);
      s.write(Buffer.from([0x03, 0, 0, 0, 0, 0, 2, 42, 0, 0, 0, 0, 0xde, 0xad]));
    });
    expect(c.error?.code).toBe('message');
    expect(c.reason).toMatch(/unknown message type 42/);
  });

  it('a disconnect mid-message', async () => {
    const c = await hostile(async (s) => {
      await handshake(s);
      s.write(Buffer.from([0x03, 0, 0, 0, 0, 0x10, 0, 20, 0, 0, 0, 0, 2, 0, 7]));
      await new Promise((r) => setTimeout(r, 50));
      s.destroy();
    });
    expect(c.by).toBe('client');
    expect(c.reason).toMatch(/incomplete chunk discarded/);
  });

  it('a second publisher on a live key is refused and the first is unharmed', async () => {
    await expect(RtmpPublisher.publish(`rtmp://127.0.0.1:${port}/live/steady`)).rejects.toThrow(/NetStream.Publish.BadName/);
  });

  it('the real publisher beside them kept every frame, live and on disk', async () => {
    const out = await live;
    expect(out.code, out.log).toBe(0);
    for (let i = 0; i < 100 && engine.stream('live/steady'); i++) await new Promise((r) => setTimeout(r, 50));
    const s = finalStats.get('live/steady')!;
    expect(s.video.received).toBe(out.sent);
    expect(s.video.expected).toBe(out.sent);
    expect(s.recordedVideoFrames).toBe(out.sent);
    expect(s.audio.capturePercent).toBe(100);
    await engine.stop();
    const { readdirSync } = await import('node:fs');
    const file = readdirSync(tmp.dir).find((f) => f.startsWith('live_steady_'))!;
    const probe = await probeFrames(`${tmp.dir}/${file}`);
    expect(probe.errors).toBe('');
    expect(probe.video).toBe(out.sent);
  });
});

describe.skipIf(!need('ffmpeg', 'ffprobe'))('two publishers at once', () => {
  it('both on different keys at 100 %', async () => {
    const tmp = tempDir('two');
    const engine = new Engine({ port: 0, recordDir: tmp.dir, autoRecord: true });
    const finalStats = new Map<string, StreamStats>();
    engine.on('stream-stats', (s) => finalStats.set(s.path, s));
    try {
      const { port } = await engine.start();
      const [a, b] = await Promise.all([
        ffmpegPublish(`rtmp://127.0.0.1:${port}/live/a`, 150, { realtime: true }),
        ffmpegPublish(`rtmp://127.0.0.1:${port}/live/b`, 150, { realtime: true, size: '640x360' }),
      ]);
      for (let i = 0; i < 100 && engine.streams().length; i++) await new Promise((r) => setTimeout(r, 50));
      for (const [k, out] of [['live/a', a], ['live/b', b]] as const) {
        expect(out.code, out.log).toBe(0);
        const s = finalStats.get(k)!;
        expect([s.video.received, s.video.expected, s.recordedVideoFrames]).toEqual([out.sent, out.sent, out.sent]);
      }
    } finally {
      await engine.stop();
      tmp.remove();
    }
  });
});
