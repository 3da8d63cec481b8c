/**
 * `npm run bench`: Intake side by side with nginx-rtmp as the reference receiver.
 *
 *   npm run bench -- [--reps 5] [--only ingest,fanin,inproc] [--fanin 100,200] [--formats flv,mp4] [--no-results] [--against DIR]
 *                                   --against DIR: ingest and fan-in also run DIR/bin/intake.js (a copy of another
 *                                   build's bin/ + dist/) as `intake@base` in every repetition, interleaved
 *   npm run bench -- --profile      one Intake run per scenario under node --cpu-prof, top 15 self time
 *   npm run bench -- --only soak [--minutes 10] [--soak-streams 20]
 *                                   memory over a long session (bench/soak.ts): its own section of RESULTS.md
 *   npm run bench -- --only latency [--reps 3] [--latency-seconds 15] [--viewers ffplay,intake] [--against bench/work/BUILD] [--sound]
 *                                   glass to glass against ffplay (latency.ts); alone, since it wants the CPU to itself;
 *                                   --sound: Intake's preview unmuted (the picture then waits for its sound)
 *   npm run bench -- --only record [--reps 5] [--formats flv,mp4,mkv]
 *                                   recording's CPU time per format, in-process (record-cost.ts); alone, prints only
 *   npm run bench -- --only ttp [--reps 5] [--viewers intake,intake-mse] [--against bench/work/BUILD]
 *                                   time to picture alone, with where it goes (latency-startup.ts); prints, writes nothing
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
import { runLatency } from './latency.js';
import { runTtp } from './latency-startup.js';
import { FANIN_INPUT, INGEST_INPUT, type InputInfo, input } from './inputs.js';
import { BENCH_DIR, ROOT, WORK, intakeBin, tsxScript } from './paths.js';
import { topSelf } from './prof-top.js';
import { type ReceiverName, shebangFlags } from './receivers.js';
import { type Repeated, type RunResults, resultsMarkdown, targetsTable, verdicts } from './report.js';
import { type FaninResult, type IngestResult, captureSession, faninRun, ingestRun } from './scenarios.js';
import { commit, soakRun } from './soak.js';
import { withMainSection } from './results-doc.js';
import { soakMarkdown, withSoakSection } from './soak-report.js';
import { f, pct, table } from './table.js';

const SCENARIOS = ['ingest', 'fanin', 'inproc', 'soak', 'latency', 'record', 'ttp'] as const;
/** What runs without --only: the soak takes minutes to hours and latency wants the machine to itself, so they run only when asked for. */
const DEFAULT_SCENARIOS = ['ingest', 'fanin', 'inproc'] as const;
type Scenario = (typeof SCENARIOS)[number];
const CHUNK_SIZES = [4096, 128] as const;
/** Pushes of the ingest input per receiver in the health analyser's block (a session; see healthPairs). */
const HEALTH_PUSHES = 3;

const log = (s: string): void => void process.stderr.write(`${s}\n`);

function options(argv: string[]): { reps: number; only: Set<Scenario>; fanin: number[]; profile: boolean; writeResults: boolean; formats: string[]; minutes: number; soakStreams: number; latencySeconds: number; viewers: string[]; against: string | undefined; sound: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      reps: { type: 'string', default: '5' },
      only: { type: 'string', default: DEFAULT_SCENARIOS.join(',') },
      minutes: { type: 'string', default: '10' },
      'soak-streams': { type: 'string', default: '20' },
      'latency-seconds': { type: 'string', default: '15' },
      viewers: { type: 'string', default: 'ffplay,intake' },
      fanin: { type: 'string', default: '100,200' },
      profile: { type: 'boolean', default: false },
      'no-results': { type: 'boolean', default: false },
      formats: { type: 'string', default: 'flv' },
      against: { type: 'string' },
      sound: { type: 'boolean', default: false },
    },
  });
  const formats = values.formats.split(',');
  const badFormat = formats.filter((x) => !['flv', 'mp4', 'mkv'].includes(x));
  if (badFormat.length || !formats.includes('flv')) throw new Error('--formats: flv (always, the comparison with nginx-rtmp) and any of mp4, mkv, e.g. flv,mp4');
  const reps = Number(values.reps);
  if (!Number.isInteger(reps) || reps < 1) throw new Error('--reps must be a positive integer');
  const only = values.only.split(',');
  const unknown = only.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`--only: unknown scenario ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')})`);
  const fanin = values.fanin.split(',').map(Number);
  if (fanin.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--fanin takes publisher counts, e.g. 100,200');
  const minutes = Number(values.minutes);
  if (!(minutes > 0)) throw new Error('--minutes must be a positive number');
  const soakStreams = Number(values['soak-streams']);
  if (!Number.isInteger(soakStreams) || soakStreams < 1) throw new Error('--soak-streams must be a positive integer');
  const latencySeconds = Number(values['latency-seconds']);
  if (!(latencySeconds >= 3)) throw new Error('--latency-seconds must be at least 3');
  const viewers = values.viewers.split(',');
  if (viewers.some((v) => !['ffplay', 'intake', 'intake-mse', 'intake-webcodecs'].includes(v))) throw new Error('--viewers: ffplay, intake, intake-mse, intake-webcodecs');
  return { reps, only: new Set(only as Scenario[]), fanin, profile: values.profile, writeResults: !values['no-results'] && !values.profile, formats, minutes, soakStreams, latencySeconds, viewers, against: values.against, sound: values.sound };
}

/** One Intake run per scenario under `node --cpu-prof`, and the top self-time functions of each. */
async function profile(ingestSrc: InputInfo, faninSrc: InputInfo, only: Set<Scenario>, fanin: number[], against: string | undefined): Promise<void> {
  const dir = path.join(WORK, 'prof');
  emptyDir(dir);
  const out: { title: string; sub: string }[] = [];
  // With --against, the other build is profiled the same way right after this one.
  const names: ReceiverName[] = against ? ['intake', 'intake@base'] : ['intake'];
  for (const cs of only.has('ingest') ? CHUNK_SIZES : []) {
    for (const name of names) {
      const sub = path.join(dir, `ingest-c${cs}${name === 'intake' ? '' : '-base'}`);
      const r = await ingestRun(name, cs, ingestSrc, { profileDir: sub, baseDir: against });
      out.push({ title: `${name} ingest, chunk size ${cs} (CPU ${f(r.cpu)} s, ${f(r.cpuPerGB)} s/GB under the profiler)`, sub });
    }
  }
  for (const streams of only.has('fanin') ? fanin : []) {
    for (const name of names) {
      const sub = path.join(dir, `fanin-${streams}${name === 'intake' ? '' : '-base'}`);
      const r = await faninRun(name, streams, faninSrc, { profileDir: sub, baseDir: against });
      out.push({ title: `${name} fan-in, ${streams} streams (CPU ${f(r.cpuPct, 1)} % of a core under the profiler, peak RSS ${f(r.rssMB, 1)} MB)`, sub });
    }
  }
  for (const o of out) {
    const prof = fs.readdirSync(o.sub).find((x) => x.endsWith('.cpuprofile'));
    if (!prof) throw new Error(`no profile in ${o.sub}`);
    const top = topSelf(path.join(o.sub, prof), 15);
    console.log(`\n### Intake profile: ${o.title}\n\n${path.relative(ROOT, path.join(o.sub, prof))}: ${f(top.totalMs, 0)} ms sampled (not idle)\n`);
    console.log(table(['#', 'self ms', 'self %', '<function', '<where'], top.rows.map((x, i) => [i + 1, f(x.selfMs, 1), f(x.pct, 1), x.name, x.where])));
  }
}

const readResults = (): string => (fs.existsSync(path.join(BENCH_DIR, 'RESULTS.md')) ? fs.readFileSync(path.join(BENCH_DIR, 'RESULTS.md'), 'utf8') : '');

/** The soak (bench/soak.ts), written into its own section of RESULTS.md. */
async function soak(opts: ReturnType<typeof options>, src: InputInfo, command: string): Promise<void> {
  log(`bench: soak, ${opts.soakStreams} publishers for ${opts.minutes} min...`);
  const r = await soakRun(src, opts.soakStreams, opts.minutes, log);
  const section = soakMarkdown({ command, streams: opts.soakStreams, minutes: opts.minutes, when: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', commit: commit(), samples: r.samples, notes: r.notes });
  console.log(section);
  if (opts.writeResults) {
    fs.writeFileSync(path.join(BENCH_DIR, 'RESULTS.md'), withSoakSection(readResults(), section, opts.minutes));
    log('bench: wrote the soak section of bench/RESULTS.md');
  }
}

/** Intake first in odd repetitions, nginx first in even ones; `intake@base` (--against) between them. */
const order = (rep: number, against: boolean): ReceiverName[] => {
  const names: ReceiverName[] = against ? ['intake', 'intake@base', 'nginx'] : ['intake', 'nginx'];
  return rep % 2 ? names : names.reverse();
};

/** The usage at the top of this file, for --help. */
function usage(): string {
  const src = fs.readFileSync(new URL(import.meta.url), 'utf8');
  const doc = src.slice(src.indexOf('/**') + 3, src.indexOf('*/'));
  return doc.split('\n').map((l) => l.replace(/^ \* ?/, '')).join('\n').trim();
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage());
    return;
  }
  const opts = options(argv);
  const command = process.env.npm_lifecycle_event === 'bench' ? `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}` : `npx tsx bench/run.ts${argv.length ? ` ${argv.join(' ')}` : ''}`;
  if (opts.only.has('ttp')) {
    if (opts.only.size > 1) throw new Error('--only ttp runs alone');
    console.log(await runTtp({ reps: opts.reps, viewers: opts.viewers, ...(opts.against ? { against: opts.against } : {}), log }));
    return;
  }
  if (opts.only.has('latency')) {
    if (opts.only.size > 1) throw new Error('--only latency runs alone (it wants the CPU to itself)');
    console.log(await runLatency({ reps: opts.reps, seconds: opts.latencySeconds, viewers: opts.viewers, command, writeResults: opts.writeResults, sound: opts.sound, ...(opts.against ? { against: opts.against } : {}), log }));
    if (opts.writeResults) log('bench: wrote the latency section of bench/RESULTS.md');
    return;
  }
  if (opts.only.has('record')) {
    if (opts.only.size > 1) throw new Error('--only record runs alone');
    const { recordCost } = await import('./record-cost.js');
    input(INGEST_INPUT, log);
    console.log(await recordCost(INGEST_INPUT.file, opts.reps, ['none', ...opts.formats] as ('none' | 'flv' | 'mp4' | 'mkv')[], log));
    return;
  }
  checkBuild(log);
  const prov = provenance();
  snapshot();
  if (opts.only.has('soak') && !opts.profile) {
    await soak(opts, input(FANIN_INPUT, log), command);
    opts.only.delete('soak');
    if (opts.only.size === 0) return;
  }
  const ingestSrc = input(INGEST_INPUT, log);
  const faninSrc = input(FANIN_INPUT, log);
  const base = { baseDir: opts.against };
  const ingestLogged = async (name: ReceiverName, cs: number, rep: number, what = 'ingest', pushes = 1): Promise<Repeated<IngestResult>> => {
    const r = await ingestRun(name, cs, ingestSrc, base, pushes);
    const each = pushes > 1 ? ` (pushes ${r.pushCpu.map((x) => f(x)).join(' + ')})` : '';
    log(`bench: rep ${rep} ${what} c${cs} ${name}: ${f(r.mbps, 0)} MB/s, ${f(r.cpu)} s CPU${each} (${f(r.cpuPerGB)} s/GB), peak RSS ${f(r.rssMB, 1)} MB, capture ${pct(r.capture)}, pusher ${f(r.pusherCpu)} s CPU`);
    return { ...r, rep };
  };
  /**
   * The health analyser's cost at chunk size `cs` (issue 9): one Intake run
   * whose figures are thrown away, then Intake and Intake without the
   * analyser (`intake-nohealth`) as A B B A in odd repetitions and B A A B in
   * even ones, as two adjacent pairs. Why a block of its own: run among the
   * other receivers, the first Intake run after nginx-rtmp's, or after a
   * fan-in, often cost 1.3-1.5 times the others (bench/RESULTS.md), and
   * that run fell on one variant or the other by repetition; the thrown-away
   * run takes that place, and A B B A cancels what is left of a trend. Each
   * counted run is a session of HEALTH_PUSHES pushes into one receiver
   * (~1.8 GB, 2.5-4 s of CPU): one push is under a second of CPU, which
   * measures start-up more than cost per GB (the first push's share is
   * reported apart).
   */
  const healthPairs = async (cs: number, rep: number): Promise<Repeated<IngestResult>[][]> => {
    const warm = await ingestRun('intake', cs, ingestSrc);
    log(`bench: rep ${rep} health c${cs} (not counted): ${f(warm.cpu)} s CPU`);
    const abba: ReceiverName[] = rep % 2 ? ['intake', 'intake-nohealth', 'intake-nohealth', 'intake'] : ['intake-nohealth', 'intake', 'intake', 'intake-nohealth'];
    const runs: Repeated<IngestResult>[] = [];
    for (const name of abba) runs.push(await ingestLogged(name, cs, rep, 'health', HEALTH_PUSHES));
    return [runs.slice(0, 2), runs.slice(2)];
  };
  if (opts.profile) return profile(ingestSrc, faninSrc, opts.only, opts.fanin, opts.against);
  if (opts.against && !fs.existsSync(path.join(opts.against, 'dist', 'app', 'cli', 'main.js'))) throw new Error(`--against ${opts.against}: no built dist/app/cli/main.js there`);
  const started = Date.now();
  log(`bench: ingest input ${ingestSrc.file}: ${f(ingestSrc.bytes / 1e6, 1)} MB, ${f(ingestSrc.durationS, 1)} s, ${f(ingestSrc.mbitPerS)} Mbit/s, ${ingestSrc.videoFrames} video frames`);
  log(`bench: fan-in input ${faninSrc.file}: ${f(faninSrc.bytes / 1e6, 1)} MB, ${f(faninSrc.durationS, 1)} s, ${f(faninSrc.mbitPerS)} Mbit/s, ${faninSrc.videoFrames} video frames`);

  const ingest: Repeated<IngestResult>[][] = [];
  const health: Repeated<IngestResult>[][] = [];
  const fanin = new Map<number, Repeated<FaninResult>[][]>();
  for (let rep = 1; rep <= opts.reps; rep++) {
    if (opts.only.has('ingest')) {
      for (const cs of CHUNK_SIZES) {
        const pair = [];
        // Intake recording MP4/MKV runs right after Intake recording FLV, in the same alternation with nginx-rtmp.
        const names = order(rep, !!opts.against).flatMap((n) => (n === 'intake' ? ['intake' as const, ...opts.formats.filter((x) => x !== 'flv').map((x) => `intake-${x}` as ReceiverName)] : [n]));
        for (const name of names) pair.push(await ingestLogged(name, cs, rep));
        ingest.push(pair);
        health.push(...(await healthPairs(cs, rep)));
      }
    }
    if (opts.only.has('fanin')) {
      for (const streams of opts.fanin) {
        const pair = [];
        for (const name of order(rep, !!opts.against)) {
          const r = await faninRun(name, streams, faninSrc, base);
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
    against: opts.against ?? null,
    ingestSrc,
    faninSrc,
    ingest,
    health,
    fanin,
    inproc,
  };
  const text = resultsMarkdown(results);
  console.log(text);
  log(`\nTargets (${command}):\n${targetsTable(verdicts(results))}`);
  if (opts.writeResults) {
    // Only the main section is replaced: the soak's, the latency's and the notes written by hand stay.
    fs.writeFileSync(path.join(BENCH_DIR, 'RESULTS.md'), withMainSection(readResults(), text));
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
