import http from 'node:http';
import net from 'node:net';
import { type RunningIntake, startIntake } from '../support/cli.js';
import { tempDir } from '../e2e/publish-helpers.js';

/** A running `intake serve` child on free ports, with its UI address. */
export interface ServeChild {
  intake: RunningIntake;
  httpPort: number;
  dir: string;
  stop(): Promise<void>;
}

/** Start `intake serve --http-port 0 --out <temp>` (plus `args`) and wait for its `ui` line. */
export async function serveChild(args: string[] = []): Promise<ServeChild> {
  const out = tempDir('serve');
  const intake = await startIntake(['serve', '--http-port', '0', '--out', out.dir, ...args]);
  const line = await intake.waitFor(/^ui http:\/\//);
  const httpPort = Number(/:(\d+)\//.exec(line)![1]);
  return {
    intake,
    httpPort,
    dir: out.dir,
    stop: async () => {
      await intake.stop();
      out.remove();
    },
  };
}

/**
 * Send raw bytes as one HTTP request and resolve with the status code the
 * server answered (0 if it closed without a status line). Raw, because
 * fetch refuses to send most of what a hostile client would.
 */
export function rawRequest(port: number, bytes: string | Buffer, timeoutMs = 5000, opts: { end?: boolean } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    let got = '';
    const t = setTimeout(() => {
      s.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms to ${JSON.stringify(String(bytes).slice(0, 200))}`));
    }, timeoutMs);
    // `end`: half-close after the bytes, as a client that sent a truncated request and gave up.
    s.on('connect', () => (opts.end ? s.end(bytes) : s.write(bytes)));
    s.on('data', (b: Buffer) => {
      got += b.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(got);
      if (m) {
        clearTimeout(t);
        s.destroy();
        resolve(Number(m[1]));
      }
    });
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(t);
      resolve(/^HTTP\/1\.1 (\d{3})/.exec(got) ? Number(/^HTTP\/1\.1 (\d{3})/.exec(got)![1]) : 0);
    });
  });
}

/** GET `path` over plain http.get (status only). */
export function getStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}
