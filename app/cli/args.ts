import { ErrorCode, RtmpError } from '../errors.js';

export interface ParsedArgs {
  command: string | undefined;
  positional: string[];
  flags: Map<string, string | true>;
}

/** `--name value`, `--name=value` and boolean `--name`; `booleans` lists the flags that take no value. */
export function parseArgs(argv: string[], booleans: ReadonlySet<string>): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
    if (eq >= 0) flags.set(name, a.slice(eq + 1));
    else if (booleans.has(name)) flags.set(name, true);
    else {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new RtmpError(ErrorCode.Config, `--${name} needs a value`);
      flags.set(name, v);
      i++;
    }
  }
  return { command: positional.shift(), positional, flags };
}

/** Reject flags a command does not know, naming them. */
export function checkFlags(args: ParsedArgs, known: readonly string[]): void {
  for (const k of args.flags.keys()) {
    if (!known.includes(k)) throw new RtmpError(ErrorCode.Config, `unknown option --${k} for '${args.command}'`);
  }
}

export function stringFlag(args: ParsedArgs, name: string, fallback?: string): string | undefined {
  const v = args.flags.get(name);
  if (v === true) throw new RtmpError(ErrorCode.Config, `--${name} needs a value`);
  return v ?? fallback;
}

/** A TCP port: an integer 0..65535 (0 picks a free port). */
export function portFlag(args: ParsedArgs, name: string, fallback: number): number {
  const v = stringFlag(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new RtmpError(ErrorCode.Config, `--${name} must be a port number from 0 to 65535, got '${v}'`);
  return n;
}
