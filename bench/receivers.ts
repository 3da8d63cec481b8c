/**
 * The two receivers under test, each started fresh for every measurement
 * (so VmHWM is the peak of that measurement alone) and stopped by the bench:
 *
 *   intake  bin/intake.js record --out bench/work/rec-intake --port 0, started by
 *           test/support/cli.ts with the node flags of its shebang (bin/ + dist/
 *           of the snapshot taken when the run starts, see paths.ts)
 *   nginx   nginx + libnginx-mod-rtmp, master + 1 worker, own config in bench/work/nginx
 */
import fs from 'node:fs';
import path from 'node:path';
import { startIntake as startIntakeCli } from '../test/support/cli.js';
import { Child, freePort, sleep, track, waitUntil } from './child.js';
import { emptyDir, flvFiles } from './flv-count.js';
import { WORK, intakeBin } from './paths.js';
import { type PeakRss, processTree, treeCpuSeconds, treePeakRss } from './proc.js';

export const NGINX_RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';

/**
 * The receivers the bench compares: Intake recording FLV (`intake`, the
 * comparison with nginx-rtmp, which records FLV), nginx-rtmp, and Intake
 * recording MP4 or MKV (`--formats`: ingest only, measured against `intake`),
 * `intake@base`: Intake recording FLV from another build's bin/ + dist/
 * (`--against DIR`), to tell a regression from the machine's noise, and
 * `intake-nohealth`: the same as `intake` with the stream health analyser
 * switched off (INTAKE_HEALTH=off, read once at start), so every ingest
 * measures what the analyser costs (issue 9: at most 5 %).
 */
export const RECEIVERS = ['intake', 'nginx', 'intake-mp4', 'intake-mkv', 'intake@base', 'intake-nohealth'] as const;
export type ReceiverName = (typeof RECEIVERS)[number];

/** A running receiver, measured from outside through /proc. */
export interface Receiver {
  name: ReceiverName;
  /** Root of the process tree that is measured. */
  pid: number;
  /** rtmp://127.0.0.1:PORT/live */
  url: string;
  recDir: string;
  /** CPU seconds of the tree so far. */
  cpu(): number;
  peakRss(): PeakRss;
  /** Streams whose recording is closed so far. */
  endedStreams(): number;
  /** Wait until `n` streams have ended and the tree is idle. */
  waitEnded(n: number, timeoutMs?: number): Promise<void>;
  recordings(): string[];
  stop(): Promise<void>;
}

/** Wait until the tree's CPU time stops moving (3 equal readings 100 ms apart). */
async function settle(pid: number, timeoutMs = 10_000): Promise<void> {
  let last = -1;
  let same = 0;
  const end = Date.now() + timeoutMs;
  while (same < 3 && Date.now() < end) {
    const c = treeCpuSeconds(pid);
    same = c === last ? same + 1 : 0;
    last = c;
    await sleep(100);
  }
}

/** The node flags in a script's `#!/usr/bin/env -S node FLAGS` line. */
export function shebangFlags(file: string): string[] {
  const first = fs.readFileSync(file, 'utf8').split('\n', 1)[0];
  const m = /^#!.*\bnode((?:\s+--\S+)*)\s*$/.exec(first);
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : [];
}

/** How a receiver is started: `profileDir`: under `node --cpu-prof` into that folder; `baseDir`: the build `intake@base` runs. */
export interface StartOptions {
  profileDir?: string;
  baseDir?: string;
}

/** Whether the build of `bin` takes `record --format` (its usage says so). */
function knowsFormat(bin: string): boolean {
  const main = path.join(path.dirname(bin), '..', 'dist', 'app', 'cli', 'main.js');
  return fs.existsSync(main) && fs.readFileSync(main, 'utf8').includes('--format');
}

/** Intake's `record`, run as `intake` runs it, from `bin` (default: the snapshot's). */
export async function startIntake(opts: { profileDir?: string; format?: 'flv' | 'mp4' | 'mkv'; bin?: string; noHealth?: boolean } = {}): Promise<Receiver> {
  const format = opts.format ?? 'flv';
  const bin = opts.bin ?? intakeBin();
  const recDir = path.join(WORK, 'rec-intake');
  emptyDir(recDir);
  const profile = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : [];
  // An older build (before MP4) records FLV and knows no --format; a later one is told FLV, like `intake`.
  const formatArgs = opts.bin && !knowsFormat(opts.bin) ? [] : ['--format', format];
  const rx = await startIntakeCli(['record', '--out', recDir, ...formatArgs], { bin, nodeArgs: [...shebangFlags(bin), ...profile], stopGraceMs: 60_000, ...(opts.noHealth ? { env: { INTAKE_HEALTH: 'off' } } : {}) });
  track(rx.proc, (signal) => rx.stop(signal));
  const pid = rx.proc.pid!;
  const running = (): boolean => rx.proc.exitCode === null && rx.proc.signalCode === null;
  const tail = (): string => `\n  ${rx.output().trimEnd().split('\n').slice(-10).join('\n  ')}`;
  // Counted from the output as it grows: one line per closed recording.
  let seen = 0;
  let ended = 0;
  const endedStreams = (): number => {
    const out = rx.output();
    for (let i = out.indexOf('recording finished ', seen); i >= 0; i = out.indexOf('recording finished ', i + 1)) ended++;
    seen = Math.max(seen, out.length - 'recording finished '.length + 1);
    return ended;
  };
  await settle(pid);
  return {
    name: opts.bin ? 'intake@base' : opts.noHealth ? 'intake-nohealth' : format === 'flv' ? 'intake' : `intake-${format}`,
    pid,
    url: `rtmp://127.0.0.1:${rx.port}/live`,
    recDir,
    cpu: () => treeCpuSeconds(pid),
    peakRss: () => treePeakRss(pid),
    endedStreams,
    async waitEnded(n, timeoutMs = 120_000) {
      await waitUntil(() => endedStreams() >= n || !running(), () => `intake to finish ${n} recordings (${ended} so far)${tail()}`, timeoutMs);
      if (!running()) throw new Error(`intake exited early${tail()}`);
      await settle(pid);
    },
    recordings: () => flvFiles(recDir, format),
    async stop() {
      const code = await rx.stop('SIGINT');
      if (code !== 0) throw new Error(`intake exited with ${code ?? rx.proc.signalCode} on SIGINT${tail()}`);
    },
  };
}

/** nginx-rtmp's configuration: master + 1 worker, `record all` into `recDir`. */
function nginxConf(port: number, dir: string, recDir: string): string {
  return `# Written by bench/receivers.ts for each run; the reference receiver of the benchmark.
load_module ${NGINX_RTMP_MODULE};
user root;
daemon off;
master_process on;
worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} warn;
events { worker_connections 1024; }
rtmp {
  # One line per closed RTMP connection: how the bench knows a stream has ended.
  access_log ${path.join(dir, 'access.log')};
  server {
    listen 127.0.0.1:${port};
    chunk_size 4096;
    # The default (1 MB) is below our limit (8 MB); a large keyframe must not end the test.
    max_message 16M;
    application live {
      live on;
      record all;
      record_path ${recDir};
      record_unique on;
    }
  }
}
`;
}

/** nginx with libnginx-mod-rtmp, configured fresh in bench/work/nginx. */
export async function startNginx(): Promise<Receiver> {
  const dir = path.join(WORK, 'nginx');
  const recDir = path.join(WORK, 'rec-nginx');
  fs.mkdirSync(dir, { recursive: true });
  emptyDir(recDir);
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  const accessLog = path.join(dir, 'access.log');
  const errorLog = path.join(dir, 'error.log');
  const pidFile = path.join(dir, 'nginx.pid');
  fs.rmSync(accessLog, { force: true });
  fs.rmSync(pidFile, { force: true });
  fs.writeFileSync(conf, nginxConf(port, dir, recDir));
  const child = new Child('nginx', 'nginx', ['-p', `${dir}/`, '-e', errorLog, '-c', conf]);
  await waitUntil(() => (!child.running ? 'dead' : fs.existsSync(pidFile) && processTree(child.pid).length >= 2), () => 'nginx to start its worker', 15_000);
  if (!child.running) throw new Error(`nginx did not start${child.tail()}\n${fs.existsSync(errorLog) ? fs.readFileSync(errorLog, 'utf8') : ''}`);
  const accessLines = (): number => (fs.existsSync(accessLog) ? fs.readFileSync(accessLog, 'utf8').split('\n').filter((l) => l.includes('PUBLISH')).length : 0);
  await settle(child.pid);
  return {
    name: 'nginx',
    pid: child.pid,
    url: `rtmp://127.0.0.1:${port}/live`,
    recDir,
    cpu: () => treeCpuSeconds(child.pid),
    peakRss: () => treePeakRss(child.pid),
    endedStreams: accessLines,
    async waitEnded(n, timeoutMs = 120_000) {
      await waitUntil(() => accessLines() >= n || !child.running, () => `nginx to close ${n} publish sessions`, timeoutMs);
      if (!child.running) throw new Error(`nginx exited early${child.tail()}`);
      await settle(child.pid);
    },
    recordings: () => flvFiles(recDir),
    async stop() {
      // SIGQUIT: graceful shutdown (closes recordings); the master waits for its worker.
      const code = await child.stop('SIGQUIT', 30_000);
      if (code !== 0) throw new Error(`nginx exited with ${code ?? child.exitSignal}${child.tail()}`);
    },
  };
}

/** Start the named receiver (`intake@base` needs `opts.baseDir`). */
export function startReceiver(name: ReceiverName, opts: StartOptions = {}): Promise<Receiver> {
  if (name === 'nginx') return startNginx();
  if (name === 'intake@base') {
    if (!opts.baseDir) throw new Error('intake@base needs --against DIR');
    return startIntake({ profileDir: opts.profileDir, bin: path.resolve(opts.baseDir, 'bin', 'intake.js') });
  }
  if (name === 'intake-nohealth') return startIntake({ profileDir: opts.profileDir, format: 'flv', noHealth: true });
  return startIntake({ profileDir: opts.profileDir, format: name === 'intake' ? 'flv' : name === 'intake-mp4' ? 'mp4' : 'mkv' });
}
