import type { RecordingInfo } from '../contract/engine.js';
import { Engine } from '../engine.js';
import { keepYoungGenerationSmall } from '../util/gc.js';
import { urlHost } from '../util/hosts.js';
import { RtmpError } from '../errors.js';
import { type ParsedArgs, checkFlags, parseArgs, portFlag, stringFlag } from './args.js';
import { formatClose, formatMessage, formatRecording, formatStats, formatStep } from './format.js';
import { publishHints, writableDir } from './hints.js';
import { push } from './push.js';
import { serveUi } from './serve.js';

const USAGE = `usage: intake <command> [options]

  record --out DIR [--host 127.0.0.1] [--port 1935] [--json]
      receive every publish and record each to DIR as <app>_<key>_<date-time>.flv;
      prints each protocol step and a stats line per stream per second
      (--json: one object per line: steps, stats, recordings, closes)
  inspect [--host 127.0.0.1] [--port 1935] [--json]
      print the protocol timeline of every connection, live (--json: one object per line)
  serve [--host 127.0.0.1] [--port 1935] [--http-port 8080] [--out DIR] [--auto-record]
      the app's UI in a browser: receive as the desktop app does and serve its UI
      at http://HOST:HTTP-PORT/ (beyond loopback, the URL printed carries a token)
  push FILE.flv rtmp://HOST:PORT/APP/KEY [--chunk-size 4096] [--realtime] [--plain-handshake]
      publish an FLV file (a test publisher)

Port 0 picks a free port; the first line printed is 'listening rtmp://HOST:PORT'.
Publish with: ffmpeg -re -i in.mp4 -c copy -f flv rtmp://127.0.0.1:1935/live/mykey`;

const BOOLEANS = new Set(['json', 'realtime', 'plain-handshake', 'help', 'auto-record']);

/** Run the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  keepYoungGenerationSmall();
  let args: ParsedArgs;
  try {
    args = parseArgs(argv, BOOLEANS);
    if (!args.command || args.command === 'help' || args.flags.has('help')) {
      console.log(USAGE);
      return args.command || args.flags.has('help') ? 0 : 2;
    }
    switch (args.command) {
      case 'record':
        checkFlags(args, ['out', 'host', 'port', 'json']);
        return await serve(args, 'record');
      case 'inspect':
        checkFlags(args, ['host', 'port', 'json']);
        return await serve(args, 'inspect');
      case 'serve':
        checkFlags(args, ['host', 'port', 'http-port', 'out', 'auto-record', 'open']);
        return await serveUi(args);
      case 'push':
        checkFlags(args, ['chunk-size', 'realtime', 'plain-handshake']);
        return await push(args);
      default:
        console.error(`intake: unknown command '${args.command}'\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    console.error(`intake: ${err instanceof RtmpError ? err.message : (err as Error).stack}`);
    return err instanceof RtmpError ? 2 : 1;
  }
}

async function serve(args: ParsedArgs, mode: 'record' | 'inspect'): Promise<number> {
  const host = stringFlag(args, 'host', '127.0.0.1')!;
  const port = portFlag(args, 'port', 1935);
  const json = args.flags.has('json');
  let out: string | undefined;
  if (mode === 'record') {
    const o = stringFlag(args, 'out');
    if (!o) throw new RtmpError('config', 'record needs --out DIR, the folder for recordings');
    out = writableDir(o);
  }
  // Nothing can subscribe to a headless receiver's streams: no GOP cache to hold.
  const engine = new Engine({ host, port, recordDir: out, autoRecord: mode === 'record', gopCache: false });
  const print = (line: string): void => void process.stdout.write(`${line}\n`);
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
  if (out) print(`recording to ${out}`);
  for (const line of publishHints(addr.host, addr.port)) print(line);

  await stopped;
  for (const r of recordings.values()) if (r.state === 'recording') print(formatRecording(r));
  return 0;
}
