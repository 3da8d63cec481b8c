// @ts-check
/**
 * One process publishing the same FLV file in real time over N RTMP
 * connections at once (the bench's fan-in load):
 *
 *   node bench/fanin-pusher.js FILE rtmp://127.0.0.1:PORT/live N [--stagger-ms 20] [--chunk-size 4096]
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
 * is live during the whole window), then one JSON line with the results.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { distModule, isCodedVideoFrame } from './lib.js';

const { RtmpPublisher } = /** @type {typeof import('../dist/app/client/publisher.js')} */ (await import(distModule('app/client/publisher.js')));
const { encodeAmf0 } = /** @type {typeof import('../dist/app/amf/amf0.js')} */ (await import(distModule('app/amf/amf0.js')));
const { readFlvFile } = /** @type {typeof import('../dist/app/flv/flv-reader.js')} */ (await import(distModule('app/flv/flv-reader.js')));

const [file, base, nArg, ...rest] = process.argv.slice(2);
if (!file || !base || !nArg) {
  console.error('usage: node bench/fanin-pusher.js FILE rtmp://HOST:PORT/APP N [--stagger-ms 20] [--chunk-size 4096]');
  process.exit(2);
}
/** @param {string} name @param {number} dflt */
const opt = (name, dflt) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? Number(rest[i + 1]) : dflt;
};
const N = Number(nArg);
const staggerMs = opt('stagger-ms', 20);
const chunkSize = opt('chunk-size', 4096);

const SET_DATA_FRAME = encodeAmf0(['@setDataFrame']);
const { tags: flvTags } = readFlvFile(fs.readFileSync(file));
/** @type {{ type: number, ts: number, body: Buffer }[]} */
const tags = [];
let codedVideo = 0;
let payloadBytes = 0;
for (const t of flvTags) {
  if (t.type !== 8 && t.type !== 9 && t.type !== 18) continue;
  const body = Buffer.from(t.body.buffer, t.body.byteOffset, t.body.byteLength);
  tags.push({ type: t.type, ts: t.timestamp, body: t.type === 18 ? Buffer.concat([SET_DATA_FRAME, body]) : body });
  if (t.type === 9 && isCodedVideoFrame(t.body)) codedVideo++;
  payloadBytes += body.length;
}
const ts0 = tags[0].ts;
const lastTs = tags[tags.length - 1].ts - ts0;

/** Wakers of publishers sleeping until a due time. */
/** @type {Array<{ due: number, wake: () => void }>} */
let sleepers = [];
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
/** @param {number} due */
const sleepUntil = (due) => new Promise((resolve) => sleepers.push({ due, wake: () => resolve(undefined) }));

const connectStart = performance.now();
const pubs = await Promise.all(Array.from({ length: N }, (_, i) => RtmpPublisher.publish(`${base}/fan${i}`, { chunkSize, timeoutMs: 30_000 })));
const connectMs = performance.now() - connectStart;
console.log(`publishing ${N}`);

const T0 = performance.now() + 100;
const windowStart = T0 + (N - 1) * staggerMs + 100;
const windowEnd = T0 + lastTs;
/** @type {NodeJS.CpuUsage | null} */
let cpuAtStart = null;
/** @type {NodeJS.CpuUsage | null} */
let cpuWindow = null;
let windowMs = 0;
setTimeout(() => {
  cpuAtStart = process.cpuUsage();
  console.log('window-start');
  const startedAt = performance.now();
  setTimeout(() => {
    cpuWindow = process.cpuUsage(cpuAtStart ?? undefined);
    windowMs = performance.now() - startedAt;
    console.log('window-end');
  }, windowEnd - performance.now());
}, windowStart - performance.now());

let maxLagMs = 0;
let sentBytes = 0;
/**
 * @param {import('../dist/app/client/publisher.js').RtmpPublisher} pub
 * @param {number} i
 */
async function run(pub, i) {
  const start = T0 + i * staggerMs;
  for (const t of tags) {
    const due = start + (t.ts - ts0);
    if (due > performance.now()) await sleepUntil(due);
    const lag = performance.now() - due;
    if (lag > maxLagMs) maxLagMs = lag;
    await pub.media(t.type, t.ts, t.body);
  }
  sentBytes += pub.bytesSent;
  await pub.unpublish(`fan${i}`);
}
await Promise.all(pubs.map((p, i) => run(p, i)));
clearInterval(ticker);
const total = process.cpuUsage();
const w = /** @type {NodeJS.CpuUsage} */ (cpuWindow ?? { user: 0, system: 0 });
console.log(
  JSON.stringify({
    streams: N,
    tagsPerStream: tags.length,
    codedVideoFramesPerStream: codedVideo,
    payloadBytesPerStream: payloadBytes,
    wireBytesSent: sentBytes,
    streamSeconds: lastTs / 1000,
    connectMs: Math.round(connectMs),
    windowSeconds: windowMs / 1000,
    windowCpuSeconds: (w.user + w.system) / 1e6,
    totalCpuSeconds: (total.user + total.system) / 1e6,
    maxLagMs: Math.round(maxLagMs * 10) / 10,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
