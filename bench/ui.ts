/**
 * What the UI costs: `intake serve` receiving and recording N real-time
 * publishers, without a UI attached and with one browser-mode UI (a
 * WebSocket client that reads the snapshot, every batch, and previews one
 * stream), interleaved over several repetitions.
 *
 *   npx tsx bench/ui.ts [--reps 3] [--streams 10] [--no-results]
 *
 * Reports, per configuration: serve's CPU % over the window in which every
 * publisher is live, its peak RSS, and capture (frames recorded / sent). For
 * the UI: batch events per second (the contract says at most ~10), the
 * spacing of preview media sends, and the preview's added delay: for every
 * coded video frame, arrival time minus its timestamp, less the smallest such
 * value (so 0 is the fastest frame; what is left is batching plus the path
 * through the engine). Measures this checkout's bin/ + dist/ (`npm run build`
 * first). Writes bench/UI-RESULTS.md unless --no-results.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import type { UiBatch } from '../app/contract/index.js';
import { FlvReader } from '../app/flv/flv-reader.js';
import { startIntake } from '../test/support/cli.js';
import { Child, killAll, track, waitUntil } from './child.js';
import { countFlv, emptyDir, flvFiles, isCodedVideoFrame } from './flv-count.js';
import { BENCH_DIR, ROOT, WORK, tsxScript } from './paths.js';
import { treeCpuSeconds, treePeakRss } from './proc.js';
import { median } from './table.js';

const { values: opts } = parseArgs({ options: { reps: { type: 'string', default: '3' }, streams: { type: 'string', default: '10' }, 'no-results': { type: 'boolean', default: false } } });
const REPS = Number(opts.reps);
const STREAMS = Number(opts.streams);
const SRC = path.join(WORK, 'ui-src.flv');
const REC = path.join(WORK, 'rec-ui');

/** 20 s of 720p30 H.264 at 3 Mbit/s + AAC, made once. */
function source(): { videoFrames: number } {
  if (!fs.existsSync(SRC)) {
    fs.mkdirSync(WORK, { recursive: true });
    // prettier-ignore
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
      '-t', '20', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '60', '-b:v', '3M', '-maxrate', '3M', '-bufsize', '6M', '-c:a', 'aac', '-b:a', '128k', '-f', 'flv', `${SRC}.tmp.flv`]);
    fs.renameSync(`${SRC}.tmp.flv`, SRC);
  }
  return countFlv(SRC);
}

/** What the UI saw over the measurement window. */
interface UiReport {
  batchesPerSecondMax: number;
  batchesPerSecondMedian: number;
  mediaSends: number;
  mediaGapMedianMs: number;
  mediaGapP95Ms: number;
  mediaKBps: number;
  previewFrames: number;
  previewDelayP50Ms: number;
  previewDelayP95Ms: number;
}

const quantile = (xs: number[], p: number): number => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;

/** A browser-mode UI: snapshot, every event, preview of `previewPath` once it is live. */
function uiClient(url: string, previewPath: string): { close(): void; report(t0: number, t1: number): UiReport } {
  const ws = new WebSocket(url);
  ws.binaryType = 'nodebuffer';
  const batchTimes: number[] = [];
  const mediaTimes: number[] = [];
  const videoLag: number[] = [];
  let mediaBytes = 0;
  let id = 1;
  let previewing = false;
  const reader = new FlvReader();
  const request = (name: string, arg: unknown): void => ws.send(JSON.stringify({ id: id++, name, arg }));
  ws.on('open', () => request('snapshot', null));
  ws.on('message', (data: Buffer, binary) => {
    const now = performance.now();
    if (binary) {
      mediaTimes.push(now);
      mediaBytes += data.length;
      for (const t of reader.push(data.subarray(4))) if (t.type === 9 && isCodedVideoFrame(t.body)) videoLag.push(now - t.timestamp);
      return;
    }
    const frame = JSON.parse(String(data)) as { event?: string; payload?: UiBatch };
    if (frame.event === 'batch') {
      batchTimes.push(now);
      if (!previewing && frame.payload?.streamsStarted.some((s) => s.path === previewPath)) {
        previewing = true;
        request('preview', { path: previewPath });
      }
    }
  });
  return {
    close: () => ws.close(),
    report(t0, t1) {
      const perSecond = [];
      for (let s = t0; s + 1000 <= t1; s += 1000) perSecond.push(batchTimes.filter((t) => t >= s && t < s + 1000).length);
      const m = mediaTimes.filter((t) => t >= t0 && t <= t1);
      const gaps = m.slice(1).map((t, i) => t - m[i]).sort((a, b) => a - b);
      const base = Math.min(...videoLag);
      const lag = videoLag.map((x) => x - base).sort((a, b) => a - b);
      return {
        batchesPerSecondMax: Math.max(...perSecond),
        batchesPerSecondMedian: median(perSecond),
        mediaSends: m.length,
        mediaGapMedianMs: median(gaps),
        mediaGapP95Ms: quantile(gaps, 0.95),
        mediaKBps: mediaBytes / 1024 / ((t1 - t0) / 1000),
        previewFrames: videoLag.length,
        previewDelayP50Ms: quantile(lag, 0.5),
        previewDelayP95Ms: quantile(lag, 0.95),
      };
    },
  };
}

async function run(withUi: boolean, src: { videoFrames: number }): Promise<{ withUi: boolean; cpuPct: number; rssMB: number; captureMin: number; ui: UiReport | null }> {
  emptyDir(REC);
  const rx = await startIntake(['serve', '--http-port', '0', '--out', REC, '--auto-record']);
  track(rx.proc, (signal) => rx.stop(signal));
  const pid = rx.proc.pid!;
  const httpUrl = /^ui (http:\/\/\S+)/.exec(await rx.waitFor(/^ui http:\/\//))![1];
  const ui = withUi ? uiClient(`${httpUrl.replace('http:', 'ws:').replace(/\/$/, '')}/ws`, 'live/fan0') : null;
  let w0 = { cpu: 0, t: 0 };
  let w1 = { cpu: 0, t: 0 };
  const pusher = new Child('fanin-pusher', process.execPath, [...tsxScript('fanin-pusher.ts'), SRC, `rtmp://127.0.0.1:${rx.port}/live`, String(STREAMS), '--stagger-ms', '20']);
  pusher.lineListeners.push((l) => {
    if (l === 'window-start') w0 = { cpu: treeCpuSeconds(pid), t: performance.now() };
    else if (l === 'window-end') w1 = { cpu: treeCpuSeconds(pid), t: performance.now() };
  });
  if ((await pusher.exited) !== 0) throw new Error(`pusher failed${pusher.tail()}`);
  const uiReport = ui ? ui.report(w0.t, w1.t) : null;
  await waitUntil(() => flvFiles(REC).length >= STREAMS, () => 'recordings', 30_000);
  const rss = treePeakRss(pid);
  ui?.close();
  await rx.stop('SIGINT');
  const perStream = flvFiles(REC).map((file) => countFlv(file).videoFrames / src.videoFrames);
  return { withUi, cpuPct: ((w1.cpu - w0.cpu) / ((w1.t - w0.t) / 1000)) * 100, rssMB: rss.maxMB, captureMin: Math.min(...perStream), ui: uiReport };
}

async function main(): Promise<void> {
  const src = source();
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
  const f = (x: number, d = 1): string => x.toFixed(d);
  const uiOf = (k: keyof UiReport): number => median(yes.map((x) => x.ui![k]));
  const lines = [
    '# What the UI costs (browser mode)',
    '',
    `Command: \`npx tsx bench/ui.ts --reps ${REPS} --streams ${STREAMS}\` (\`npm run build\` first). ${STREAMS} real-time publishers of a 20 s 720p30 H.264 3 Mbit/s + AAC file (\`bench/fanin-pusher.ts\`), recorded by \`intake serve --auto-record\`; with and without one WebSocket UI that reads every batch and previews one stream. Medians of ${REPS} interleaved repetitions on this machine (2 cores, noisy).`,
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
    `| preview delay added (arrival − timestamp, above the fastest frame): p50 / p95 | ${f(uiOf('previewDelayP50Ms'))} ms / ${f(uiOf('previewDelayP95Ms'))} ms |`,
    '',
    `Run on ${new Date().toISOString().slice(0, 10)} at commit ${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim()}.`,
    '',
  ];
  console.log(lines.join('\n'));
  if (!opts['no-results']) fs.writeFileSync(path.join(BENCH_DIR, 'UI-RESULTS.md'), lines.join('\n'));
}

try {
  await main();
} finally {
  await killAll();
}
