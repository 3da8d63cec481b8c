/**
 * What the run measures and on what: the build check, the snapshot of bin/ +
 * dist/, the machine and the provenance written into RESULTS.md.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, SNAPSHOT } from './paths.js';
import { CLK_TCK } from './proc.js';
import { NGINX_RTMP_MODULE } from './receivers.js';

/** Every file under `dir` whose name ends with `ext`. */
function walk(dir: string, ext: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, ext, out);
    else if (p.endsWith(ext)) out.push(p);
  }
  return out;
}

/** Throw when dist/ or nginx-rtmp is missing; warn when dist/ is older than app/. */
export function checkBuild(log: (s: string) => void): void {
  const dist = path.join(ROOT, 'dist', 'app');
  if (!fs.existsSync(path.join(dist, 'cli', 'main.js'))) throw new Error('dist/ is not built: run `npm run build` first');
  const stale = walk(path.join(ROOT, 'app'), '.ts').filter((p) => {
    const js = path.join(dist, path.relative(path.join(ROOT, 'app'), p)).replace(/\.ts$/, '.js');
    return !fs.existsSync(js) || fs.statSync(js).mtimeMs < fs.statSync(p).mtimeMs;
  });
  if (stale.length) log(`bench: WARNING: dist/ is older than ${stale.map((p) => path.relative(ROOT, p)).join(', ')}; the bench measures dist/ (rebuild with npm run build)`);
  if (!fs.existsSync(NGINX_RTMP_MODULE)) throw new Error(`${NGINX_RTMP_MODULE} is missing (apt-get install nginx libnginx-mod-rtmp)`);
}

/** The machine, for the Machine section. */
export function machine(): { nproc: number; cpu: string; memGB: number; kernel: string; node: string; nginx: string; ffmpeg: string; clkTck: number; loadavg: string } {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const mhz = /^cpu MHz\s*:\s*(.*)$/m.exec(cpuinfo)?.[1];
  const nginx = execFileSync('sh', ['-c', 'nginx -v 2>&1'], { encoding: 'utf8' }).trim();
  let modVersion = 'unknown';
  try {
    modVersion = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'libnginx-mod-rtmp'], { encoding: 'utf8' }).trim();
  } catch {
    // not a Debian package here
  }
  const ffmpeg = execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }).split('\n')[0];
  return {
    nproc: os.availableParallelism(),
    cpu: `${model}${mhz ? ` (${Math.round(Number(mhz))} MHz)` : ''}`,
    memGB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    nginx: `${nginx.replace(/^nginx version: /, '')}, libnginx-mod-rtmp ${modVersion}`,
    ffmpeg: ffmpeg.replace(/ Copyright.*/, ''),
    clkTck: CLK_TCK,
    // Other work on the machine moves absolute figures; ratios within a repetition resist it.
    loadavg: os.loadavg().map((x) => x.toFixed(2)).join(' / '),
  };
}

/** What was measured: the commit, whether app/ differs from it, and when dist/ was last built (read-only git). */
export function provenance(): { commit: string; appChanges: number; distBuilt: string } {
  const git = (args: string[]): string => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  const newest = Math.max(0, ...walk(path.join(ROOT, 'dist', 'app'), '.js').map((p) => fs.statSync(p).mtimeMs));
  const dirty = git(['status', '--porcelain', '--', 'app']).split('\n').filter(Boolean).length;
  return { commit: git(['rev-parse', '--short', 'HEAD']) || 'unknown', appChanges: dirty, distBuilt: new Date(newest).toISOString() };
}

/**
 * Copy bin/intake.js and dist/app into bench/work/snapshot and measure that copy
 * (children inherit INTAKE_DIST), so that a rebuild of dist/ by someone else
 * during the run cannot change what is measured.
 */
export function snapshot(): void {
  fs.rmSync(SNAPSHOT, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, 'dist', 'app'), path.join(SNAPSHOT, 'dist', 'app'), { recursive: true });
  fs.mkdirSync(path.join(SNAPSHOT, 'bin'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'bin', 'intake.js'), path.join(SNAPSHOT, 'bin', 'intake.js'));
  fs.writeFileSync(path.join(SNAPSHOT, 'package.json'), '{ "type": "module" }\n');
  process.env.INTAKE_DIST = path.join(SNAPSHOT, 'dist');
}
