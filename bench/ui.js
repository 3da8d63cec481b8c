// @ts-check
/**
 * What the UI costs: `intake serve` receiving and recording N real-time
 * publishers, without a UI attached and with one browser-mode UI (a
 * WebSocket client that reads the snapshot, every batch, and previews one
 * stream), interleaved over several repetitions.
 *
 *   node bench/ui.js [--reps 3] [--streams 10] [--no-results]
 *
 * Reports, per configuration: serve's CPU % over the window in which every
 * publisher is live, its peak RSS, and capture (frames recorded / sent). For
 * the UI: batch events per second (the contract says at most ~10), the
 * spacing of preview media sends, and the preview's added delay: for every
 * video tag, arrival time minus its timestamp, less the smallest such value
 * (so 0 is the fastest tag; what is left is batching plus the path through
 * the engine). Writes bench/UI-RESULTS.md unless --no-results.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { BENCH_DIR, Child, ROOT, WORK, countFlv, distModule, emptyDir, flvFiles, killAll, median, treeCpuSeconds, treePeakRss, waitUntil } from './lib.js';

const { readFlvFile, FlvReader } = /** @type {typeof import('../dist/app/flv/flv-reader.js')} */ (await import(distModule('app/flv/flv-reader.js')));

const argv = process.argv.slice(2);
/** @param {string} name @param {number} dflt */
const num = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const REPS = num('reps', 3);
const STREAMS = num('streams', 10);
const SRC = path.join(WORK, 'ui-src.flv');
const REC = path.join(WORK, 'rec-ui');

/** 20 s of 720p30 H.264 at 3 Mbit/s + AAC, made once. */
function source() {
  if (!fs.existsSync(SRC)) {
    fs.mkdirSync(WORK, { recursive: true });
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '20', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '60', '-b:v', '3M', '-maxrate', '3M', '-bufsize', '6M', '-c:a', 'aac', '-b:a', '128k', '-f', 'flv', `${SRC}.tmp.flv`]);
    fs.renameSync(`${SRC}.tmp.flv`, SRC);
  }
  return countFlv(readFlvFile, SRC);
}

/**
 * A browser-mode UI: snapshot, every event, preview of `path` once it is live.
 * @param {string} url
 * @param {string} previewPath
 */
function uiClient(url, previewPath) {
  const ws = new WebSocket(url);
  ws.binaryType = 'nodebuffer';
  /** @type {number[]} */ const batchTimes = [];
  /** @type {number[]} */ const mediaTimes = [];
  /** @type {number[]} */ const videoLag = [];
  let mediaBytes = 0;
  let id = 1;
  let previewing = false;
  const reader = new FlvReader();
  /** @param {string} name @param {unknown} arg */
  const request = (name, arg) => ws.send(JSON.stringify({ id: id++, name, arg }));
  ws.on('open', () => request('snapshot', null));
  ws.on('message', (data, binary) => {
    const now = performance.now();
    if (binary) {
      const b = /** @type {Buffer} */ (data);
      mediaTimes.push(now);
      mediaBytes += b.length;
      for (const t of reader.push(b.subarray(4))) if (t.type === 9 && (t.body[0] & 0xf0) !== 0x50 && !(t.body[0] === 0x17 && t.body[1] === 0)) videoLag.push(now - t.timestamp);
      return;
    }
    const f = JSON.parse(String(data));
    if (f.event === 'batch') {
      batchTimes.push(now);
      if (!previewing && f.payload.streamsStarted.some((/** @type {{path: string}} */ s) => s.path === previewPath)) {
        previewing = true;
        request('preview', { path: previewPath });
      }
    }
  });
  return {
    close: () => ws.close(),
    /** @param {number} t0 @param {number} t1 the measurement window (performance.now) */
    report(t0, t1) {
      const inWin = (/** @type {number[]} */ xs) => xs.filter((t) => t >= t0 && t <= t1);
      const perSecond = [];
      for (let s = t0; s + 1000 <= t1; s += 1000) perSecond.push(batchTimes.filter((t) => t >= s && t < s + 1000).length);
      const m = inWin(mediaTimes);
      const gaps = m.slice(1).map((t, i) => t - m[i]).sort((a, b) => a - b);
      const base = Math.min(...videoLag);
      const lag = videoLag.map((x) => x - base).sort((a, b) => a - b);
      const pct = (/** @type {number[]} */ xs, /** @type {number} */ p) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;
      return {
        batchesPerSecondMax: Math.max(...perSecond),
        batchesPerSecondMedian: median(perSecond),
        mediaSends: m.length,
        mediaGapMedianMs: median(gaps),
        mediaGapP95Ms: pct(gaps, 0.95),
        mediaKBps: mediaBytes / 1024 / ((t1 - t0) / 1000),
        previewFrames: videoLag.length,
        previewDelayP50Ms: pct(lag, 0.5),
        previewDelayP95Ms: pct(lag, 0.95),
      };
    },
  };
}

/** @param {boolean} withUi @param {{ videoFrames: number }} src */
async function run(withUi, src) {
  emptyDir(REC);
  const rx = new Child('intake-serve', process.execPath, [path.join(ROOT, 'bin/intake.js'), 'serve', '--port', '0', '--http-port', '0', '--out', REC, '--auto-record']);
  const rtmpPort = Number((await rx.waitLine(/^listening rtmp:\/\/127\.0\.0\.1:(\d+)/))[1]);
  const httpUrl = (await rx.waitLine(/^ui (http:\/\/\S+)/))[1];
  const ui = withUi ? uiClient(`${httpUrl.replace('http:', 'ws:').replace(/\/$/, '')}/ws`, 'live/fan0') : null;
  let w0 = { cpu: 0, t: 0 };
  let w1 = { cpu: 0, t: 0 };
  const pusher = new Child('fanin-pusher', process.execPath, [path.join(BENCH_DIR, 'fanin-pusher.js'), SRC, `rtmp://127.0.0.1:${rtmpPort}/live`, String(STREAMS), '--stagger-ms', '20']);
  pusher.lineListeners.push((l) => {
    if (l === 'window-start') w0 = { cpu: treeCpuSeconds(rx.pid), t: performance.now() };
    else if (l === 'window-end') w1 = { cpu: treeCpuSeconds(rx.pid), t: performance.now() };
  });
  if ((await pusher.exited) !== 0) throw new Error(`pusher failed${pusher.tail()}`);
  const uiReport = ui ? ui.report(w0.t, w1.t) : null;
  await waitUntil(() => flvFiles(REC).length >= STREAMS, 'recordings', 30_000);
  const rss = treePeakRss(rx.pid);
  ui?.close();
  rx.proc.kill('SIGINT');
  await rx.exited;
  const perStream = flvFiles(REC).map((f) => countFlv(readFlvFile, f).videoFrames / src.videoFrames);
  return { withUi, cpuPct: ((w1.cpu - w0.cpu) / ((w1.t - w0.t) / 1000)) * 100, rssMB: rss.maxMB, captureMin: Math.min(...perStream), ui: uiReport };
}

async function main() {
  const src = source();
  /** @type {Awaited<ReturnType<typeof run>>[]} */
  const results = [];
  for (let r = 0; r < REPS; r++) {
    for (const withUi of r % 2 === 0 ? [false, true] : [true, false]) {
      const res = await run(withUi, src);
      console.log(JSON.stringify({ rep: r, ...res }));
      results.push(res);
    }
  }
  const no = results.filter((x) => !x.withUi);
  const yes = results.filter((x) => x.withUi);
  const f = (/** @type {number} */ x, d = 1) => x.toFixed(d);
  const uiOf = (/** @type {string} */ k) => median(yes.map((x) => /** @type {any} */ (x.ui)[k]));
  const lines = [
    '# What the UI costs (browser mode)',
    '',
    `Command: \`node bench/ui.js --reps ${REPS} --streams ${STREAMS}\` (\`npm run build\` first). ${STREAMS} real-time publishers of a 20 s 720p30 H.264 3 Mbit/s + AAC file (\`bench/fanin-pusher.js\`), recorded by \`intake serve --auto-record\`; with and without one WebSocket UI that reads every batch and previews one stream. Medians of ${REPS} interleaved repetitions on this machine (2 cores, noisy).`,
    '',
    '| | no UI | one UI previewing |',
    '| --- | ---: | ---: |',
    `| serve CPU over the window | ${f(median(no.map((x) => x.cpuPct)))} % | ${f(median(yes.map((x) => x.cpuPct)))} % |`,
    `| serve peak RSS | ${f(median(no.map((x) => x.rssMB)))} MB | ${f(median(yes.map((x) => x.rssMB)))} MB |`,
    `| capture (worst stream, recorded / sent) | ${f(Math.min(...no.map((x) => x.captureMin)) * 100)} % | ${f(Math.min(...yes.map((x) => x.captureMin)) * 100)} % |`,
    '',
    'The UI side (medians over the repetitions):',
    '',
    '| | |',
    '| --- | ---: |',
    `| batch events per second (largest in any second) | ${f(uiOf('batchesPerSecondMax'), 0)} (median ${f(uiOf('batchesPerSecondMedian'), 0)}) |`,
    `| preview media sends: median gap / 95th percentile | ${f(uiOf('mediaGapMedianMs'))} ms / ${f(uiOf('mediaGapP95Ms'))} ms |`,
    `| preview bytes | ${f(uiOf('mediaKBps'), 0)} KiB/s |`,
    `| preview delay added (arrival − timestamp, above the fastest tag): p50 / p95 | ${f(uiOf('previewDelayP50Ms'))} ms / ${f(uiOf('previewDelayP95Ms'))} ms |`,
    '',
    `Run on ${new Date().toISOString().slice(0, 10)} at commit ${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim()}.`,
    '',
  ];
  console.log(lines.join('\n'));
  if (!argv.includes('--no-results')) fs.writeFileSync(path.join(BENCH_DIR, 'UI-RESULTS.md'), lines.join('\n'));
}

try {
  await main();
} finally {
  await killAll();
}
