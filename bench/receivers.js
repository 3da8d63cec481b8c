// @ts-check
/**
 * The two receivers under test, each started fresh for every measurement
 * (so VmHWM is the peak of that measurement alone) and stopped by the bench:
 *
 *   intake  bin/intake.js record --out bench/work/rec-intake --port 0 (node with its shebang's flags)
 *           (bin/ + dist/ of the snapshot taken when the run starts, see lib.js)
 *   nginx   nginx + libnginx-mod-rtmp, master + 1 worker, own config in bench/work/nginx
 */
import fs from 'node:fs';
import path from 'node:path';
import { Child, WORK, emptyDir, flvFiles, freePort, intakeBin, processTree, sleep, treeCpuSeconds, treePeakRss, waitUntil } from './lib.js';

export const NGINX_RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';

/**
 * @typedef {object} Receiver
 * @property {'intake' | 'nginx'} name
 * @property {number} pid root of the process tree that is measured
 * @property {string} url rtmp://127.0.0.1:PORT/live
 * @property {string} recDir
 * @property {() => number} cpu CPU seconds of the tree so far
 * @property {() => { sumMB: number, maxMB: number, processes: number }} peakRss
 * @property {() => number} endedStreams streams whose recording is closed so far
 * @property {(n: number, timeoutMs?: number) => Promise<void>} waitEnded wait until `n` streams have ended and the tree is idle
 * @property {() => string[]} recordings
 * @property {() => Promise<void>} stop
 */

/**
 * Wait until the tree's CPU time stops moving (3 equal readings 100 ms apart).
 * @param {number} pid
 */
async function settle(pid, timeoutMs = 10_000) {
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

/**
 * The node flags in a script's `#!/usr/bin/env -S node FLAGS` line.
 * @param {string} file
 * @returns {string[]}
 */
export function shebangFlags(file) {
  const first = fs.readFileSync(file, 'utf8').split('\n', 1)[0];
  const m = /^#!.*\bnode((?:\s+--\S+)*)\s*$/.exec(first);
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : [];
}

/**
 * @param {{ profileDir?: string }} [opts] profileDir: run node with --cpu-prof into that folder
 * @returns {Promise<Receiver>}
 */
export async function startIntake(opts = {}) {
  const recDir = path.join(WORK, 'rec-intake');
  emptyDir(recDir);
  const nodeArgs = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : [];
  // Run bin/intake.js as `intake` / `npx intake` runs it: with the node flags of its shebang.
  const child = new Child('intake', process.execPath, [...shebangFlags(intakeBin()), ...nodeArgs, intakeBin(), 'record', '--out', recDir, '--port', '0']);
  const m = await child.waitLine(/^listening (rtmp:\/\/127\.0\.0\.1:\d+)/, 15_000);
  let ended = 0;
  for (const l of child.lines) if (l.startsWith('recording finished ')) ended++;
  child.lineListeners.push((l) => {
    if (l.startsWith('recording finished ')) ended++;
    else if (l.startsWith('recording failed ')) child.errLines.push(l);
  });
  await settle(child.pid);
  return {
    name: 'intake',
    pid: child.pid,
    url: `${m[1]}/live`,
    recDir,
    cpu: () => treeCpuSeconds(child.pid),
    peakRss: () => treePeakRss(child.pid),
    endedStreams: () => ended,
    async waitEnded(n, timeoutMs = 120_000) {
      await waitUntil(() => ended >= n || !child.running, `intake to finish ${n} recordings (${ended} so far)${child.tail()}`, timeoutMs);
      if (!child.running) throw new Error(`intake exited early${child.tail()}`);
      await settle(child.pid);
    },
    recordings: () => flvFiles(recDir),
    async stop() {
      const code = await child.stop('SIGINT', 60_000);
      if (code !== 0) throw new Error(`intake exited with ${code ?? child.exitSignal} on SIGINT${child.tail()}`);
    },
  };
}

/**
 * @returns {Promise<Receiver>}
 */
export async function startNginx() {
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
  fs.writeFileSync(
    conf,
    `# Written by bench/receivers.js for each run; the reference receiver of the benchmark.
load_module ${NGINX_RTMP_MODULE};
user root;
daemon off;
master_process on;
worker_processes 1;
pid ${pidFile};
error_log ${errorLog} warn;
events { worker_connections 1024; }
rtmp {
  # One line per closed RTMP connection: how the bench knows a stream has ended.
  access_log ${accessLog};
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
`,
  );
  const child = new Child('nginx', 'nginx', ['-p', `${dir}/`, '-e', errorLog, '-c', conf]);
  await waitUntil(() => (!child.running ? 'dead' : fs.existsSync(pidFile) && processTree(child.pid).length >= 2), 'nginx to start its worker', 15_000);
  if (!child.running) throw new Error(`nginx did not start${child.tail()}\n${fs.existsSync(errorLog) ? fs.readFileSync(errorLog, 'utf8') : ''}`);
  const accessLines = () => (fs.existsSync(accessLog) ? fs.readFileSync(accessLog, 'utf8').split('\n').filter((l) => l.includes('PUBLISH')).length : 0);
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
      await waitUntil(() => accessLines() >= n || !child.running, `nginx to close ${n} publish sessions`, timeoutMs);
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

/** @param {'intake' | 'nginx'} name @param {{ profileDir?: string }} [opts] */
export function startReceiver(name, opts) {
  return name === 'intake' ? startIntake(opts) : startNginx();
}
