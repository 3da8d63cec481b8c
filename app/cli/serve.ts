import fs from 'node:fs';
import { RtmpError } from '../errors.js';
import { checkFolder } from '../host/folder-check.js';
import { IntakeService } from '../host/service.js';
import { WebServer, newToken } from '../host/web-server.js';
import { isLoopback, urlHost } from '../util/hosts.js';
import { type ParsedArgs, formatFlag, portFlag, stringFlag } from './args.js';
import { publishHints } from './hints.js';

function version(): string {
  try {
    return (JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * `intake serve`: the desktop app's engine and UI without Electron. The RTMP
 * listener and the UI's HTTP/WebSocket server share --host; beyond loopback
 * the UI needs the token printed here. A taken RTMP port does not stop the
 * UI: it shows the error and lets the user pick another port, as the
 * desktop app does.
 */
export async function serveUi(args: ParsedArgs): Promise<number> {
  const host = stringFlag(args, 'host', '127.0.0.1')!;
  const port = portFlag(args, 'port', 1935);
  const httpPort = portFlag(args, 'http-port', 8080);
  // Checked now, not at the first Record: a folder that cannot be used is one `intake:` line and exit 2.
  const recordDir = await checkFolder(stringFlag(args, 'out', 'recordings')!);
  const print = (line: string): void => void process.stdout.write(`${line}\n`);

  const service = new IntakeService({
    settings: { host, port, recordDir, autoRecord: args.flags.has('auto-record'), recordFormat: formatFlag(args) },
    host: { transport: 'websocket', version: version(), canOpenFolder: false },
  });
  // Always a token: beyond loopback every page needs it; on loopback only a page moving the listener beyond it does.
  const token = newToken();
  const web = new WebServer({
    service,
    host,
    port: httpPort,
    token,
    tokenRequired: !isLoopback(host),
    log: (level, message) => {
      print(`${level}: ${message}`);
      service.log(level, message);
    },
  });

  let stopping = false;
  const stopped = new Promise<void>((resolve) => {
    const stop = (sig: string): void => {
      if (stopping) return;
      stopping = true;
      print(`${sig}: finishing recordings`);
      void Promise.allSettled([service.close(), web.stop()]).then(() => resolve());
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });

  try {
    await web.start();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RtmpError('config', `cannot serve the UI on http://${host}:${httpPort}: ${code === 'EADDRINUSE' ? 'port in use; choose another with --http-port' : (err as Error).message}`);
  }
  const status = await service.start();
  if (status.state === 'listening') {
    print(`listening rtmp://${urlHost(host)}:${status.port}`);
  } else {
    print(`warning: ${status.error?.message ?? 'the RTMP listener did not start'}; pick another port in the UI`);
  }
  print(`ui ${web.url}`);
  print(`recording to ${recordDir} (${args.flags.has('auto-record') ? 'every stream' : 'when started in the UI'})`);
  if (status.state === 'listening') for (const line of publishHints(host, status.port)) print(line);
  if (!isLoopback(host)) print('the UI listens beyond this machine: open the URL above, with its token');

  await stopped;
  return 0;
}
