/**
 * One process publishing the same FLV file in real time over N RTMP
 * connections at once (the bench's fan-in load):
 *
 *   node --import tsx bench/fanin-pusher.ts FILE rtmp://127.0.0.1:PORT/live N [--stagger-ms 20] [--chunk-size 4096]
 *
 * Publisher i publishes to <base>/fan<i>. All N connect and reach
 * NetStream.Publish.Start first; then publisher i starts its clock at
 * T0 + i * stagger (so the N streams' keyframes do not all land at the same
 * instant, as with independent encoders) and sends each tag when its
 * timestamp is due, honouring socket backpressure. One shared 2 ms ticker
 * wakes the publishers (no timer per tag).
 *
 * stdout: `publishing N`, `window-start` once all N have started sending,
 * `window-end` when the first stream has sent its last tag (so every stream
 * is live during the whole window), then one JSON line: a FaninPusherReport.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { encodeAmf0 } from '../app/amf/amf0.js';
import type * as PublisherModule from '../app/client/publisher.js';
import { readFlvFile } from '../app/flv/flv-reader.js';
import { isCodedVideoFrame } from './flv-count.js';
import { distModule } from './paths.js';

/** The JSON line the pusher ends with. */
export interface FaninPusherReport {
  streams: number;
  tagsPerStream: number;
  codedVideoFramesPerStream: number;
  payloadBytesPerStream: number;
  wireBytesSent: number;
  streamSeconds: number;
  connectMs: number;
  windowSeconds: number;
  windowCpuSeconds: number;
  totalCpuSeconds: number;
  maxLagMs: number;
  peakRssMB: number;
}

interface Tag {
  type: number;
  ts: number;
  body: Buffer;
}

/** The tags to publish: audio, video, and metadata as `@setDataFrame onMetaData`. */
function loadTags(file: string): { tags: Tag[]; codedVideo: number; payloadBytes: number } {
  const setDataFrame = encodeAmf0(['@setDataFrame']);
  const tags: Tag[] = [];
  let codedVideo = 0;
  let payloadBytes = 0;
  for (const t of readFlvFile(fs.readFileSync(file)).tags) {
    if (t.type !== 8 && t.type !== 9 && t.type !== 18) continue;
    const body = Buffer.from(t.body.buffer, t.body.byteOffset, t.body.byteLength);
    tags.push({ type: t.type, ts: t.timestamp, body: t.type === 18 ? Buffer.concat([setDataFrame, body]) : body });
    if (t.type === 9 && isCodedVideoFrame(t.body)) codedVideo++;
    payloadBytes += body.length;
  }
  return { tags, codedVideo, payloadBytes };
}

/** One shared ticker that wakes publishers sleeping until a due time. */
function sleeper(): { sleepUntil(due: number): Promise<void>; stop(): void } {
  let sleepers: { due: number; wake: () => void }[] = [];
  const ticker = setInterval(() => {
    if (sleepers.length === 0) return;
    const now = performance.now();
    const still = [];
    for (const s of sleepers) {
      if (s.due <= now) s.wake();
      else still.push(s);
    }
    sleepers = still;
  }, 2);
  return {
    sleepUntil: (due) => new Promise((resolve) => sleepers.push({ due, wake: resolve })),
    stop: () => clearInterval(ticker),
  };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'stagger-ms': { type: 'string', default: '20' }, 'chunk-size': { type: 'string', default: '4096' } } });
  const [file, base, nArg] = positionals;
  if (!file || !base || !nArg) throw new Error('usage: fanin-pusher.ts FILE rtmp://HOST:PORT/APP N [--stagger-ms 20] [--chunk-size 4096]');
  const n = Number(nArg);
  const staggerMs = Number(values['stagger-ms']);
  const chunkSize = Number(values['chunk-size']);
  // The publisher of the measured snapshot, as `intake push` in the ingest runs.
  const { RtmpPublisher } = (await import(distModule('app/client/publisher.js'))) as typeof PublisherModule;
  const { tags, codedVideo, payloadBytes } = loadTags(file);
  const ts0 = tags[0].ts;
  const lastTs = tags[tags.length - 1].ts - ts0;
  const clock = sleeper();

  const connectStart = performance.now();
  const pubs = await Promise.all(Array.from({ length: n }, (_, i) => RtmpPublisher.publish(`${base}/fan${i}`, { chunkSize, timeoutMs: 30_000 })));
  const connectMs = performance.now() - connectStart;
  console.log(`publishing ${n}`);

  const t0 = performance.now() + 100;
  const windowStart = t0 + (n - 1) * staggerMs + 100;
  const windowEnd = t0 + lastTs;
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  let cpuWindow: NodeJS.CpuUsage = { user: 0, system: 0 };
  let windowMs = 0;
  let windowEnded!: () => void;
  // The report waits for the window's end: on a loaded machine the streams can all end before its timer runs.
  const windowDone = new Promise<void>((resolve) => (windowEnded = resolve));
  setTimeout(() => {
    cpuAtStart = process.cpuUsage();
    console.log('window-start');
    const startedAt = performance.now();
    setTimeout(() => {
      cpuWindow = process.cpuUsage(cpuAtStart);
      windowMs = performance.now() - startedAt;
      console.log('window-end');
      windowEnded();
    }, windowEnd - performance.now());
  }, windowStart - performance.now());

  let maxLagMs = 0;
  let sentBytes = 0;
  const run = async (pub: PublisherModule.RtmpPublisher, i: number): Promise<void> => {
    const start = t0 + i * staggerMs;
    for (const t of tags) {
      const due = start + (t.ts - ts0);
      if (due > performance.now()) await clock.sleepUntil(due);
      maxLagMs = Math.max(maxLagMs, performance.now() - due);
      await pub.media(t.type, t.ts, t.body);
    }
    sentBytes += pub.bytesSent;
    await pub.unpublish(`fan${i}`);
  };
  await Promise.all(pubs.map((p, i) => run(p, i)));
  clock.stop();
  await windowDone;
  const total = process.cpuUsage();
  const report: FaninPusherReport = {
    streams: n,
    tagsPerStream: tags.length,
    codedVideoFramesPerStream: codedVideo,
    payloadBytesPerStream: payloadBytes,
    wireBytesSent: sentBytes,
    streamSeconds: lastTs / 1000,
    connectMs: Math.round(connectMs),
    windowSeconds: windowMs / 1000,
    windowCpuSeconds: (cpuWindow.user + cpuWindow.system) / 1e6,
    totalCpuSeconds: (total.user + total.system) / 1e6,
    maxLagMs: Math.round(maxLagMs * 10) / 10,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  };
  console.log(JSON.stringify(report));
}

await main();
