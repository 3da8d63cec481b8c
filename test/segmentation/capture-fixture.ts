/**
 * Captures a real ffmpeg publish session as a replayable fixture.
 *
 *   npx tsx test/segmentation/capture-fixture.ts
 *
 * A TCP proxy on 127.0.0.1 sits in front of the in-process engine; ffmpeg
 * publishes through it, and every client→server byte (C0C1, C2, then chunks)
 * is saved to test/fixtures/sessions/ffmpeg-h264-aac.bin. The same encode is
 * also written to a local FLV through ffmpeg's tee muxer, and ffprobe counts
 * its packets: together with ffmpeg's own `frame=` that is what the publisher
 * sent, saved beside the bytes as ffmpeg-h264-aac.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../app/engine.js';
import { decodeAmfPayload } from '../../app/rtmp/command.js';
import { RtmpTransport } from '../../app/rtmp/transport.js';

const OUT_DIR = fileURLToPath(new URL('../fixtures/sessions/', import.meta.url));
const NAME = 'ffmpeg-h264-aac';

/** The fixture's description, as the replay test reads it. */
export interface SessionFixture {
  /** How the bytes were produced. */
  command: string;
  ffmpegVersion: string;
  /** ffmpeg's last `frame=` on stderr: video frames it sent. */
  ffmpegFrames: number;
  /** ffprobe of the same encode (tee'd to a file): packets per stream. */
  ffprobe: { videoPackets: number; audioPackets: number };
  /** Client bytes: C0+C1, then C2, then chunks. */
  bytes: number;
  c0c1: number;
  c2: number;
  sha256: string;
}

/** A proxy that records what the client sends. Resolves with the bytes once the client has closed. */
function startProxy(target: number): Promise<{ port: number; done: Promise<Buffer>; close: () => void }> {
  return new Promise((resolve) => {
    let finish: (b: Buffer) => void = () => {};
    const done = new Promise<Buffer>((r) => (finish = r));
    const server = net.createServer((client) => {
      server.close();
      const recorded: Buffer[] = [];
      const upstream = net.connect(target, '127.0.0.1');
      client.setNoDelay(true);
      upstream.setNoDelay(true);
      client.on('data', (b: Buffer) => {
        recorded.push(Buffer.from(b));
        upstream.write(b);
      });
      upstream.on('data', (b: Buffer) => client.write(b));
      client.on('close', () => {
        upstream.end();
        finish(Buffer.concat(recorded));
      });
      upstream.on('close', () => client.end());
      client.on('error', () => {});
      upstream.on('error', () => {});
    });
    server.listen(0, '127.0.0.1', () => {
      resolve({ port: (server.address() as net.AddressInfo).port, done, close: () => server.close() });
    });
  });
}

/**
 * Whether the capture is a whole session: every byte parses and the last
 * message is ffmpeg's deleteStream. ffmpeg closes its socket right after
 * writing deleteStream with our onFCUnpublish still unread, so the kernel may
 * answer with a reset and drop the proxy's last unread bytes: such a capture
 * is taken again rather than saved truncated.
 */
function complete(bytes: Buffer): boolean {
  let last = '';
  let onData: (b: Buffer) => void = () => {};
  let failed = false;
  const t = new RtmpTransport(
    { write: () => true, on: (_event, listener) => (onData = listener), pause: () => {}, resume: () => {} },
    {
      ready: () => {},
      control: () => {},
      message: (m) => {
        if (m.typeId === 20) last = String(decodeAmfPayload(m.typeId, m.payload)[0]);
      },
      failed: () => (failed = true),
    },
    { role: 'server' },
  );
  onData(bytes);
  return !failed && t.unparsed.bytes === 0 && last === 'deleteStream';
}

async function capture(): Promise<{ bytes: Buffer; fixture: Omit<SessionFixture, 'bytes' | 'sha256'> }> {
  const engine = new Engine({ port: 0 });
  const { port } = await engine.start();
  const proxy = await startProxy(port);
  const work = mkdtempSync(path.join(tmpdir(), 'intake-capture-'));
  const flv = path.join(work, 'same-encode.flv');
  const url = `rtmp://127.0.0.1:${proxy.port}/live/fixture`;
  const args = [
    '-hide_banner', '-loglevel', 'error', '-stats',
    '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25',
    '-f', 'lavfi', '-i', 'sine',
    '-t', '4',
    '-map', '0:v', '-map', '1:a',
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '25', '-threads', '1',
    '-c:a', 'aac',
    '-f', 'tee', `[f=flv]${url}|[f=flv]${flv}`,
  ];

  const stderr: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    const p = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    p.stderr.on('data', (b: Buffer) => stderr.push(b.toString()));
    p.on('close', resolve);
  });
  const err = stderr.join('');
  if (code !== 0) throw new Error(`ffmpeg exited with ${code}:\n${err}`);
  const frames = [...err.matchAll(/frame=\s*(\d+)/g)].map((m) => Number(m[1]));
  if (frames.length === 0) throw new Error(`no frame= in ffmpeg's output:\n${err}`);

  const bytes = await proxy.done;
  proxy.close();
  await engine.stop();

  const probe = spawnSync('ffprobe', ['-v', 'error', '-count_packets', '-show_entries', 'stream=codec_type,nb_read_packets', '-of', 'json', flv], { encoding: 'utf8' });
  const streams = (JSON.parse(probe.stdout) as { streams: { codec_type: string; nb_read_packets: string }[] }).streams;
  const packets = (t: string): number => Number(streams.find((s) => s.codec_type === t)?.nb_read_packets ?? NaN);
  rmSync(work, { recursive: true, force: true });

  const version = spawnSync('ffmpeg', ['-version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  return {
    bytes,
    fixture: {
      command: `ffmpeg ${args.join(' ').replace(url, 'rtmp://127.0.0.1:PORT/live/fixture').replace(flv, 'same-encode.flv')}`,
      ffmpegVersion: version,
      ffmpegFrames: frames[frames.length - 1],
      ffprobe: { videoPackets: packets('video'), audioPackets: packets('audio') },
      c0c1: 1537,
      c2: 1536,
    },
  };
}

async function main(): Promise<void> {
  for (let attempt = 1; attempt <= 10; attempt++) {
    const { bytes, fixture: f } = await capture();
    if (!complete(bytes)) {
      console.warn(`attempt ${attempt}: capture ends mid-message (${bytes.length} bytes), taking it again`);
      continue;
    }
    const fixture: SessionFixture = { ...f, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    save(bytes, fixture);
    return;
  }
  throw new Error('no complete capture in 10 attempts');
}

function save(bytes: Buffer, fixture: SessionFixture): void {
  writeFileSync(path.join(OUT_DIR, `${NAME}.bin`), bytes);
  writeFileSync(path.join(OUT_DIR, `${NAME}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
  console.log(`${NAME}: ${bytes.length} bytes, ffmpeg frame=${fixture.ffmpegFrames}, ffprobe video=${fixture.ffprobe.videoPackets} audio=${fixture.ffprobe.audioPackets}`);
}

await main();
