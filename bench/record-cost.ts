/**
 * What recording costs, per format, in CPU time (not wall time): a
 * micro-benchmark that a loaded machine cannot skew the way it skews the
 * ingest bench's wall-clock figures, since `process.cpuUsage()` counts only
 * the CPU this process (and its libuv threads: the file writes) used.
 *
 *   npx tsx bench/record-cost.ts [--input FILE.flv] [--runs 5] [--formats none,flv,mp4,mkv]
 *   npm run bench -- --only record [--reps 5] [--formats flv,mp4]
 *
 * Each run is a fresh child process that reads the FLV input's tags and
 * feeds them, as the session would, to a `LiveStream` (tag parsing, counters,
 * health, GOP cache) with one recording of the given format through
 * `Recordings` (none: no recording), yielding to the event loop every 64 kB
 * as a socket read would, waiting on the recorder's backpressure, until the
 * file is finished. It reports the CPU seconds of that span and its peak RSS.
 * Runs alternate the formats (none, flv, mp4, then mp4, flv, none...), and
 * the medians are compared: `fmt − none` is what the recording costs, and
 * `mp4 − flv` what MP4 adds over FLV per GB of input.
 *
 * The input is the ingest bench's (bench/work/ingest-720p30-8M-600s.flv,
 * made by `npm run bench -- --only ingest` or bench/inputs.ts).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldLoop } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { decodeAmf0All } from '../app/amf/amf0.js';
import { type FlvTag, parseFlvHeader, parseFlvTags } from '../app/flv/flv-reader.js';
import { LiveStream } from '../app/streams/live-stream.js';
import { Recordings } from '../app/subscribers/recordings.js';
import { BENCH_DIR, WORK } from './paths.js';
import { INGEST_INPUT } from './inputs.js';
import { f, median, table } from './table.js';

const FORMATS = ['none', 'flv', 'mp4', 'mkv'] as const;
type Format = (typeof FORMATS)[number];
/** A socket read's worth of input between two turns of the event loop (the ingest bench's reads average 63 kB). */
const READ_BYTES = 64 * 1024;
const BLOCK_BYTES = 4 * 1024 * 1024;
/** Limits.recordBacklogBytes, as the engine runs it. */
const MAX_BACKLOG = 4 * 1024 * 1024;

/** One child's result. */
export interface RecordCostRun {
  format: Format;
  cpuS: number;
  wallS: number;
  /** Peak RSS of the child (MB = 2^20 bytes): the input is streamed, so this is the engine's and the recorder's. */
  rssMB: number;
  payloadBytes: number;
  fileBytes: number;
  videoFrames: number;
}

/** Feeds the whole input to a stream with one recording of `format`; measures from the first tag to the finished file. */
async function child(format: Format, input: string, out: string): Promise<RecordCostRun> {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const stream = new LiveStream(
    { path: 'live/bench', app: 'live', key: 'bench', connectionId: 1, remoteAddress: '127.0.0.1', publishType: 'live', startedAt: Date.now() },
    { step: () => {}, updated: () => {}, ended: () => {}, log: () => {}, now: () => Date.now(), gopCache: true },
  );
  let fileBytes = 0;
  const recordings = new Recordings({ dir: out, auto: false, maxBacklog: MAX_BACKLOG, onUpdate: (i) => (fileBytes = i.bytes) });
  const fd = fs.openSync(input, 'r');
  const block = Buffer.allocUnsafe(BLOCK_BYTES);
  let rest: Buffer = Buffer.alloc(0);
  let pos = 0;
  let payloadBytes = 0;
  let sinceYield = 0;
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  if (format !== 'none') recordings.start(stream, format);
  for (;;) {
    const n = fs.readSync(fd, block, 0, BLOCK_BYTES, null);
    if (n === 0) break;
    // Tags are views into `bytes`: a new buffer each block, since the stream may keep a header's view until it copies it.
    let bytes = Buffer.concat([rest, block.subarray(0, n)]);
    if (pos === 0) {
      const h = parseFlvHeader(bytes)!;
      bytes = bytes.subarray(h.dataOffset + 4);
      pos = h.dataOffset + 4;
    }
    const tags: FlvTag[] = [];
    const used = parseFlvTags(bytes, pos, tags);
    pos += used;
    rest = Buffer.from(bytes.subarray(used));
    for (const t of tags) {
      const body = Buffer.from(t.body.buffer, t.body.byteOffset, t.body.byteLength);
      if (t.type === 18) {
        const values = decodeAmf0All(body);
        if (values[0] === 'onMetaData') stream.metadata(values, t.timestamp, body);
      } else if (t.type === 8 || t.type === 9) {
        stream.media(t.type, t.timestamp, body);
        payloadBytes += body.length;
      }
      sinceYield += body.length + 15;
      if (sinceYield >= READ_BYTES) {
        sinceYield = 0;
        const wait = stream.pressure();
        if (wait) await wait;
        await yieldLoop();
      }
    }
  }
  fs.closeSync(fd);
  const info = await recordings.stop(stream);
  stream.end('bench done');
  const cpu = process.cpuUsage(cpu0);
  const wallS = (performance.now() - wall0) / 1000;
  if (info?.state === 'failed') throw new Error(`the recording failed: ${info.error?.message}`);
  return {
    format,
    cpuS: (cpu.user + cpu.system) / 1e6,
    wallS,
    rssMB: process.resourceUsage().maxRSS / 1024,
    payloadBytes,
    fileBytes: info ? Math.max(fileBytes, info.bytes) : 0,
    videoFrames: info?.videoFrames ?? stream.video.capture.received,
  };
}

/** Runs one child process and parses its line. */
function runChild(format: Format, input: string): Promise<RecordCostRun> {
  return new Promise((resolve, reject) => {
    const out = path.join(WORK, 'rec-cost', format);
    const p = spawn(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, 'record-cost.ts'), '--child', format, '--input', input, '--out', out], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    p.stdout.on('data', (d: Buffer) => (text += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => {
      const line = text.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) reject(new Error(`record-cost child ${format} exited ${code}`));
      else resolve(JSON.parse(line) as RecordCostRun);
    });
  });
}

/** Alternating runs (the order reversed every other round), then per-format medians and the comparison as Markdown. */
export async function recordCost(input: string, runs: number, formats: Format[], log: (s: string) => void): Promise<string> {
  if (!fs.existsSync(input)) throw new Error(`${input} is missing: make it with \`npm run bench -- --only ingest --reps 1 --no-results\` (bench/inputs.ts)`);
  const all: RecordCostRun[] = [];
  for (let r = 0; r < runs; r++) {
    for (const fmt of r % 2 ? [...formats].reverse() : formats) {
      const x = await runChild(fmt, input);
      log(`record-cost: run ${r + 1} ${fmt}: ${f(x.cpuS)} s CPU, ${f(x.wallS)} s wall, peak RSS ${f(x.rssMB, 1)} MB, ${x.videoFrames} video frames`);
      all.push(x);
    }
  }
  const gb = all[0].payloadBytes / 1e9;
  const med = new Map(formats.map((fmt) => [fmt, all.filter((x) => x.format === fmt)] as const));
  const cpu = (fmt: Format): number => median(med.get(fmt)!.map((x) => x.cpuS));
  const rows = formats.map((fmt) => {
    const xs = med.get(fmt)!;
    const c = cpu(fmt);
    return [
      fmt,
      xs.map((x) => f(x.cpuS)).join(', '),
      f(c),
      f(c / gb),
      formats.includes('none') && fmt !== 'none' ? f((c - cpu('none')) / gb) : '',
      f(median(xs.map((x) => x.rssMB)), 1),
      f(Math.max(...xs.map((x) => x.rssMB)), 1),
      String(xs[0].videoFrames),
    ];
  });
  const lines = [
    table(['<format', '<CPU s per run', 'median CPU s', 'CPU s/GB', 'recording CPU s/GB (− none)', 'median peak RSS MB', 'max peak RSS MB', 'video frames'], rows),
  ];
  for (const fmt of formats.filter((x) => x !== 'none' && x !== 'flv')) {
    if (formats.includes('flv')) lines.push(`\n${fmt} − flv: ${f((cpu(fmt) - cpu('flv')) / gb)} CPU s/GB of input (${f(cpu(fmt) / cpu('flv'), 3)}x the whole in-process FLV run)`);
  }
  return lines.join('\n');
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.join(BENCH_DIR, 'record-cost.ts');
const { values } = parseArgs({
  args: isMain ? process.argv.slice(2) : [],
  options: {
    input: { type: 'string', default: INGEST_INPUT.file },
    runs: { type: 'string', default: '5' },
    formats: { type: 'string', default: 'none,flv,mp4' },
    child: { type: 'string' },
    out: { type: 'string' },
  },
});
if (isMain && values.child) {
  const r = await child(values.child as Format, values.input, values.out ?? path.join(WORK, 'rec-cost', values.child));
  console.log(JSON.stringify(r));
} else if (isMain) {
  const formats = values.formats.split(',') as Format[];
  if (formats.some((x) => !FORMATS.includes(x))) throw new Error(`--formats: any of ${FORMATS.join(', ')}`);
  console.log(await recordCost(values.input, Number(values.runs), formats, (s) => void process.stderr.write(`${s}\n`)));
}
