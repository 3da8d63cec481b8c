import { parseArgs as nodeParseArgs } from 'node:util';
import { DEFAULT_RECORD_FORMAT, RECORD_FORMATS, type RecordFormat, isRecordFormat } from '../contract/recording-format.js';
import { ErrorCode, RtmpError } from '../errors.js';

/** The options each command takes, in `util.parseArgs` form. */
export const COMMAND_OPTIONS = {
  record: { out: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, json: { type: 'boolean' }, format: { type: 'string' } },
  inspect: { host: { type: 'string' }, port: { type: 'string' }, json: { type: 'boolean' } },
  serve: {
    host: { type: 'string' },
    port: { type: 'string' },
    'http-port': { type: 'string' },
    out: { type: 'string' },
    'auto-record': { type: 'boolean' },
    open: { type: 'string' },
    format: { type: 'string' },
  },
  push: { 'chunk-size': { type: 'string' }, realtime: { type: 'boolean' }, 'plain-handshake': { type: 'boolean' } },
  check: { preset: { type: 'string' }, seconds: { type: 'string' }, json: { type: 'boolean' }, host: { type: 'string' }, port: { type: 'string' } },
} as const;

/** A command the CLI runs. */
export type Command = keyof typeof COMMAND_OPTIONS;

/** True when `name` is one of the CLI's commands. */
export function isCommand(name: string | undefined): name is Command {
  return name !== undefined && Object.hasOwn(COMMAND_OPTIONS, name);
}

/**
 * Every command's options at once. The command is only known after parsing
 * (options may come before it), and no option name is a string in one
 * command and a flag in another, so one table parses them all; each command
 * then refuses the options that are not its own ({@link checkFlags}).
 */
const ALL_OPTIONS = Object.assign({ help: { type: 'boolean' } } as const, ...Object.values(COMMAND_OPTIONS)) as Record<string, { type: 'string' | 'boolean' }>;

export interface ParsedArgs {
  command: string | undefined;
  positional: string[];
  flags: Map<string, string | true>;
}

/**
 * `--name value`, `--name=value` and boolean `--name`, parsed by Node's
 * `util.parseArgs`. Not strict: an unknown option must be reported as
 * unknown *for its command* ({@link checkFlags}), and an option whose value
 * is missing or is the next option must say "needs a value", both in our
 * own words rather than Node's.
 */
export function parseArgs(argv: string[]): ParsedArgs {
  const { tokens } = nodeParseArgs({ args: argv, options: ALL_OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'positional') positional.push(t.value);
    if (t.kind !== 'option') continue;
    if (ALL_OPTIONS[t.name]?.type === 'string' && (t.value === undefined || (!t.inlineValue && t.value.startsWith('--')))) {
      throw new RtmpError(ErrorCode.Config, `--${t.name} needs a value`);
    }
    flags.set(t.name, t.value ?? true);
  }
  return { command: positional.shift(), positional, flags };
}

/** Reject flags `command` does not take, naming them. */
export function checkFlags(args: ParsedArgs, command: Command): void {
  const known = COMMAND_OPTIONS[command];
  for (const k of args.flags.keys()) {
    if (!Object.hasOwn(known, k)) throw new RtmpError(ErrorCode.Config, `unknown option --${k} for '${command}'`);
  }
}

/** The value of a string option, or `fallback`. */
export function stringFlag(args: ParsedArgs, name: string, fallback?: string): string | undefined {
  const v = args.flags.get(name);
  if (v === true) throw new RtmpError(ErrorCode.Config, `--${name} needs a value`);
  return v ?? fallback;
}

/** `--format mp4|mkv|flv`, the recordings' container (default mp4). */
export function formatFlag(args: ParsedArgs): RecordFormat {
  const v = stringFlag(args, 'format', DEFAULT_RECORD_FORMAT)!;
  if (!isRecordFormat(v)) throw new RtmpError(ErrorCode.Config, `--format must be one of ${RECORD_FORMATS.join(', ')}, got '${v}'`);
  return v;
}

/** A TCP port: an integer 0..65535 (0 picks a free port). */
export function portFlag(args: ParsedArgs, name: string, fallback: number): number {
  const v = stringFlag(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new RtmpError(ErrorCode.Config, `--${name} must be a port number from 0 to 65535, got '${v}'`);
  return n;
}
