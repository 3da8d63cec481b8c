import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './fake-electron.js';

const START = path.join(REPO_ROOT, 'scripts', 'start.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-start-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function start(env: Record<string, string>, script = START): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = { ...process.env };
  delete clean.ELECTRON_OVERRIDE_DIST_PATH;
  return new Promise((resolve) => {
    execFile(process.execPath, [script, '--flag'], { cwd: REPO_ROOT, env: { ...clean, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

describe('npm start (scripts/start.js)', () => {
  it('says in one line that there is no Electron binary, and names the browser mode', async () => {
    // An empty dist folder: no binary, whatever this machine has installed.
    const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
    const r = await start({ ELECTRON_OVERRIDE_DIST_PATH: empty });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('intake: the Electron binary is not available on this machine; run `npx intake serve` to use the same UI in a browser\n');
  });

  it('never loads the electron package (which would start a download)', () => {
    const code = fs.readFileSync(START, 'utf8').replace(/^\s*\/\/.*$/gm, '');
    expect(code).toMatch(/resolve\('electron\/package\.json'\)/);
    expect(code).not.toMatch(/require\(['"]electron['"]\)|import\(['"]electron['"]\)|from ['"]electron['"]/);
  });

  it.skipIf(process.platform === 'win32')('runs the binary on the app folder when there is one', async () => {
    // A copy of the app of its own (the real dist/ may be mid-rebuild): the script, a built app, and an Electron binary.
    const appDir = path.join(tmp, 'app');
    for (const f of ['scripts/start.js', 'dist/main/main.js', 'dist/renderer/index.html', 'node_modules/electron/package.json', 'node_modules/electron/path.txt', 'node_modules/electron/dist/electron']) {
      fs.mkdirSync(path.dirname(path.join(appDir, f)), { recursive: true });
    }
    fs.copyFileSync(START, path.join(appDir, 'scripts/start.js'));
    fs.writeFileSync(path.join(appDir, 'package.json'), '{"type": "module"}');
    fs.writeFileSync(path.join(appDir, 'dist/main/main.js'), '');
    fs.writeFileSync(path.join(appDir, 'dist/renderer/index.html'), '');
    fs.writeFileSync(path.join(appDir, 'node_modules/electron/package.json'), '{"name": "electron", "main": "index.js"}');
    fs.writeFileSync(path.join(appDir, 'node_modules/electron/path.txt'), 'electron');
    fs.writeFileSync(path.join(appDir, 'node_modules/electron/dist/electron'), `#!/bin/sh\necho "electron $@ run-as-node=\${ELECTRON_RUN_AS_NODE:-unset}"\nexit 3\n`, { mode: 0o755 });
    const r = await start({ ELECTRON_RUN_AS_NODE: '1' }, path.join(appDir, 'scripts/start.js'));
    expect(r.stdout).toBe(`electron ${appDir} --flag run-as-node=unset\n`);
    expect(r.code).toBe(3);
  });
});
