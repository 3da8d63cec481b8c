import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './fake-electron.js';

/**
 * Compile main/ (and the preload) to dist/main, as `npm run build` does:
 * the preload test runs the compiled CommonJS file the way Electron would.
 * Incremental, so cheap when nothing changed.
 */
export function buildMain(): void {
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'tsconfig.main.json'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
}
