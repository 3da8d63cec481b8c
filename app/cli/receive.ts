import type { RecordingInfo } from '../contract/engine.js';
import { Engine } from '../engine.js';
import { RtmpError } from '../errors.js';
import { urlHost } from '../util/hosts.js';
import { type ParsedArgs, formatFlag, portFlag, stringFlag } from './args.js';
import { formatClose, formatMessage, formatRecording, formatStats, formatStep } from './format.js';
import { checkFolder } from '../host/folder-check.js';
import { publishHints } from './hints.js';
import { FindingWatch, findingLine } from '../contract/health-report.js';
import { LineOutput } from './line-output.js';

/**
 * `intake record` and `intake inspect`: a headless receiver that prints what
 * it receives (protocol steps, stats, recordings), as text or one JSON
 * object per line, until SIGINT or SIGTERM; `record` also records every
 * publish to --out. Resolves with the exit code once recordings are final.
 */
export async function receive(args: ParsedArgs, mode: 'record' | 'inspect'): Promise<number> {
  const host = stringFlag(args, 'host', '127.0.0.1')!;
  const port = portFlag(args, 'port', 1935);
  const json = args.flags.has('json');
  const recordFormat = formatFlag(args);
  let out: string | undefined;
  if (mode === 'record') {
    const o = stringFlag(args, 'out');
    if (!o) throw new RtmpError('config', 'record needs --out DIR, the folder for recordings');
    out = await checkFolder(o);
  }
  // Nothing can subscribe to a headless receiver's streams: no GOP cache to hold.
  // One format for the whole run: the other formats' muxer is never loaded.
  const engine = new Engine({ host, port, recordDir: out, autoRecord: mode === 'record', recordFormat, recordFormats: mode === 'record' ? [recordFormat] : [], gopCache: false });
  const output = new LineOutput();
  const print = (line: string): void => output.line(line);
  const recordings = new Map<string, RecordingInfo>();

  if (json) {
    for (const ev of ['connection-open', 'connection-close', 'step', 'message', 'stream-start', 'stream-end', 'log'] as const) {
      engine.on(ev, (p) => print(JSON.stringify({ event: ev, ...p }, (_k, x: unknown) => (x instanceof Uint8Array ? { bytes: x.length } : x))));
    }
  } else {
    engine.on('connection-open', (c) => print(`#${c.connectionId}  connection from ${c.remoteAddress}:${c.remotePort}`));
    engine.on('step', (s) => print(formatStep(s)));
    engine.on('connection-close', (c) => print(formatClose(c)));
    engine.on('stream-start', (s) => print(`stream ${s.path} started by #${s.connectionId} (${s.encoder ?? 'unknown encoder'})`));
    engine.on('stream-end', (s) => print(`stream ${s.path} ended: ${s.reason}`));
    engine.on('log', (l) => print(`${l.level}${l.connectionId ? ` #${l.connectionId}` : ''}: ${l.message}`));
    if (mode === 'inspect') engine.on('message', (m) => print(formatMessage(m)));
  }
  if (mode === 'record') {
    engine.on('recording', (r) => {
      const prev = recordings.get(r.path);
      recordings.set(r.path, r);
      if (json) print(JSON.stringify({ event: 'recording', ...r }));
      else if (!prev || prev.state !== r.state) print(formatRecording(r));
    });
    engine.on('stream-stats', (s) => print(json ? JSON.stringify({ event: 'stream-stats', ...s }) : formatStats(s)));
  }

  // Health findings (Generic preset) as they appear, in both modes, read from the engine. Lines print no summary, so the stats carry none (--json prints it).
  const watch = new FindingWatch('generic');
  if (!json) engine.healthSummaries = () => false;
  engine.on('stream-stats', (s) => {
    for (const f of watch.freshIn(s.path, engine.findings(s.path, watch.preset))) print(json ? JSON.stringify({ event: 'finding', path: s.path, preset: watch.preset, ...f }) : `finding ${s.path}  ${findingLine(f)}`);
  });
  engine.on('stream-end', (s) => watch.forget(s.path));

  // Signal handlers go in before the first line is printed: whoever waits for
  // 'listening' may stop us at once, and must get finished recordings, not
  // Node's default kill.
  let stopping = false;
  const stopped = new Promise<void>((resolve) => {
    const stop = (sig: string): void => {
      if (stopping) return;
      stopping = true;
      print(mode === 'record' ? `${sig}: finishing recordings` : `${sig}: stopping`);
      void engine.stop().then(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });

  const addr = await engine.start();
  print(`listening rtmp://${urlHost(addr.host)}:${addr.port}`);
  if (out) print(`recording to ${out} as ${recordFormat.toUpperCase()}`);
  for (const line of publishHints(addr.host, addr.port)) print(line);

  await stopped;
  for (const r of recordings.values()) if (r.state === 'recording') print(formatRecording(r));
  output.flush();
  return 0;
}
