import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const INTAKE_BIN = fileURLToPath(new URL('../../bin/intake.js', import.meta.url));

export interface RunningIntake {
  proc: ChildProcess;
  port: number;
  /** Everything printed so far. */
  output(): string;
  /** Resolves when a line matching `re` has been printed. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGINT (or another signal) and wait for exit; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** How to start Intake other than the tests' default (the benchmark's needs). */
export interface StartOptions {
  /** The bin/intake.js to run (default: this checkout's, INTAKE_BIN). */
  bin?: string;
  /** Node flags before the script (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** How long `stop` waits before SIGKILL (default 15 s). */
  stopGraceMs?: number;
  /** Environment variables added to this one's (e.g. INTAKE_HEALTH=off). */
  env?: Record<string, string>;
}

/** Start `intake <args> --port 0` and wait for its `listening rtmp://HOST:PORT` line. */
export async function startIntake(args: string[], opts: StartOptions = {}): Promise<RunningIntake> {
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), opts.bin ?? INTAKE_BIN, ...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], ...(opts.env ? { env: { ...process.env, ...opts.env } } : {}) });
  let out = '';
  const waiters: { re: RegExp; resolve: (line: string) => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      const m = out.split('\n').find((l) => w.re.test(l));
      if (m !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  proc.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
    check();
  });
  proc.stderr!.on('data', (b: Buffer) => {
    out += b.toString();
    check();
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const waitFor = (re: RegExp, timeoutMs = 20_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${re} in intake output:\n${out}`)), timeoutMs);
      waiters.push({
        re,
        resolve: (l) => {
          clearTimeout(t);
          resolve(l);
        },
      });
      check();
      void exited.then(() => {
        setTimeout(() => reject(new Error(`intake exited while waiting for ${re}:\n${out}`)), 50);
      });
    });
  const line = await waitFor(/^listening rtmp:\/\//);
  const port = Number(/:(\d+)\s*$/.exec(line)![1]);
  return {
    proc,
    port,
    output: () => out,
    waitFor,
    stop: async (signal = 'SIGINT') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const t = setTimeout(() => proc.kill('SIGKILL'), opts.stopGraceMs ?? 15_000);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

/** Run a process to completion; resolves with its exit code and output. Killed after `timeoutMs`. */
export function run(cmd: string, args: string[], timeoutMs = 120_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Count the frames of each stream of a media file with ffprobe (decoding every packet). */
export async function probeFrames(file: string): Promise<{ video: number; audio: number; videoCodec?: string; audioCodec?: string; errors: string }> {
  const r = await run('ffprobe', ['-v', 'error', '-count_packets', '-show_entries', 'stream=codec_type,codec_name,nb_read_packets', '-of', 'json', file]);
  const j = JSON.parse(r.stdout || '{"streams":[]}') as { streams: { codec_type: string; codec_name: string; nb_read_packets: string }[] };
  const v = j.streams.find((s) => s.codec_type === 'video');
  const a = j.streams.find((s) => s.codec_type === 'audio');
  return { video: Number(v?.nb_read_packets ?? 0), audio: Number(a?.nb_read_packets ?? 0), videoCodec: v?.codec_name, audioCodec: a?.codec_name, errors: r.stderr.trim() };
}
