import os from 'node:os';
import { isLoopback, isWildcard, urlHost } from '../util/hosts.js';


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
