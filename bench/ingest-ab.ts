/**
 * The real CLI ingest (`intake record --format flv` receiving `intake push`
 * of the ~612 MB ingest input, as `npm run bench -- --only ingest` runs it)
 * for two variants of Intake, interleaved (A B, B A, ...), optionally with
 * nginx-rtmp in every repetition. A variant is a build (a folder holding
 * bin/ + dist/) and environment variables for the receiver, so one switch
 * read at start, such as the health analyser's `INTAKE_HEALTH=off`, is
 * measured end to end with everything else the same:
 *
 *   npx tsx bench/ingest-ab.ts [--reps 6] [--chunk 4096,128] [--b-env INTAKE_HEALTH=off]
 *     [--a-build DIR] [--b-build DIR] [--nginx] [--pushes N]
 *
 * `--pushes N` pushes the input N times into each Intake receiver (a session,
 * as the health analyser's block of `npm run bench` runs it); the ratios are
 * then of the whole session, and of its first push and later pushes apart.
 *
 * Prints each run (CPU s/GB as the main bench counts it, peak RSS, capture)
 * and the medians of the per-repetition ratios B ÷ A (and Intake ÷ nginx).
 * The build defaults to this checkout (bin/ + dist/); build first.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { killAll } from './child.js';
import { envOf } from './env-arg.js';
import { INGEST_INPUT, input } from './inputs.js';
import { ROOT } from './paths.js';
import { type IngestResult, ingestRun } from './scenarios.js';
import { f, median } from './table.js';
import { partCpu } from './targets.js';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '6' },
    chunk: { type: 'string', default: '4096' },
    'a-build': { type: 'string', default: ROOT },
    'b-build': { type: 'string' },
    'a-env': { type: 'string', default: '' },
    'b-env': { type: 'string', default: '' },
    nginx: { type: 'boolean', default: false },
    pushes: { type: 'string', default: '1' },
  },
});

interface Variant {
  name: 'A' | 'B';
  dist: string;
  env: Record<string, string>;
}

const variants: Variant[] = [
  { name: 'A', dist: path.join(path.resolve(values['a-build']), 'dist'), env: envOf(values['a-env'], '--a-env') },
  { name: 'B', dist: path.join(path.resolve(values['b-build'] ?? values['a-build']), 'dist'), env: envOf(values['b-env'], '--b-env') },
];

/** One Intake run of `v`: its build and environment set for the receiver the run starts (children inherit process.env). */
async function runVariant(v: Variant, chunk: number): Promise<IngestResult> {
  const saved = { ...process.env };
  process.env.INTAKE_DIST = v.dist;
  Object.assign(process.env, v.env);
  try {
    return await ingestRun('intake', chunk, src, {}, Number(values.pushes));
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

const src = input(INGEST_INPUT, (s) => console.error(s));
const reps = Number(values.reps);
try {
  for (const chunk of values.chunk.split(',').map(Number)) {
    const ratios: number[] = [];
    const first: number[] = [];
    const later: number[] = [];
    const vsNginx: Record<string, number[]> = { A: [], B: [] };
    const rss: Record<string, number[]> = { A: [], B: [] };
    for (let rep = 0; rep < reps; rep++) {
      const got: Record<string, IngestResult> = {};
      const order = rep % 2 ? [variants[1], variants[0]] : [variants[0], variants[1]];
      if (values.nginx && rep % 2) got.nginx = await ingestRun('nginx', chunk, src);
      for (const v of order) got[v.name] = await runVariant(v, chunk);
      if (values.nginx && !(rep % 2)) got.nginx = await ingestRun('nginx', chunk, src);
      for (const [k, r] of Object.entries(got)) {
        console.log(`chunk ${chunk} rep ${rep + 1} ${k}: CPU ${f(r.cpu)} s (pushes ${r.pushCpu.map((x) => f(x)).join(' ')}), ${f(r.cpuPerGB)} s/GB, peak RSS ${f(r.rssMB, 1)} MB, capture ${r.frames}/${r.expected}, load ${os.loadavg()[0].toFixed(2)}`);
      }
      ratios.push(got.B.cpuPerGB / got.A.cpuPerGB);
      first.push(partCpu(got.B, 'first') / partCpu(got.A, 'first'));
      if (got.A.pushCpu.length > 1) later.push(partCpu(got.B, 'later') / partCpu(got.A, 'later'));
      for (const k of ['A', 'B'] as const) {
        rss[k].push(got[k].rssMB);
        if (got.nginx) vsNginx[k].push(got[k].cpuPerGB / got.nginx.cpuPerGB);
      }
    }
    console.log(`== chunk ${chunk}: B ÷ A CPU/GB median ${f(median(ratios), 3)} (${ratios.map((x) => f(x, 3)).join(', ')}); peak RSS median A ${f(median(rss.A), 1)} MB, B ${f(median(rss.B), 1)} MB`);
    if (later.length) console.log(`== chunk ${chunk}: B ÷ A first push median ${f(median(first), 3)} (${first.map((x) => f(x, 3)).join(', ')}); later pushes ${f(median(later), 3)} (${later.map((x) => f(x, 3)).join(', ')})`);
    if (values.nginx) console.log(`== chunk ${chunk}: ÷ nginx median A ${f(median(vsNginx.A), 3)} (${vsNginx.A.map((x) => f(x, 2)).join(', ')}), B ${f(median(vsNginx.B), 3)} (${vsNginx.B.map((x) => f(x, 2)).join(', ')})`);
  }
} finally {
  await killAll();
}
