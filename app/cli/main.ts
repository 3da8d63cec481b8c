import { keepYoungGenerationSmall } from '../util/gc.js';
import { RtmpError } from '../errors.js';
import { type ParsedArgs, checkFlags, isCommand, parseArgs } from './args.js';
import { receive } from './receive.js';

const USAGE = `usage: intake <command> [options]

  record --out DIR [--format mp4|mkv|flv] [--host 127.0.0.1] [--port 1935] [--json]
      receive every publish and record each to DIR as <app>_<key>_<date-time>.mp4
      (fragmented MP4 by default; --format mkv or flv for those);
      prints each protocol step and a stats line per stream per second
      (--json: one object per line: steps, stats, recordings, closes)
  inspect [--host 127.0.0.1] [--port 1935] [--json]
      print the protocol timeline of every connection, live (--json: one object per line)
  serve [--host 127.0.0.1] [--port 1935] [--http-port 8080] [--out DIR] [--auto-record] [--format mp4|mkv|flv]
      the app's UI in a browser: receive as the desktop app does and serve its UI
      at http://HOST:HTTP-PORT/ (beyond loopback, the URL printed carries a token)
  push FILE rtmp://HOST:PORT/APP/KEY [--chunk-size 4096] [--realtime] [--plain-handshake]
      publish an FLV, MP4, MKV or WebM file (Enhanced RTMP for HEVC, AV1, VP9, Opus)
  check [--preset youtube|twitch|generic] [--seconds 10] [--json] [--host 127.0.0.1] [--port 1935]
      analyse the first publish for N seconds (or until it ends) and report its health;
      exit 0 without errors under the preset, 1 with errors

Port 0 picks a free port; the first line printed is 'listening rtmp://HOST:PORT'.
Publish with: ffmpeg -re -i in.mp4 -c copy -f flv rtmp://127.0.0.1:1935/live/mykey`;

/** Run the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  keepYoungGenerationSmall();
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
    if (!args.command || args.command === 'help' || args.flags.has('help')) {
      console.log(USAGE);
      return args.command || args.flags.has('help') ? 0 : 2;
    }
    if (!isCommand(args.command)) {
      console.error(`intake: unknown command '${args.command}'\n${USAGE}`);
      return 2;
    }
    checkFlags(args, args.command);
    switch (args.command) {
      case 'record':
      case 'inspect':
        return await receive(args, args.command);
      // Loaded when asked for: the web server and the publisher are ~9 MB of
      // RSS that a headless `record` never uses (bench/RESULTS.md).
      case 'serve':
        return await (await import('./serve.js')).serveUi(args);
      case 'push':
        return await (await import('./push.js')).push(args);
      case 'check':
        return await (await import('./check.js')).check(args);
    }
  } catch (err) {
    console.error(`intake: ${err instanceof RtmpError ? err.message : (err as Error).stack}`);
    return err instanceof RtmpError ? 2 : 1;
  }
}
