#!/usr/bin/env node
// `npm start`: run the desktop app with the Electron binary that `npm install`
// put in node_modules/electron/dist. Where there is none (no download was
// possible), say so in one line and name the browser mode, which runs the
// same UI. Never `require('electron')` here: since Electron 45 that starts
// downloading the binary when it is missing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** The Electron executable, found the way node_modules/electron/index.js finds it, minus the download; null if absent. */
export function electronBinary(env = process.env) {
  let pkgDir;
  try {
    pkgDir = path.dirname(createRequire(path.join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const exe = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return fs.existsSync(exe) ? exe : null;
  }
  if (!relative) return null;
  const exe = path.join(pkgDir, 'dist', relative);
  return fs.existsSync(exe) ? exe : null;
}

function start() {
  const exe = electronBinary();
  if (!exe) {
    console.error('intake: the Electron binary is not available on this machine; run `npx intake serve` to use the same UI in a browser');
    return 1;
  }
  if (!fs.existsSync(path.join(root, 'dist', 'main', 'main.js')) || !fs.existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) {
    console.error('intake: the app is not built; run `npm run build` first');
    return 1;
  }
  const env = { ...process.env };
  // Set in the environment, it would make Electron behave as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(exe, [root, ...process.argv.slice(2)], { stdio: 'inherit', env, windowsHide: false });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => {
    console.error(`intake: could not run ${exe}: ${err.message}`);
    process.exit(1);
  });
  child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return null;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const code = start();
  if (code !== null) process.exitCode = code;
}
