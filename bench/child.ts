/**
 * Child processes the bench always cleans up: each one is registered until it
 * exits, and `killAll` (on error, exit or Ctrl-C) stops whatever is left.
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import net from 'node:net';
import readline from 'node:readline';
import { ROOT } from './paths.js';

/** Something the bench started and must stop. */
interface Stoppable {
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<unknown>;
  kill(): void;
}

/** Every process the bench has started and not yet seen exit. */
const live = new Set<Stoppable>();

/** Register a process started elsewhere (test/support's startIntake) until it exits. */
export function track(proc: ChildProcess, stop: (signal?: NodeJS.Signals) => Promise<unknown>): void {
  const entry: Stoppable = { stop, kill: () => proc.kill('SIGKILL') };
  live.add(entry);
  proc.once('exit', () => live.delete(entry));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll `fn` every `everyMs` until it returns a truthy value, or throw after `timeoutMs`. */
export async function waitUntil<T>(fn: () => T | Promise<T>, what: () => string, timeoutMs = 60_000, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what()}`);
    await sleep(everyMs);
  }
}

/** A free TCP port on 127.0.0.1 (bind port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ host: '127.0.0.1', port: 0 }, () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A child process whose stdout lines are kept and can be listened to. */
export class Child implements Stoppable {
  readonly lines: string[] = [];
  readonly errLines: string[] = [];
  readonly lineListeners: ((line: string) => void)[] = [];
  readonly proc: ChildProcess;
  readonly pid: number;
  /** Resolves with the exit code once the child is reaped and its output read. */
  readonly exited: Promise<number | null>;
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;

  constructor(
    readonly name: string,
    cmd: string,
    args: string[],
    opts: SpawnOptions = {},
  ) {
    this.proc = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    if (this.proc.pid === undefined) throw new Error(`${name}: could not start ${cmd}`);
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
    readline.createInterface({ input: this.proc.stdout! }).on('line', (line) => {
      this.lines.push(line);
      for (const f of this.lineListeners) f(line);
    });
    readline.createInterface({ input: this.proc.stderr! }).on('line', (line) => {
      this.errLines.push(line);
      if (this.errLines.length > 200) this.errLines.shift();
    });
  }

  get running(): boolean {
    return this.exitCode === null && this.exitSignal === null && live.has(this);
  }

  /** Last lines of output, for error messages. */
  tail(): string {
    const out = [...this.lines.slice(-5), ...this.errLines.slice(-10)];
    return out.length ? `\n  ${out.join('\n  ')}` : '';
  }

  /** Send `signal`, wait for the exit; SIGKILL after `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000): Promise<number | null> {
    if (!this.running) return this.exitCode;
    this.proc.kill(signal);
    const t = setTimeout(() => {
      if (this.running) this.proc.kill('SIGKILL');
    }, graceMs);
    await this.exited;
    clearTimeout(t);
    return this.exitCode;
  }

  kill(): void {
    this.proc.kill('SIGKILL');
  }
}

/** Stop every child still running (SIGTERM, then SIGKILL after 3 s). */
export async function killAll(): Promise<void> {
  await Promise.all([...live].map((c) => c.stop('SIGTERM', 3000)));
}

/** Last resort when the bench itself exits: SIGKILL whatever is left, synchronously. */
export function killAllSync(): void {
  for (const c of live) {
    try {
      c.kill();
    } catch {
      // already gone
    }
  }
}
