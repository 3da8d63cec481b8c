/**
 * Top self-time functions of a V8 .cpuprofile (from `node --cpu-prof`).
 *
 *   npx tsx bench/prof-top.ts FILE.cpuprofile [N=15]
 *
 * Prints the top N functions by self time, then the time of each engine
 * function (dist/app) including the Node internals it called, e.g. a
 * recorder's `fs.write` counts under the recorder function that called it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './paths.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

/** The parts of a .cpuprofile read here. */
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One function's self time. */
export interface SelfTime {
  name: string;
  where: string;
  selfMs: number;
  /** Of the non-idle samples. */
  pct: number;
}

/** Self time per function (name + file + line), largest first; idle excluded from the total. */
export function topSelf(file: string, n = 15): { totalMs: number; idleMs: number; rows: SelfTime[] } {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const agg = new Map<string, { name: string; where: string; us: number }>();
  let total = 0;
  let idle = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const node = byId.get(p.samples[i]);
    const dt = p.timeDeltas[i + 1] ?? 0;
    if (!node) continue;
    const cf = node.callFrame;
    if (cf.functionName === '(idle)') {
      idle += dt;
      continue;
    }
    total += dt;
    const url = cf.url.replace(/^file:\/\//, '');
    const rel = url.startsWith('/') ? path.relative(ROOT, url).replace(/^bench\/work\/snapshot\//, '') : url;
    const where = url ? `${rel}:${cf.lineNumber + 1}` : '';
    const name = cf.functionName || '(anonymous)';
    const key = `${name}@${where}`;
    const e = agg.get(key) ?? { name, where, us: 0 };
    e.us += dt;
    agg.set(key, e);
  }
  return { totalMs: total / 1000, idleMs: idle / 1000, rows: topRows(agg, total, n) };
}

/** The `n` largest of `agg`, with their share of `total` (microseconds). */
function topRows(agg: Map<string, { name: string; where: string; us: number }>, total: number, n: number): SelfTime[] {
  return [...agg.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, n)
    .map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, pct: (100 * e.us) / total }));
}

/**
 * Non-idle time attributed to the innermost engine frame (a dist/app file) of
 * each sample, so Node internals count under the engine function that called
 * them; samples without one (GC, the event loop, start-up) keep their own name.
 */
export function byEngineFunction(file: string, n = 15): { totalMs: number; rows: SelfTime[] } {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const parent = new Map<number, number>();
  for (const node of p.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const owner = new Map<number, { name: string; where: string }>();
  const ownerOf = (id: number): { name: string; where: string } => {
    const known = owner.get(id);
    if (known) return known;
    let at: number | undefined = id;
    let found: { name: string; where: string } | null = null;
    while (at !== undefined && !found) {
      const cf = byId.get(at)!.callFrame;
      const m = /\/dist\/(app\/.*)$/.exec(cf.url);
      if (m) found = { name: cf.functionName || '(anonymous)', where: `${m[1]}:${cf.lineNumber + 1}` };
      at = parent.get(at);
    }
    const leaf = byId.get(id)!.callFrame;
    const result = found ?? { name: leaf.functionName || '(anonymous)', where: leaf.url.replace(/^file:\/\//, '') };
    owner.set(id, result);
    return result;
  };
  const agg = new Map<string, { name: string; where: string; us: number }>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const node = byId.get(p.samples[i]);
    const dt = p.timeDeltas[i + 1] ?? 0;
    if (!node || node.callFrame.functionName === '(idle)') continue;
    total += dt;
    const o = ownerOf(node.id);
    const key = `${o.name}@${o.where}`;
    const e = agg.get(key) ?? { ...o, us: 0 };
    e.us += dt;
    agg.set(key, e);
  }
  return { totalMs: total / 1000, rows: topRows(agg, total, n) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npx tsx bench/prof-top.ts FILE.cpuprofile [N]');
    process.exit(2);
  }
  const { totalMs, rows } = topSelf(file, Number(process.argv[3] ?? 15));
  console.log(`non-idle samples: ${totalMs.toFixed(0)} ms`);
  console.log('| # | self ms | self % | function | where |\n|---|---:|---:|---|---|');
  rows.forEach((r, i) => console.log(`| ${i + 1} | ${r.selfMs.toFixed(1)} | ${r.pct.toFixed(1)} | ${r.name} | ${r.where} |`));
  console.log('\nBy engine function (Node internals counted under the engine function that called them):');
  console.log('| # | ms | % | function | where |\n|---|---:|---:|---|---|');
  byEngineFunction(file, Number(process.argv[3] ?? 15)).rows.forEach((r, i) => console.log(`| ${i + 1} | ${r.selfMs.toFixed(1)} | ${r.pct.toFixed(1)} | ${r.name} | ${r.where} |`));
}
