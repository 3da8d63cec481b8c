/**
 * `npm run bench`: Intake side by side with nginx-rtmp as the reference receiver.
 *
 *   npm run bench -- [--reps 5] [--only ingest,fanin,inproc] [--fanin 100,200] [--no-results]
 *   npm run bench -- --profile      one Intake run per scenario under node --cpu-prof, top 15 self time
 *   npm run bench -- --only latency [--reps 3] [--latency-seconds 15] [--viewers ffplay,intake]
 *                                   glass to glass against ffplay (latency.ts); alone, since it wants the CPU to itself
 *
 * TypeScript run by tsx. It measures a copy of bin/ + dist/ taken at its
 * start (bench/work/snapshot; build first with `npm run build`), so a rebuild
 * by someone else mid-run changes nothing. Linux only (/proc). Inputs are
 * generated once into bench/work/ with ffmpeg and reused; every process the
 * bench starts is stopped by it, also on error and Ctrl-C. Only 127.0.0.1.
 *
 * Units: MB = 10^6 bytes and GB = 10^9 bytes of FLV tag payload pushed (what
 * `intake push` reports), except RSS: MB = 2^20 bytes. CPU = utime + stime
 * (+ cutime + cstime) over the receiver's process tree, from /proc/PID/stat.
 * Writes bench/RESULTS.md (unless --no-results or --profile).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Child, killAll, killAllSync, sleep } from './child.js';
import { checkBuild, machine, provenance, snapshot } from './environment.js';
import { emptyDir } from './flv-count.js';
import type { InprocResult } from './inproc.js';
import { keptSection, runLatency } from './latency.js';
import { FANIN_INPUT, INGEST_INPUT, type InputInfo, input } from './inputs.js';
import { BENCH_DIR, ROOT, WORK, intakeBin, tsxScript } from './paths.js';
import { topSelf } from './prof-top.js';
import { type ReceiverName, shebangFlags } from './receivers.js';
import { type Repeated, type RunResults, resultsMarkdown, targetsTable, verdicts } from './report.js';
import { type FaninResult, type IngestResult, captureSession, faninRun, ingestRun } from './scenarios.js';
import { f, pct, table } from './table.js';

const SCENARIOS = ['ingest', 'fanin', 'inproc', 'latency'] as const;
type Scenario = (typeof SCENARIOS)[number];
const CHUNK_SIZES = [4096, 128] as const;

const log = (s: string): void => void process.stderr.write(`${s}\n`);

function options(argv: string[]): { reps: number; only: Set<Scenario>; fanin: number[]; profile: boolean; writeResults: boolean; latencySeconds: number; viewers: string[] } {
  const { values } = parseArgs({
    args: argv,
    options: {
      reps: { type: 'string', default: '5' },
      only: { type: 'string', default: 'ingest,fanin,inproc' },
      'latency-seconds': { type: 'string', default: '15' },
      viewers: { type: 'string', default: 'ffplay,intake' },
      fanin: { type: 'string', default: '100,200' },
      profile: { type: 'boolean', default: false },
      'no-results': { type: 'boolean', default: false },
    },
  });
  const reps = Number(values.reps);
  if (!Number.isInteger(reps) || reps < 1) throw new Error('--reps must be a positive integer');
  const only = values.only.split(',');
  const unknown = only.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`--only: unknown scenario ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')})`);
  const fanin = values.fanin.split(',').map(Number);
  if (fanin.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--fanin takes publisher counts, e.g. 100,200');
  const latencySeconds = Number(values['latency-seconds']);
  if (!(latencySeconds >= 3)) throw new Error('--latency-seconds must be at least 3');
  const viewers = values.viewers.split(',');
  if (viewers.some((v) => !['ffplay', 'intake', 'intake-mse', 'intake-webcodecs'].includes(v))) throw new Error('--viewers: ffplay, intake, intake-mse, intake-webcodecs');
  return { reps, only: new Set(only as Scenario[]), fanin, profile: values.profile, writeResults: !values['no-results'] && !values.profile, latencySeconds, viewers };
}

/** One Intake run per scenario under `node --cpu-prof`, and the top self-time functions of each. */
async function profile(ingestSrc: InputInfo, faninSrc: InputInfo, fanin: number[]): Promise<void> {
  const dir = path.join(WORK, 'prof');
  emptyDir(dir);
  const out: { title: string; sub: string }[] = [];
  for (const cs of CHUNK_SIZES) {
    const sub = path.join(dir, `ingest-c${cs}`);
    const r = await ingestRun('intake', cs, ingestSrc, sub);
    out.push({ title: `ingest, chunk size ${cs} (CPU ${f(r.cpu)} s, ${f(r.cpuPerGB)} s/GB under the profiler)`, sub });
  }
  for (const streams of fanin) {
    const sub = path.join(dir, `fanin-${streams}`);
    const r = await faninRun('intake', streams, faninSrc, sub);
    out.push({ title: `fan-in, ${streams} streams (CPU ${f(r.cpuPct, 1)} % of a core under the profiler)`, sub });
  }
  for (const o of out) {
    const prof = fs.readdirSync(o.sub).find((x) => x.endsWith('.cpuprofile'));
    if (!prof) throw new Error(`no profile in ${o.sub}`);
    const top = topSelf(path.join(o.sub, prof), 15);
    console.log(`\n### Intake profile: ${o.title}\n\n${path.relative(ROOT, path.join(o.sub, prof))}: ${f(top.totalMs, 0)} ms sampled (not idle)\n`);
    console.log(table(['#', 'self ms', 'self %', '<function', '<where'], top.rows.map((x, i) => [i + 1, f(x.selfMs, 1), f(x.pct, 1), x.name, x.where])));
  }
}

/** Intake first in odd repetitions, nginx first in even ones. */
const order = (rep: number): ReceiverName[] => (rep % 2 ? ['intake', 'nginx'] : ['nginx', 'intake']);

async function main(argv: string[]): Promise<void> {
  const opts = options(argv);
  const command = process.env.npm_lifecycle_event === 'bench' ? `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}` : `npx tsx bench/run.ts${argv.length ? ` ${argv.join(' ')}` : ''}`;
  if (opts.only.has('latency')) {
    if (opts.only.size > 1) throw new Error('--only latency runs alone (it wants the CPU to itself)');
    console.log(await runLatency({ reps: opts.reps, seconds: opts.latencySeconds, viewers: opts.viewers, command, writeResults: opts.writeResults, log }));
    if (opts.writeResults) log('bench: wrote the latency section of bench/RESULTS.md');
    return;
  }
  checkBuild(log);
  const prov = provenance();
  snapshot();
  const ingestSrc = input(INGEST_INPUT, log);
  const faninSrc = input(FANIN_INPUT, log);
  if (opts.profile) return profile(ingestSrc, faninSrc, opts.fanin);
  const started = Date.now();
  log(`bench: ingest input ${ingestSrc.file}: ${f(ingestSrc.bytes / 1e6, 1)} MB, ${f(ingestSrc.durationS, 1)} s, ${f(ingestSrc.mbitPerS)} Mbit/s, ${ingestSrc.videoFrames} video frames`);
  log(`bench: fan-in input ${faninSrc.file}: ${f(faninSrc.bytes / 1e6, 1)} MB, ${f(faninSrc.durationS, 1)} s, ${f(faninSrc.mbitPerS)} Mbit/s, ${faninSrc.videoFrames} video frames`);

  const ingest: Repeated<IngestResult>[][] = [];
  const fanin = new Map<number, Repeated<FaninResult>[][]>();
  for (let rep = 1; rep <= opts.reps; rep++) {
    if (opts.only.has('ingest')) {
      for (const cs of CHUNK_SIZES) {
        const pair = [];
        for (const name of order(rep)) {
          const r = await ingestRun(name, cs, ingestSrc);
          log(`bench: rep ${rep} ingest c${cs} ${name}: ${f(r.mbps, 0)} MB/s, ${f(r.cpu)} s CPU (${f(r.cpuPerGB)} s/GB), peak RSS ${f(r.rssMB, 1)} MB, capture ${pct(r.capture)}, pusher ${f(r.pusherCpu)} s CPU`);
          pair.push({ ...r, rep });
        }
        ingest.push(pair);
      }
    }
    if (opts.only.has('fanin')) {
      for (const streams of opts.fanin) {
        const pair = [];
        for (const name of order(rep)) {
          const r = await faninRun(name, streams, faninSrc);
          log(`bench: rep ${rep} fan-in ${streams} ${name}: ${f(r.cpuPct, 1)} % CPU over ${f(r.windowS, 1)} s, peak RSS ${f(r.rssMB, 1)} MB, capture min ${pct(r.captureMin)} (${r.recordings} recordings), pusher ${f(r.pusherCpuPct, 1)} %, max lag ${r.pusherMaxLagMs} ms`);
          pair.push({ ...r, rep });
        }
        fanin.set(streams, [...(fanin.get(streams) ?? []), pair]);
      }
    }
  }

  let inproc: InprocResult[] = [];
  if (opts.only.has('inproc')) {
    const files = [];
    for (const cs of CHUNK_SIZES) files.push(await captureSession(cs, ingestSrc, log));
    log('bench: in-process engine replay...');
    const child = new Child('inproc', process.execPath, [...tsxScript('inproc.ts'), ...files, '--iterations', String(Math.max(3, Math.min(opts.reps, 5)))]);
    if ((await child.exited) !== 0) throw new Error(`inproc failed${child.tail()}`);
    inproc = child.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as InprocResult);
  }
  const provEnd = provenance();
  const rebuiltAt = provEnd.distBuilt !== prov.distBuilt ? provEnd.distBuilt : null;
  if (rebuiltAt) log(`bench: note: dist/ was rebuilt during the run (${prov.distBuilt} -> ${rebuiltAt}); the run measured its snapshot of the ${prov.distBuilt} build`);
  const results: RunResults = {
    command,
    started,
    minutes: (Date.now() - started) / 60000,
    reps: opts.reps,
    machine: machine(),
    provenance: prov,
    rebuiltAt,
    shebangFlags: shebangFlags(intakeBin()),
    ingestSrc,
    faninSrc,
    ingest,
    fanin,
    inproc,
  };
  const text = resultsMarkdown(results);
  console.log(text);
  log(`\nTargets (${command}):\n${targetsTable(verdicts(results))}`);
  if (opts.writeResults) {
    const file = path.join(BENCH_DIR, 'RESULTS.md');
    fs.writeFileSync(file, text + keptSection(file));
    log('bench: wrote bench/RESULTS.md');
  }
}

// Every process the bench started is stopped on every way out.
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    log(`\nbench: ${sig}, stopping every process it started`);
    void killAll().finally(() => process.exit(130));
  });
}
process.on('exit', killAllSync);

try {
  await main(process.argv.slice(2));
  await killAll();
} catch (err) {
  log(`bench: ${(err as Error).stack ?? String(err)}`);
  await killAll();
  process.exitCode = 1;
}
// Make sure nothing keeps the process alive (child pipes, timers).
await sleep(10);
