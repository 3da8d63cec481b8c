/**
 * One measurement each, against a receiver started fresh for it:
 * ingest (one publisher as fast as the socket takes it), fan-in (N real-time
 * publishers from one process), and the capture of a publish session that
 * inproc.ts replays.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Child, sleep } from './child.js';
import type { FaninPusherReport } from './fanin-pusher.js';
import { countFlv, emptyDir } from './flv-count.js';
import type { CaptureMeta } from './inproc.js';
import { FANIN_INPUT, INGEST_INPUT, type InputInfo } from './inputs.js';
import { ROOT, WORK, intakeBin, tsxScript } from './paths.js';
import { reapedChildrenCpuSeconds } from './proc.js';
import { type Receiver, type ReceiverName, type StartOptions, startReceiver } from './receivers.js';

/** Publisher i of a fan-in starts this much after publisher i - 1 (independent encoders do not align keyframes). */
export const FANIN_STAGGER_MS = 20;

/** Video packets in an MP4/MKV recording, as ffprobe 5.1 reads them. */
function probeVideoPackets(file: string): number {
  const r = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return Number(r.stdout.trim()) || 0;
}

/** Coded video frames in all recordings of a receiver, then the recordings are deleted. */
function recordedFrames(rx: Receiver): number[] {
  const frames = rx.recordings().map((f) => (f.endsWith('.flv') ? countFlv(f).videoFrames : probeVideoPackets(f)));
  emptyDir(rx.recDir);
  return frames;
}

/** One ingest measurement. */
export interface IngestResult {
  receiver: ReceiverName;
  chunkSize: number;
  /** FLV tag payload bytes pushed. */
  bytes: number;
  /** The pusher's own wall time of the push. */
  seconds: number;
  mbps: number;
  cpu: number;
  cpuPerGB: number;
  rssMB: number;
  frames: number;
  expected: number;
  capture: number;
  pusherCpu: number;
  /** CPU seconds of each push, in order (one unless the run pushed more than once). */
  pushCpu: number[];
}

/**
 * Read `file` through once, so the pusher reads it from the page cache. Why:
 * the receiver's CPU depends on how fast the pusher sends (a slow push costs
 * it more CPU: one at 216 MB/s instead of ~400 cost twice as much), and a
 * pusher reading the 612 MB input from disk would be one cause of a slow
 * push. A guard, not a proven cause: with it alone, the run right after
 * nginx-rtmp's is still often slow (bench/RESULTS.md).
 */
function warmPageCache(file: string): void {
  const buf = Buffer.allocUnsafe(1 << 20);
  const fd = fs.openSync(file, 'r');
  try {
    while (fs.readSync(fd, buf, 0, buf.length, null) > 0);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * How long an ingest run waits, idle, before it starts its receiver. Why: on
 * this machine (a VM whose virtio balloon reports freed pages back to the
 * host), the run right after nginx-rtmp's took 1.4-1.85 s of CPU instead of
 * 0.85-0.95 and pushed at 260-335 MB/s instead of ~440, in 4 of 5
 * repetitions of nginx, intake, intake, intake; the second and third Intake
 * runs were normal. `sync` before each run, flushing the kernel's TCP metrics
 * for 127.0.0.1, and a process touching 700 MB first did not help; 5 s of
 * idle did (all 15 Intake runs 0.84-0.97 s; in that probe the idle came
 * before the input was read through, here it comes after). After nginx-rtmp's run ~450 MB
 * of memory is missing from MemFree and comes back over seconds, which is
 * what free page reporting does; that is a likely cause, not a proven one.
 * The same pause before every run keeps the runs alike. It is not the whole
 * answer: in full runs the first Intake run after nginx-rtmp's was still
 * slow in some repetitions (1.23 s against 0.83-0.90), so the health
 * analyser's block (run.ts) also throws its first run away.
 */
export const SETTLE_MS = 5000;

/**
 * One publisher (`intake push`) pushes the ingest file as fast as the socket
 * takes it, `pushes` times in a row into the same receiver (one publish
 * each, under its own stream key); the result sums them, and `pushCpu` has
 * each push's CPU seconds. Why more than one: a receiver's first push pays
 * its JIT warm-up (V8 compiling the hot routines, once per process), and
 * one push of the ingest input is under a second of CPU, where that warm-up
 * is several percent of the run (the health analyser's block, run.ts).
 */
export async function ingestRun(name: ReceiverName, chunkSize: number, src: InputInfo, opts: StartOptions = {}, pushes = 1): Promise<IngestResult> {
  warmPageCache(INGEST_INPUT.file);
  await sleep(SETTLE_MS);
  const rx = await startReceiver(name, opts);
  try {
    const pushCpu: number[] = [];
    let bytes = 0;
    let seconds = 0;
    let pusherCpu = 0;
    let frames = 0;
    for (let i = 0; i < pushes; i++) {
      const endedBefore = rx.endedStreams();
      const cpu0 = rx.cpu();
      const reaped0 = reapedChildrenCpuSeconds();
      const key = pushes === 1 ? `ingest${chunkSize}` : `ingest${chunkSize}-${i + 1}`;
      const pusher = new Child('pusher', process.execPath, [intakeBin(), 'push', INGEST_INPUT.file, `${rx.url}/${key}`, '--chunk-size', String(chunkSize)]);
      const code = await pusher.exited;
      pusherCpu += reapedChildrenCpuSeconds() - reaped0;
      if (code !== 0) throw new Error(`pusher exited with ${code}${pusher.tail()}`);
      const m = /^pushed (\d+) tags \((\d+) video, (\d+) audio\), (\d+) bytes in ([\d.]+) s/.exec(pusher.lines.find((l) => l.startsWith('pushed ')) ?? '');
      if (!m) throw new Error(`pusher did not report${pusher.tail()}`);
      bytes += Number(m[4]);
      seconds += Number(m[5]);
      await rx.waitEnded(endedBefore + 1);
      pushCpu.push(rx.cpu() - cpu0);
      // Counted and deleted before the next push: 1.8 GB of recordings would pass the kernel's
      // background writeback threshold (10 % of memory), and a third push wrote while the disk
      // was being written, at 1.9-2.2 s of CPU instead of 0.8-1.1.
      if (i < pushes - 1) frames += recordedFrames(rx).reduce((a, b) => a + b, 0);
    }
    const cpu = pushCpu.reduce((a, b) => a + b, 0);
    const rss = rx.peakRss();
    await rx.stop();
    frames += recordedFrames(rx).reduce((a, b) => a + b, 0);
    const expected = src.videoFrames * pushes;
    return { receiver: name, chunkSize, bytes, seconds, mbps: bytes / seconds / 1e6, cpu, cpuPerGB: cpu / (bytes / 1e9), rssMB: rss.sumMB, frames, expected, capture: frames / expected, pusherCpu, pushCpu };
  } catch (err) {
    await rx.stop().catch(() => {});
    throw err;
  }
}

/** One fan-in measurement. */
export interface FaninResult {
  receiver: ReceiverName;
  streams: number;
  windowS: number;
  /** CPU over the window in % of one core. */
  cpuPct: number;
  /** CPU seconds of the whole session (connect to last close). */
  cpuAll: number;
  rssMB: number;
  recordings: number;
  captureMin: number;
  pusherCpuPct: number;
  pusherMaxLagMs: number;
}

/** `streams` publishers of the ~1.7 Mbit/s file in real time, from one pusher process. */
export async function faninRun(name: ReceiverName, streams: number, src: InputInfo, opts: StartOptions = {}): Promise<FaninResult> {
  const rx = await startReceiver(name, opts);
  try {
    const endedBefore = rx.endedStreams();
    const all0 = rx.cpu();
    const marks: { [k in 'window-start' | 'window-end']?: { cpu: number; t: number } } = {};
    const args = [FANIN_INPUT.file, rx.url, String(streams), '--stagger-ms', String(FANIN_STAGGER_MS), '--chunk-size', '4096'];
    const pusher = new Child('fanin-pusher', process.execPath, [...tsxScript('fanin-pusher.ts'), ...args]);
    pusher.lineListeners.push((l) => {
      if (l === 'window-start' || l === 'window-end') marks[l] = { cpu: rx.cpu(), t: performance.now() };
    });
    const code = await pusher.exited;
    if (code !== 0) throw new Error(`fan-in pusher exited with ${code}${pusher.tail()}`);
    const report = JSON.parse(pusher.lines[pusher.lines.length - 1]) as FaninPusherReport;
    const w0 = marks['window-start'];
    const w1 = marks['window-end'];
    if (!w0 || !w1) throw new Error(`fan-in pusher did not report its window${pusher.tail()}`);
    await rx.waitEnded(endedBefore + streams);
    const cpuAll = rx.cpu() - all0;
    const rss = rx.peakRss();
    await rx.stop();
    const perStream = recordedFrames(rx).map((x) => x / src.videoFrames);
    const recordings = perStream.length;
    while (perStream.length < streams) perStream.push(0);
    const windowS = (w1.t - w0.t) / 1000;
    return {
      receiver: name,
      streams,
      windowS,
      cpuPct: ((w1.cpu - w0.cpu) / windowS) * 100,
      cpuAll,
      rssMB: rss.sumMB,
      recordings,
      captureMin: Math.min(...perStream),
      pusherCpuPct: (report.windowCpuSeconds / report.windowSeconds) * 100,
      pusherMaxLagMs: report.maxLagMs,
    };
  } catch (err) {
    await rx.stop().catch(() => {});
    throw err;
  }
}

/**
 * The client->server bytes of one `intake push` session at `chunkSize`, through a
 * recording TCP proxy in front of an Intake receiver. Reused when present.
 */
export async function captureSession(chunkSize: number, src: InputInfo, log: (s: string) => void): Promise<string> {
  const file = path.join(WORK, `capture-c${chunkSize}.bin`);
  if (fs.existsSync(file) && fs.existsSync(`${file}.json`)) {
    const m = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as CaptureMeta;
    if (m.source?.bytes === src.bytes && m.source?.mtimeMs === src.mtimeMs) return file;
  }
  log(`bench: capturing a chunk-size ${chunkSize} publish session into ${path.relative(ROOT, file)}...`);
  const rx = await startReceiver('intake');
  const bufs: Buffer[] = [];
  const segments: number[] = [];
  const sockets = new Set<net.Socket>();
  const upstreamPort = Number(/:(\d+)\/live$/.exec(rx.url)?.[1]);
  const proxy = net.createServer((client) => {
    const up = net.connect({ host: '127.0.0.1', port: upstreamPort });
    sockets.add(client).add(up);
    client.on('data', (b: Buffer) => {
      bufs.push(b);
      segments.push(b.length);
    });
    client.pipe(up);
    up.pipe(client);
    client.on('error', () => up.destroy());
    up.on('error', () => client.destroy());
    client.on('close', () => up.end());
    up.on('close', () => client.end());
  });
  try {
    await new Promise<void>((resolve) => proxy.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const port = (proxy.address() as net.AddressInfo).port;
    const pusher = new Child('pusher', process.execPath, [intakeBin(), 'push', INGEST_INPUT.file, `rtmp://127.0.0.1:${port}/live/capture`, '--chunk-size', String(chunkSize)]);
    if ((await pusher.exited) !== 0) throw new Error(`capture pusher failed${pusher.tail()}`);
    await rx.waitEnded(1);
  } finally {
    for (const s of sockets) s.destroy();
    proxy.close();
    await rx.stop().catch(() => {});
    emptyDir(rx.recDir);
  }
  fs.writeFileSync(file, Buffer.concat(bufs));
  const meta: CaptureMeta = { chunkSize, segments, codedVideoFrames: src.videoFrames, source: { bytes: src.bytes, mtimeMs: src.mtimeMs } };
  fs.writeFileSync(`${file}.json`, JSON.stringify(meta));
  return file;
}
