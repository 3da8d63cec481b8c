// @ts-check
/**
 * Helpers for the benchmark: process-tree CPU and memory from /proc, child
 * processes that are always cleaned up, free ports, FLV frame counting.
 * Linux only (reads /proc).
 */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(BENCH_DIR, '..');
export const WORK = path.join(BENCH_DIR, 'work');
/**
 * The run measures a copy of bin/ + dist/ taken when it starts (bench/work/snapshot),
 * so a rebuild by someone else during the run cannot change what is measured.
 * run.js sets INTAKE_DIST to the copy's dist/; children inherit it.
 */
export const SNAPSHOT = path.join(WORK, 'snapshot');

/** The dist/ folder in use: the snapshot's when INTAKE_DIST is set, else the checkout's. */
export const distDir = () => process.env.INTAKE_DIST ?? path.join(ROOT, 'dist');

/** bin/intake.js next to the dist/ in use. */
export const intakeBin = () => path.join(path.dirname(distDir()), 'bin', 'intake.js');

/**
 * file: URL of a module of the dist/ in use, for `await import(...)`.
 * @param {string} rel e.g. 'app/engine.js'
 */
export const distModule = (rel) => pathToFileURL(path.join(distDir(), rel)).href;

/** Clock ticks per second of the utime/stime fields of /proc/PID/stat. */
export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * The fields of /proc/PID/stat after the command name, or null when the process is gone.
 * Index i here is field i + 3 of proc(5): [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime.
 * @param {number | string} pid
 * @returns {string[] | null}
 */
function statFields(pid) {
  let s;
  try {
    s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  return s.slice(s.lastIndexOf(')') + 2).split(' ');
}

/**
 * Every live process in the tree rooted at `root` (root included).
 * @param {number} root
 * @returns {number[]}
 */
export function processTree(root) {
  /** @type {Map<number, number[]>} */
  const children = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(name);
    if (!f) continue;
    const ppid = Number(f[1]);
    let list = children.get(ppid);
    if (!list) children.set(ppid, (list = []));
    list.push(Number(name));
  }
  const out = [];
  const todo = [root];
  while (todo.length) {
    const p = /** @type {number} */ (todo.pop());
    if (!fs.existsSync(`/proc/${p}`)) continue;
    out.push(p);
    for (const c of children.get(p) ?? []) todo.push(c);
  }
  return out;
}

/**
 * CPU seconds used so far by the process tree rooted at `root`: utime + stime of
 * every live process in it (all threads), plus cutime + cstime (children already reaped).
 * @param {number} root
 * @returns {number}
 */
export function treeCpuSeconds(root) {
  let ticks = 0;
  for (const pid of processTree(root)) {
    const f = statFields(pid);
    if (f) ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  }
  return ticks / CLK_TCK;
}

/**
 * CPU seconds of this process's reaped children (cutime + cstime of /proc/self/stat).
 * A child's whole CPU time = the change of this across its exit (nothing else may exit meanwhile).
 * @returns {number}
 */
export function reapedChildrenCpuSeconds() {
  const f = /** @type {string[]} */ (statFields('self'));
  return (Number(f[13]) + Number(f[14])) / CLK_TCK;
}

/**
 * A field of /proc/PID/status in kB (VmHWM, VmRSS), or 0.
 * @param {number} pid
 * @param {string} field
 */
function statusKb(pid, field) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(s);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Peak RSS of the tree in MB (2^20 bytes): the SUM of VmHWM over its live processes
 * (an upper bound of the tree's peak; exact for a single process), and the largest one.
 * @param {number} root
 * @returns {{ sumMB: number, maxMB: number, processes: number }}
 */
export function treePeakRss(root) {
  let sum = 0;
  let max = 0;
  const pids = processTree(root);
  for (const pid of pids) {
    const kb = statusKb(pid, 'VmHWM');
    sum += kb;
    max = Math.max(max, kb);
  }
  return { sumMB: sum / 1024, maxMB: max / 1024, processes: pids.length };
}

/** A free TCP port on 127.0.0.1 (bind port 0, read it, close). */
export function freePort() {
  return /** @type {Promise<number>} */ (
    new Promise((resolve, reject) => {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen({ host: '127.0.0.1', port: 0 }, () => {
        const port = /** @type {net.AddressInfo} */ (srv.address()).port;
        srv.close(() => resolve(port));
      });
    })
  );
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Poll `fn` every `everyMs` until it returns a truthy value, or throw after `timeoutMs`.
 * @template T
 * @param {() => T | Promise<T>} fn
 * @param {string} what
 * @param {number} [timeoutMs]
 * @param {number} [everyMs]
 * @returns {Promise<T>}
 */
export async function waitUntil(fn, what, timeoutMs = 60_000, everyMs = 50) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Every child process the bench has started and not yet seen exit. */
const live = new Set();

/**
 * A child process whose stdout lines are kept and can be waited for. It is
 * registered so that `killAll` (on exit, error or Ctrl-C) stops it.
 */
export class Child {
  /**
   * @param {string} name
   * @param {string} cmd
   * @param {string[]} args
   * @param {import('node:child_process').SpawnOptions} [opts]
   */
  constructor(name, cmd, args, opts = {}) {
    this.name = name;
    /** @type {string[]} */
    this.lines = [];
    /** @type {string[]} */
    this.errLines = [];
    /** @type {Array<{ re: RegExp, resolve: (m: RegExpExecArray) => void }>} */
    this.waiters = [];
    /** @type {Array<(line: string) => void>} */
    this.lineListeners = [];
    /** @type {number | null} */
    this.exitCode = null;
    /** @type {string | null} */
    this.exitSignal = null;
    this.proc = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    if (this.proc.pid === undefined) throw new Error(`${name}: could not start ${cmd}`);
    /** @type {number} */
    this.pid = this.proc.pid;
    live.add(this);
    this.exited = new Promise((resolve) => {
      // 'close' comes after 'exit' (the child is reaped) and after its last output line.
      this.proc.once('close', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        live.delete(this);
        resolve(code);
      });
    });
    this.proc.once('error', (err) => {
      this.errLines.push(String(err));
      live.delete(this);
    });
    readline.createInterface({ input: /** @type {import('node:stream').Readable} */ (this.proc.stdout) }).on('line', (line) => {
      this.lines.push(line);
      for (const f of this.lineListeners) f(line);
      for (const w of [...this.waiters]) {
        const m = w.re.exec(line);
        if (m) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    });
    readline.createInterface({ input: /** @type {import('node:stream').Readable} */ (this.proc.stderr) }).on('line', (line) => {
      this.errLines.push(line);
      if (this.errLines.length > 200) this.errLines.shift();
    });
  }

  get running() {
    return this.exitCode === null && this.exitSignal === null && live.has(this);
  }

  /**
   * The first stdout line (already printed or to come) matching `re`.
   * @param {RegExp} re
   * @param {number} [timeoutMs]
   * @returns {Promise<RegExpExecArray>}
   */
  waitLine(re, timeoutMs = 30_000) {
    for (const l of this.lines) {
      const m = re.exec(l);
      if (m) return Promise.resolve(m);
    }
    return new Promise((resolve, reject) => {
      const w = { re, resolve: (/** @type {RegExpExecArray} */ m) => (clearTimeout(t), resolve(m)) };
      const t = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`${this.name}: no line matching ${re} within ${timeoutMs / 1000} s${this.tail()}`));
      }, timeoutMs);
      this.waiters.push(w);
      void this.exited.then(() => {
        if (this.waiters.includes(w)) {
          // Let the last lines arrive before giving up.
          setTimeout(() => {
            if (!this.waiters.includes(w)) return;
            this.waiters.splice(this.waiters.indexOf(w), 1);
            clearTimeout(t);
            reject(new Error(`${this.name} exited (${this.exitCode ?? this.exitSignal}) before printing a line matching ${re}${this.tail()}`));
          }, 200);
        }
      });
    });
  }

  /** Last lines of output, for error messages. */
  tail() {
    const out = [...this.lines.slice(-5), ...this.errLines.slice(-10)];
    return out.length ? `\n  ${out.join('\n  ')}` : '';
  }

  /**
   * Send `signal`, wait for the exit; SIGKILL after `graceMs`.
   * @param {NodeJS.Signals} [signal]
   * @param {number} [graceMs]
   */
  async stop(signal = 'SIGTERM', graceMs = 20_000) {
    if (!this.running) return this.exitCode;
    this.proc.kill(signal);
    const t = setTimeout(() => {
      if (this.running) this.proc.kill('SIGKILL');
    }, graceMs);
    await this.exited;
    clearTimeout(t);
    return this.exitCode;
  }
}

/** Stop every child still running (SIGTERM, then SIGKILL). */
export async function killAll() {
  await Promise.all([...live].map((c) => c.stop('SIGTERM', 3000)));
}

/** Last resort when the bench itself exits: SIGKILL whatever is left, synchronously. */
export function killAllSync() {
  for (const c of live) {
    try {
      c.proc.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * Whether an FLV video tag body is a coded frame (not a sequence header, end of
 * sequence, metadata or command frame). Legacy AVC/HEVC: AVCPacketType 1; E-RTMP:
 * PacketType 1 (CodedFrames) or 3 (CodedFramesX); other legacy codecs: every tag.
 * @param {Uint8Array} b
 */
export function isCodedVideoFrame(b) {
  if (b.length < 1) return false;
  const frameType = (b[0] >> 4) & 7;
  if (frameType === 5) return false;
  if (b[0] & 0x80) {
    const pt = b[0] & 0x0f;
    return pt === 1 || pt === 3;
  }
  const codec = b[0] & 0x0f;
  if (codec === 7 || codec === 12) return b.length >= 2 && b[1] === 1;
  return true;
}

/**
 * Count the tags of an FLV file: coded video frames, all video tags, audio tags.
 * @param {typeof import('../dist/app/flv/flv-reader.js').readFlvFile} readFlvFile
 * @param {string} file
 */
export function countFlv(readFlvFile, file) {
  const { tags, truncatedTail } = readFlvFile(fs.readFileSync(file));
  let videoFrames = 0;
  let videoTags = 0;
  let audioTags = 0;
  for (const t of tags) {
    if (t.type === 9) {
      videoTags++;
      if (isCodedVideoFrame(t.body)) videoFrames++;
    } else if (t.type === 8) audioTags++;
  }
  return { videoFrames, videoTags, audioTags, truncatedTail, bytes: fs.statSync(file).size };
}

/**
 * Median of numbers (mean of the middle two for an even count); NaN for none.
 * @param {number[]} xs
 */
export function median(xs) {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/**
 * Remove every file in `dir` (not recursive) and make sure it exists.
 * @param {string} dir
 */
export function emptyDir(dir) {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
}

/**
 * The .flv files in `dir`, with full paths.
 * @param {string} dir
 */
export function flvFiles(dir) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.flv'))
    .map((f) => path.join(dir, f))
    .sort();
}
