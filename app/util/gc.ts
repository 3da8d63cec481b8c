import v8 from 'node:v8';

/**
 * Keep V8's young generation at its initial size. Why: a receiver's garbage
 * is short-lived message objects, yet V8 grows the young generation to
 * 3 x 16 MB for them; with 100 publishers that was 117 MB of RSS with 13 MB
 * live. Read by V8 each time it would grow, so it works at run time, however
 * the process was started (CLI, browser mode, Electron's main) (a `--max-semi-space-size` flag would need the command
 * line). Measured in bench/RESULTS.md.
 */
export function keepYoungGenerationSmall(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}
