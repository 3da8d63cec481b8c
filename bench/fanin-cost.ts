/**
 * What each stream of a fan-in costs Intake's stream layer, per engine build,
 * in-process: N `LiveStream`s (health analyser included, as `intake record`
 * runs them) are fed the fan-in input's tags on a simulated clock, with a
 * stats snapshot per stream each simulated second, as the engine emits them
 * for `intake record` (no health summary: it prints only new findings;
 * `--summaries` builds one per stream each second, as for a UI following every stream).
 * Reports CPU time per stream-second and the heap and ArrayBuffer bytes the
 * N streams still hold afterwards (after a full collection). Why: the
 * end-to-end fan-in (`--only fanin`) measures the whole receiver against
 * nginx-rtmp, but on a shared machine its figures move by ±30 % between
 * repetitions; per-stream state and per-frame work are what a build changes,
 * and CPU time of a fixed workload plus retained bytes are steady enough to
 * compare builds in a few alternated runs (A B A B ...).
 *
 *   npx tsx bench/fanin-cost.ts [--a dist] [--b /path/to/other/dist] [--runs 5] [--streams 100] [--loops 3] [--summaries]
 *
 * Each child process measures one build; the parent alternates them and
 * prints each child's line and the medians.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type * as FlvReader from '../app/flv/flv-reader.js';
import type * as LiveStreamModule from '../app/streams/live-stream.js';
import { FANIN_INPUT } from './inputs.js';
import { ROOT, tsxScript } from './paths.js';
import { median } from './table.js';

/** One child's figures (one JSON line). */
interface ChildResult {
  dist: string;
  usPerStreamSecond: number;
  retainedHeapMB: number;
  retainedArrayBuffersMB: number;
}

/** Measure one build: `streams` LiveStreams fed the fan-in input `loops` times over. */
async function child(dist: string, streams: number, loops: number, summaries: boolean): Promise<ChildResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the child with --expose-gc');
  const mod = (rel: string): string => pathToFileURL(path.join(dist, rel)).href;
  const { readFlvFile } = (await import(mod('app/flv/flv-reader.js'))) as typeof FlvReader;
  const { LiveStream } = (await import(mod('app/streams/live-stream.js'))) as typeof LiveStreamModule;
  const tags = readFlvFile(fs.readFileSync(FANIN_INPUT.file)).tags.filter((t) => t.type === 8 || t.type === 9);
  const bodies = tags.map((t) => Buffer.from(t.body.buffer, t.body.byteOffset, t.body.byteLength));
  const spanMs = tags[tags.length - 1].timestamp + 33;
  let now = 0;
  const host = { step() {}, updated() {}, ended() {}, log() {}, now: () => now, gopCache: false };
  gc();
  const before = process.memoryUsage();
  const live = Array.from({ length: streams }, (_, i) => new LiveStream({ path: `live/fan${i}`, app: 'live', key: `fan${i}`, connectionId: i, remoteAddress: '127.0.0.1', publishType: 'live', startedAt: 0 }, host));
  const cpu0 = process.cpuUsage();
  let nextStats = 1000;
  for (let loop = 0; loop < loops; loop++) {
    for (let i = 0; i < tags.length; i++) {
      now = tags[i].timestamp + loop * spanMs;
      for (; now >= nextStats; nextStats += 1000) for (const s of live) s.stats(undefined, summaries);
      for (const s of live) s.media(tags[i].type, now, bodies[i]);
    }
  }
  const cpu = process.cpuUsage(cpu0);
  gc();
  const after = process.memoryUsage();
  if (live.length !== streams) throw new Error('unreachable');
  return {
    dist: path.relative(ROOT, dist) || dist,
    usPerStreamSecond: (cpu.user + cpu.system) / ((streams * loops * spanMs) / 1000),
    retainedHeapMB: (after.heapUsed - before.heapUsed) / 2 ** 20,
    retainedArrayBuffersMB: (after.arrayBuffers - before.arrayBuffers) / 2 ** 20,
  };
}

const { values } = parseArgs({
  options: {
    a: { type: 'string', default: path.join(ROOT, 'dist') },
    b: { type: 'string' },
    runs: { type: 'string', default: '5' },
    streams: { type: 'string', default: '100' },
    loops: { type: 'string', default: '3' },
    child: { type: 'string' },
    summaries: { type: 'boolean', default: false },
  },
});
const streams = Number(values.streams);
const loops = Number(values.loops);
if (values.child) {
  console.log(JSON.stringify(await child(path.resolve(values.child), streams, loops, values.summaries)));
} else {
  const dists = [values.a, ...(values.b ? [values.b] : [])].map((d) => path.resolve(d));
  const results = new Map<string, ChildResult[]>(dists.map((d) => [d, []]));
  for (let run = 0; run < Number(values.runs); run++) {
    for (const d of dists) {
      const out = execFileSync(process.execPath, ['--expose-gc', ...tsxScript('fanin-cost.ts'), '--child', d, '--streams', String(streams), '--loops', String(loops), ...(values.summaries ? ['--summaries'] : [])], { encoding: 'utf8' });
      const r = JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
      results.get(d)!.push(r);
      console.log(`run ${run + 1} ${r.dist}: ${r.usPerStreamSecond.toFixed(1)} µs CPU per stream-second; ${streams} streams retain ${r.retainedHeapMB.toFixed(2)} MB heap + ${r.retainedArrayBuffersMB.toFixed(2)} MB ArrayBuffers`);
    }
  }
  for (const [d, rs] of results) {
    console.log(`median ${path.relative(ROOT, d) || d}: ${median(rs.map((r) => r.usPerStreamSecond)).toFixed(1)} µs CPU per stream-second, retained ${median(rs.map((r) => r.retainedHeapMB)).toFixed(2)} MB heap + ${median(rs.map((r) => r.retainedArrayBuffersMB)).toFixed(2)} MB ArrayBuffers (${rs.length} runs)`);
  }
}
