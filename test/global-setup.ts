import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * CLI tests spawn `bin/intake.js`, which runs the compiled engine, and the
 * browser tests load the built renderer from `intake serve`: make sure both
 * are current.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const bin = (p: string): string => fileURLToPath(new URL(`../node_modules/${p}`, import.meta.url));
  execFileSync(process.execPath, [bin('typescript/bin/tsc'), '-b', 'tsconfig.app.json'], { cwd: root, stdio: 'inherit' });
  // NODE_ENV is 'test' under vitest; the page must be React's production build, as users get.
  execFileSync(process.execPath, [bin('vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}
