import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * Keep V8's young generation at its initial size. Why: a receiver's garbage
 * is short-lived message objects, yet V8 grows the young generation to
 * 3 x 16 MB for them; with 100 publishers that was 117 MB of RSS with 13 MB
 * live. Read by V8 each time it would grow, so it works at run time, however
 * the process was started (CLI, browser mode, Electron's main) (a `--max-semi-space-size` flag would need the command
 * line). Measured in bench/RESULTS.md.
 *
 * Also turns on {@link readFromSocket}'s young collection of socket reads
 * and {@link collectWhenListening}'s one full collection after start-up.
 */
export function keepYoungGenerationSmall(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  if (minorGc) return;
  // V8's gc() for one new context only (not a global of the program's own), taken while the flag is on.
  v8.setFlagsFromString('--expose-gc');
  try {
    const gc = vm.runInNewContext('gc') as ((o?: { type: 'minor' }) => void) | undefined;
    if (typeof gc === 'function') {
      minorGc = () => gc({ type: 'minor' });
      fullGc = () => gc();
    }
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}

/**
 * Socket bytes read between two young collections, counted only for reads
 * into a fresh buffer of Node's (a client's socket, or an accepted one where
 * the shared read buffer is not available: server/shared-reads.ts). Why:
 * each such read is a fresh 64 kB buffer outside the JS heap, dead once parsed, but V8
 * collects the young generation by how much JS it allocates, and an ingest
 * at chunk size 4096 allocates little JS per byte: about 20 MB of dead reads
 * piled up between scavenges, until V8's external-memory limit (64 MB
 * above the last full collection) forced a mark-compact of the whole heap,
 * every ~200 ms at 300 MB/s. A scavenge every 4 MB frees them young, at a
 * fraction of a millisecond each (bench/RESULTS.md: `intake record --format
 * flv` at chunk size 4096 peaks at ~77 MB instead of ~88; 8 MB measured ~80).
 */
const READ_BYTES_PER_SCAVENGE = 4 * 1024 * 1024;
let minorGc: (() => void) | null = null;
/** Set by keepYoungGenerationSmall, taken (once) by collectWhenListening. */
let fullGc: (() => void) | null = null;
let readSinceGc = 0;

/** Count a socket read; now and then collect the young generation (only in a host that called {@link keepYoungGenerationSmall}). */
export function readFromSocket(bytes: number): void {
  readSinceGc += bytes;
  if (readSinceGc < READ_BYTES_PER_SCAVENGE) return;
  readSinceGc = 0;
  minorGc?.();
}

/** How long after the engine starts listening its one full collection runs: start-up done, no publisher yet. */
const AFTER_LISTEN_MS = 200;

/**
 * One full collection of the heap, shortly after the engine starts
 * listening (only in a host that called {@link keepYoungGenerationSmall}),
 * while nobody publishes yet. Why: V8 sets its first old-generation limit
 * from the heap as start-up leaves it, only ~1.5 MB above what a receiver
 * holds while idle; the code, feedback and per-stream state of the first
 * stream's first second then crossed it, and a Mark-Compact of the whole
 * heap stopped that stream's ingest for 6-13 ms (and cost ~0.1 s of CPU
 * in all with what followed it, in a one-second push). After a collection
 * at rest the limit is set from the heap's live size with V8's regular
 * headroom, and the first stream runs without one. Measured with and
 * without it in bench/RESULTS.md (the health analyser's cost, issue 9:
 * the analyser's few hundred kB were what crossed the limit).
 */
export function collectWhenListening(): void {
  const gc = fullGc;
  if (!gc) return;
  fullGc = null;
  setTimeout(gc, AFTER_LISTEN_MS).unref();
}
