// @ts-check
/**
 * Top self-time functions of a V8 .cpuprofile (from `node --cpu-prof`).
 *
 *   node bench/prof-top.js FILE.cpuprofile [N=15]
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib.js';

/**
 * @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number, columnNumber: number }, children?: number[] }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[], startTime: number, endTime: number }} Profile
 */

/**
 * Self time per function (name + file + line), largest first.
 * @param {string} file
 * @param {number} [n]
 * @returns {{ totalMs: number, idleMs: number, rows: { name: string, where: string, selfMs: number, pct: number }[] }}
 */
export function topSelf(file, n = 15) {
  /** @type {Profile} */
  const p = JSON.parse(fs.readFileSync(file, 'utf8'));
  /** @type {Map<number, ProfileNode>} */
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  /** @type {Map<string, { name: string, where: string, us: number }>} */
  const agg = new Map();
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
  const rows = [...agg.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, n)
    .map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, pct: (100 * e.us) / total }));
  return { totalMs: total / 1000, idleMs: idle / 1000, rows };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node bench/prof-top.js FILE.cpuprofile [N]');
    process.exit(2);
  }
  const { totalMs, rows } = topSelf(file, Number(process.argv[3] ?? 15));
  console.log(`non-idle samples: ${totalMs.toFixed(0)} ms`);
  console.log('| # | self ms | self % | function | where |\n|---|---:|---:|---|---|');
  rows.forEach((r, i) => console.log(`| ${i + 1} | ${r.selfMs.toFixed(1)} | ${r.pct.toFixed(1)} | ${r.name} | ${r.where} |`));
}
