/**
 * Ingest cost of one engine build against another, in-process, as CPU time
 * (not wall time: the machine is shared, and CPU seconds are what the
 * ingest target counts). Each child process replays a captured publish
 * (bench/work/capture-c128.bin or -c4096.bin, written by `npm run bench --
 * --only inproc`) through `Engine` configured as `intake record --format flv`
 * runs it (no GOP cache, every publish recorded as FLV, the young generation
 * kept small), over a fake socket: each read is a fresh buffer read from the
 * capture file, one per turn of the event loop, as a socket delivers them.
 * Children of builds A and B alternate (A B A B ...), so load from other
 * work hits both alike; each reports CPU seconds per 10^9 wire bytes of each
 * pass and its peak RSS.
 *
 *   npx tsx bench/ingest-cost.ts --capture bench/work/capture-c128.bin \
 *     [--a dist] [--b bench/work/base/dist] [--b-env K=V[,K=V]] [--runs 5] [--passes 3] [--profile DIR] [--callgrind]
 *
 * `--b-env` runs B's children with those environment variables (B defaults
 * to A's build then): a switch read at start, such as the health analyser's
 * `INTAKE_HEALTH=off`, measured against the same build without it.
 *
 * Prints one line per child and the medians: "pass 1" includes start-up
 * (module load, JIT), "later" is the median of the later passes.
 *
 * `--callgrind` runs each child under Valgrind (callgrind.ts) and adds the
 * instructions it executed, whole process (start-up and module load
 * included, the same for A and B), split into its main thread and the
 * others (during the passes V8's concurrent compiles, at start-up tsx's
 * module loader too; `--passes 0` gives what start-up alone costs): a
 * comparison that the load of the machine does not move. ~3 minutes a
 * child; use `--passes 1`. The
 * engine's stats event then comes once a minute instead of once a second
 * (INGEST_COST_STATS_MS), since a run ~50x slower would otherwise build ~50x
 * more of them per byte than a real one.
 */
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { parseArgs } from 'node:util';
import type * as Index from '../app/index.js';
import { type ThreadInstructions, callgrindArgs, readThreadInstructions } from './callgrind.js';
import { envOf } from './env-arg.js';
import type { CaptureMeta } from './inproc.js';
import { ROOT, WORK, tsxScript } from './paths.js';
import { median } from './table.js';

/** What a child prints (one JSON line). */
interface ChildResult {
  dist: string;
  cpuPerGB: number[];
  maxRssMB: number;
  videoFrames: number;
  /** With --callgrind: instructions of the whole child. */
  instructions?: ThreadInstructions;
}

/** Just enough of net.Socket for the engine's connection (as in inproc.ts). */
class FakeSocket extends EventEmitter {
  remoteAddress = '127.0.0.1';
  remotePort = 1;
  paused = false;
  setNoDelay(): void {}
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    this.emit('resume');
  }
  write(): boolean {
    return true;
  }
  end(cb?: () => void): void {
    cb?.();
  }
  destroy(): void {}
}

async function pass(engine: Index.Engine, capture: string, meta: CaptureMeta): Promise<{ cpu: number; video: number }> {
  let video = 0;
  const finished = new Promise<void>((resolve) => {
    const off = engine.on('recording', (r) => {
      if (r.state === 'recording') return;
      video = r.videoFrames;
      off();
      resolve();
    });
  });
  const fd = fs.openSync(capture, 'r');
  const sock = new FakeSocket();
  const t0 = process.cpuUsage();
  engine.accept(sock);
  let pos = 0;
  for (const len of meta.segments) {
    if (sock.paused) await new Promise((r) => sock.once('resume', r));
    // A fresh buffer per read, as a socket gives (its death is part of the cost).
    const b = Buffer.allocUnsafe(len);
    fs.readSync(fd, b, 0, len, pos);
    pos += len;
    sock.emit('data', b);
    await new Promise((r) => setImmediate(r));
  }
  sock.emit('end');
  await finished;
  const t = process.cpuUsage(t0);
  fs.closeSync(fd);
  return { cpu: (t.user + t.system) / 1e6, video };
}

async function child(dist: string, capture: string, passes: number): Promise<void> {
  const meta = JSON.parse(fs.readFileSync(`${capture}.json`, 'utf8')) as CaptureMeta;
  // V8 flags to try against a build as it ships (e.g. --b-env INGEST_COST_V8_FLAGS=--always-sparkplug), set before the engine loads.
  for (const flag of (process.env.INGEST_COST_V8_FLAGS ?? '').split(' ').filter(Boolean)) v8.setFlagsFromString(flag);
  const { Engine, keepYoungGenerationSmall } = (await import(pathToFileURL(path.join(dist, 'app/index.js')).href)) as typeof Index;
  keepYoungGenerationSmall();
  const recDir = path.join(WORK, `rec-cost-${process.pid}`);
  fs.mkdirSync(recDir, { recursive: true });
  // recordFormats as `intake record --format flv` passes it: Mediabunny is not loaded (its import would land in pass 1).
  const statsIntervalMs = process.env.INGEST_COST_STATS_MS ? Number(process.env.INGEST_COST_STATS_MS) : undefined;
  const engine = new Engine({ port: 0, recordDir: recDir, autoRecord: true, recordFormat: 'flv', recordFormats: ['flv'], gopCache: false, statsIntervalMs });
  const bytes = meta.segments.reduce((a, b) => a + b, 0);
  const cpuPerGB: number[] = [];
  let video = 0;
  for (let i = 0; i < passes; i++) {
    const r = await pass(engine, capture, meta);
    cpuPerGB.push(r.cpu / (bytes / 1e9));
    video = r.video;
    for (const f of fs.readdirSync(recDir)) fs.rmSync(path.join(recDir, f));
  }
  await engine.stop();
  fs.rmSync(recDir, { recursive: true, force: true });
  const result: ChildResult = { dist, cpuPerGB, maxRssMB: process.resourceUsage().maxRSS / 1024, videoFrames: video };
  console.log(JSON.stringify(result));
}

/** One side of the comparison: a build and the environment its children run with. */
interface Side {
  label: string;
  dist: string;
  env: Record<string, string>;
}

/** How to start each child: plain node, or node under callgrind writing into `dir`. */
interface Launch {
  profile: string | undefined;
  callgrind: string | undefined;
}

function parent(a: Side, b: Side, capture: string, runs: number, passes: number, launch: Launch): void {
  const got = new Map<Side, ChildResult[]>([
    [a, []],
    [b, []],
  ]);
  const ratio: number[][] = [];
  for (let i = 0; i < runs; i++) {
    const pair = new Map<Side, ChildResult>();
    for (const side of i % 2 ? [b, a] : [a, b]) {
      const prof = launch.profile ? ['--cpu-prof', '--cpu-prof-dir', launch.profile] : [];
      const args = [...prof, ...tsxScript('ingest-cost.ts'), '--child', '--a', side.dist, '--capture', capture, '--passes', String(passes)];
      const env = { ...process.env, ...(launch.callgrind ? { INGEST_COST_STATS_MS: '60000' } : {}), ...side.env };
      const [cmd, argv] = launch.callgrind ? ['valgrind', [...callgrindArgs(launch.callgrind), process.execPath, ...args]] : [process.execPath, args];
      const out = execFileSync(cmd, argv, { cwd: ROOT, encoding: 'utf8', env, stdio: ['ignore', 'pipe', launch.callgrind ? 'ignore' : 'inherit'] });
      const r = JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
      if (launch.callgrind) r.instructions = readThreadInstructions(launch.callgrind);
      got.get(side)!.push(r);
      pair.set(side, r);
      const ins = r.instructions ? `  instructions M: main ${mega(r.instructions.main)} other ${mega(r.instructions.other)} total ${mega(r.instructions.total)}` : '';
      console.log(`${side.label}: CPU s/GB ${r.cpuPerGB.map((x) => x.toFixed(2)).join(' ')}  max RSS ${r.maxRssMB.toFixed(1)} MB  video ${r.videoFrames}${ins}`);
    }
    ratio.push(pair.get(b)!.cpuPerGB.map((x, k) => x / pair.get(a)!.cpuPerGB[k]));
  }
  for (const [side, rs] of got) {
    if (!rs.length) continue;
    const first = median(rs.map((r) => r.cpuPerGB[0]));
    const later = median(rs.flatMap((r) => r.cpuPerGB.slice(1)));
    console.log(`== ${side.label}: pass 1 ${first.toFixed(3)} s/GB, later ${later.toFixed(3)} s/GB, max RSS ${median(rs.map((r) => r.maxRssMB)).toFixed(1)} MB (medians of ${rs.length})`);
  }
  if (launch.callgrind) {
    for (const k of ['main', 'other', 'total'] as const) {
      const of = (side: Side): number[] => got.get(side)!.map((r) => r.instructions![k]);
      console.log(`== instructions, ${k}: A ${mega(median(of(a)))} M, B ${mega(median(of(b)))} M, B ÷ A ${(median(of(b)) / median(of(a))).toFixed(3)} (medians of ${runs})`);
    }
  }
  const later = ratio.flatMap((r) => r.slice(1));
  console.log(`== B ÷ A, medians of the per-pair ratios: pass 1 ${median(ratio.map((r) => r[0])).toFixed(3)}${later.length ? `, later ${median(later).toFixed(3)}` : ''}`);
}

const { values } = parseArgs({
  options: {
    child: { type: 'boolean', default: false },
    a: { type: 'string', default: path.join(ROOT, 'dist') },
    b: { type: 'string' },
    'b-env': { type: 'string', default: '' },
    capture: { type: 'string', default: path.join(WORK, 'capture-c128.bin') },
    runs: { type: 'string', default: '5' },
    passes: { type: 'string', default: '3' },
    profile: { type: 'string' },
    callgrind: { type: 'boolean', default: false },
  },
});
const a = path.resolve(values.a);
if (values.child) await child(a, path.resolve(values.capture), Number(values.passes));
else {
  const bEnv = envOf(values['b-env'], '--b-env');
  // Without --b: the base build, or A's own build when only the environment differs.
  const b = path.resolve(values.b ?? (values['b-env'] ? a : path.join(WORK, 'base', 'dist')));
  const label = (dist: string, env: Record<string, string>): string => `${path.relative(ROOT, dist) || dist}${Object.entries(env).map(([k, v]) => ` ${k}=${v}`).join('')}`;
  if (values.callgrind) {
    try {
      execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    } catch {
      throw new Error('--callgrind needs Valgrind: install it (Debian: apt-get install valgrind)');
    }
  }
  const callgrind = values.callgrind ? fs.mkdtempSync(path.join(WORK, 'callgrind-')) : undefined;
  try {
    parent({ label: `A ${label(a, {})}`, dist: a, env: {} }, { label: `B ${label(b, bEnv)}`, dist: b, env: bEnv }, path.resolve(values.capture), Number(values.runs), Number(values.passes), { profile: values.profile, callgrind });
  } finally {
    if (callgrind) fs.rmSync(callgrind, { recursive: true, force: true });
  }
}

/** Millions, for instruction counts. */
function mega(n: number): string {
  return (n / 1e6).toFixed(0);
}
