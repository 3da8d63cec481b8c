import type { StreamStats } from '../contract/engine.js';
import { type PresetId, isPresetId } from '../contract/health.js';
import { Engine } from '../engine.js';
import { RtmpError } from '../errors.js';
import { FindingWatch, findingLine, reportJson, reportLines } from '../contract/health-report.js';
import { urlHost } from '../util/hosts.js';
import { type ParsedArgs, portFlag, stringFlag } from './args.js';
import { publishHints } from './hints.js';
import { LineOutput } from './line-output.js';

/** How long `check` analyses a publish unless --seconds says otherwise. */
const DEFAULT_SECONDS = 10;

function presetFlag(args: ParsedArgs): PresetId {
  const p = stringFlag(args, 'preset', 'generic')!;
  if (!isPresetId(p)) throw new RtmpError('config', `--preset must be youtube, twitch or generic, got '${p}'`);
  return p;
}

function secondsFlag(args: ParsedArgs): number {
  const v = stringFlag(args, 'seconds');
  if (v === undefined) return DEFAULT_SECONDS;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 86_400) throw new RtmpError('config', `--seconds must be a number of seconds from 0 to 86400, got '${v}'`);
  return n;
}

/**
 * `intake check`: listen, take the first publish, analyse it for --seconds
 * or until it ends, print each finding as it appears and then the report,
 * and exit 0 without errors under --preset, 1 with errors (2 when nothing
 * was published before SIGINT / SIGTERM). Later publishers are received but
 * not analysed in the report.
 */
export async function check(args: ParsedArgs): Promise<number> {
  const host = stringFlag(args, 'host', '127.0.0.1')!;
  const port = portFlag(args, 'port', 1935);
  const json = args.flags.has('json');
  const preset = presetFlag(args);
  const seconds = secondsFlag(args);
  const engine = new Engine({ host, port, gopCache: false });
  const output = new LineOutput();
  const print = (line: string): void => output.line(line);
  const watch = new FindingWatch(preset);
  let path: string | null = null;
  let last: StreamStats | null = null;

  const done = new Promise<'ended' | 'time' | 'signal'>((resolve) => {
    let timer: NodeJS.Timeout | null = null;
    engine.on('stream-start', (s) => {
      if (path !== null) return;
      path = s.path;
      print(json ? JSON.stringify({ event: 'stream-start', path: s.path, encoder: s.encoder ?? null }) : `checking ${s.path} (${s.encoder ?? 'unknown encoder'}) for ${seconds} s`);
      timer = setTimeout(() => resolve('time'), seconds * 1000);
    });
    engine.on('stream-stats', (s) => {
      if (s.path !== path) return;
      last = s;
      for (const f of watch.fresh(s)) print(json ? JSON.stringify({ event: 'finding', path: s.path, preset, ...f }) : findingLine(f));
    });
    engine.on('stream-end', (s) => {
      if (s.path !== path || s.connectionId !== last?.connectionId) return;
      if (timer) clearTimeout(timer);
      resolve('ended');
    });
    process.once('SIGINT', () => resolve('signal'));
    process.once('SIGTERM', () => resolve('signal'));
  });

  const addr = await engine.start();
  print(`listening rtmp://${urlHost(addr.host)}:${addr.port}`);
  if (!json) for (const line of publishHints(addr.host, addr.port)) print(line);
  const why = await done;
  // Still live (time is up, or a signal): its stats now; ended: the final stats it emitted.
  const live = path !== null ? engine.stream(path) : undefined;
  const final: StreamStats | null = live ? live.stats() : last;
  await engine.stop(why === 'time' ? 'check finished' : 'server shutting down');
  if (!final) {
    print(json ? JSON.stringify({ event: 'report', error: 'no stream was published' }) : 'check: no stream was published');
    output.flush();
    return 2;
  }
  for (const f of watch.fresh(final)) print(json ? JSON.stringify({ event: 'finding', path: final.path, preset, ...f }) : findingLine(f));
  if (json) print(JSON.stringify({ event: 'report', ended: why, ...reportJson(final, preset) }));
  else for (const line of reportLines(final, preset)) print(line);
  output.flush();
  return (final.health?.findings[preset] ?? []).some((f) => f.severity === 'error') ? 1 : 0;
}
