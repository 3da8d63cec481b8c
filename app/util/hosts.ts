/**
 * Host names as the listeners and the URLs they print see them, in one
 * place: which hosts reach only this machine, and how a host is written in
 * a URL.
 */

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** Whether listening on (or being addressed as) `host` reaches only this machine. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/** Whether `host` means every interface. */
export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/** `host` as written in a URL: IPv6 in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The host to put in a URL for this machine's own use: a wildcard listener is reached at 127.0.0.1. */
export function localUrlHost(host: string): string {
  return isWildcard(host) ? '127.0.0.1' : urlHost(host);
}
