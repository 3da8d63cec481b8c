/**
 * Where the benchmark keeps things. The run measures a copy of bin/ + dist/
 * taken when it starts (bench/work/snapshot), so a rebuild by someone else
 * during the run cannot change what is measured: run.ts sets INTAKE_DIST to
 * the copy's dist/, and its children inherit it.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(BENCH_DIR, '..');
/** Generated inputs, recordings, profiles and the snapshot (git-ignored). */
export const WORK = path.join(BENCH_DIR, 'work');
export const SNAPSHOT = path.join(WORK, 'snapshot');

/** The dist/ folder in use: the snapshot's when INTAKE_DIST is set, else the checkout's. */
export const distDir = (): string => process.env.INTAKE_DIST ?? path.join(ROOT, 'dist');

/** bin/intake.js next to the dist/ in use. */
export const intakeBin = (): string => path.join(path.dirname(distDir()), 'bin', 'intake.js');

/** file: URL of a module of the dist/ in use (e.g. 'app/engine.js'), for `await import(...)`. */
export const distModule = (rel: string): string => pathToFileURL(path.join(distDir(), rel)).href;

/**
 * Node arguments that run a bench TypeScript file as a child process
 * (`node --import tsx bench/x.ts`), as `npm run bench` runs run.ts.
 */
export const tsxScript = (name: string): string[] => ['--import', 'tsx', path.join(BENCH_DIR, name)];
