/**
 * Instructions executed by a child process, per thread, counted by Valgrind's
 * callgrind: the one figure on this shared 2-core machine that other people's
 * work does not move (CPU seconds moved ±30 % between repetitions of one
 * build at load 10; instruction counts of the main thread moved < 1 %).
 *
 * Why per thread: node's main thread runs the engine, its V8 platform
 * workers run TurboFan's concurrent compiles (and GC helpers), so the split
 * says how much of an ingest is warm-up compiling that a long-running
 * receiver pays once and nginx-rtmp never pays. The compile share varies
 * more between runs (±10 %: which functions get hot first depends on timing)
 * than the main thread's.
 *
 * Caveats, for reading the figures: under Valgrind the process runs ~50x
 * slower, so anything driven by the wall clock (the engine's stats event
 * and the health analyser's per-second close, once a second) runs ~50x more
 * often per byte than in a real run; and instructions are not time (a copy
 * or a cache miss costs more per instruction than compiler code).
 */
import fs from 'node:fs';
import path from 'node:path';

/** Instructions of one child: its main thread, every other thread, and the sum. */
export interface ThreadInstructions {
  main: number;
  other: number;
  total: number;
}

/** Valgrind's arguments before the node command line, writing one file per thread under `dir`. */
export function callgrindArgs(dir: string): string[] {
  return ['--tool=callgrind', '--separate-threads=yes', '--cache-sim=no', '--branch-sim=no', `--callgrind-out-file=${path.join(dir, 'cg.%p')}`];
}

/**
 * The totals of the per-thread files callgrind wrote under `dir` (one
 * process's: `cg.PID-NN`, thread 01 being the main thread); the files are
 * removed after reading, so the next child's are not counted with them.
 */
export function readThreadInstructions(dir: string): ThreadInstructions {
  let main = 0;
  let other = 0;
  for (const f of fs.readdirSync(dir)) {
    const m = /^cg\.\d+-(\d+)$/.exec(f);
    if (!m) continue;
    const file = path.join(dir, f);
    const line = /^totals:\s*(\d+)/m.exec(fs.readFileSync(file, 'utf8'));
    fs.rmSync(file);
    if (!line) continue;
    if (Number(m[1]) === 1) main += Number(line[1]);
    else other += Number(line[1]);
  }
  return { main, other, total: main + other };
}
