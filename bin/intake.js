#!/usr/bin/env node
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
