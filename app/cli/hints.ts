import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RtmpError } from '../errors.js';
import { isLoopback, isWildcard, urlHost } from '../util/hosts.js';

/** A folder we can create and write into, or a clear error. */
export function writableDir(dir: string): string {
  const abs = path.resolve(dir);
  try {
    fs.mkdirSync(abs, { recursive: true });
    fs.accessSync(abs, fs.constants.W_OK);
  } catch (err) {
    throw new RtmpError('config', `cannot write recordings to ${abs}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return abs;
}


/** Where to point a publisher; a warning when listening beyond loopback, with this machine's addresses. */
export function publishHints(host: string, port: number): string[] {
  const url = (h: string): string => `rtmp://${urlHost(h)}:${port}/live/<key>`;
  if (isLoopback(host)) return [`publish to ${url(host)}`];
  const lines = [`warning: listening on ${host}, beyond this machine: anyone who can reach it can publish`];
  if (isWildcard(host)) {
    const addrs = Object.values(os.networkInterfaces())
      .flat()
      .filter((a): a is os.NetworkInterfaceInfo => !!a && !a.internal && (host === '::' || a.family === 'IPv4'))
      .map((a) => a.address);
    for (const a of ['127.0.0.1', ...addrs]) lines.push(`publish to ${url(a)}`);
  } else {
    lines.push(`publish to ${url(host)}`);
  }
  return lines;
}
