/**
 * CPU and memory of a process tree from /proc (Linux only). CPU = utime +
 * stime (+ cutime + cstime) in clock ticks; peak memory = VmHWM.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Clock ticks per second of the utime/stime fields of /proc/PID/stat. */
export const CLK_TCK = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * The fields of /proc/PID/stat after the command name, or null when the process is gone.
 * Index i here is field i + 3 of proc(5): [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime.
 */
function statFields(pid: number | string): string[] | null {
  let s: string;
  try {
    s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  return s.slice(s.lastIndexOf(')') + 2).split(' ');
}

/** Every live process in the tree rooted at `root` (root included). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(name);
    if (!f) continue;
    const ppid = Number(f[1]);
    let list = children.get(ppid);
    if (!list) children.set(ppid, (list = []));
    list.push(Number(name));
  }
  const out: number[] = [];
  const todo = [root];
  for (let p = todo.pop(); p !== undefined; p = todo.pop()) {
    if (!fs.existsSync(`/proc/${p}`)) continue;
    out.push(p);
    for (const c of children.get(p) ?? []) todo.push(c);
  }
  return out;
}

/**
 * CPU seconds used so far by the process tree rooted at `root`: utime + stime of
 * every live process in it (all threads), plus cutime + cstime (children already reaped).
 */
export function treeCpuSeconds(root: number): number {
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
 */
export function reapedChildrenCpuSeconds(): number {
  const f = statFields('self');
  return f ? (Number(f[13]) + Number(f[14])) / CLK_TCK : 0;
}

/** A field of /proc/PID/status in kB (VmHWM, VmRSS), or 0. */
function statusKb(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Peak memory of a process tree; MB = 2^20 bytes. */
export interface PeakRss {
  /** SUM of VmHWM over the live processes (an upper bound of the tree's peak; exact for one process). */
  sumMB: number;
  /** The largest single VmHWM. */
  maxMB: number;
  processes: number;
}

/** Peak RSS of the tree rooted at `root`. */
export function treePeakRss(root: number): PeakRss {
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
