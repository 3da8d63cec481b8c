#!/usr/bin/env -S node --max-semi-space-size=4
// Why the flag: a receiver's garbage is short-lived messages; V8's default lets the young generation grow to
// 3 x 16 MB for them. 4 MB semi-spaces keep 100 streams under 90 MB of RSS at the same CPU (bench/RESULTS.md).
// The Electron main process should pass the same flag through js-flags.
// The `intake` command. The engine is TypeScript compiled to dist/ by `npm install` (the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/app/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('intake: the engine is not built; run `npm install` (or `npm run build`) in the Intake checkout first');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
