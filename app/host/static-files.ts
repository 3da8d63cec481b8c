import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The same policy as the page's meta tag, as a header: scripts only from us, the host's WebSocket, media from MSE blobs. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; worker-src 'self' blob:; connect-src 'self' ws: wss:; font-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'; frame-ancestors 'none'";

/** Headers on every answer, errors included. */
export const SECURITY_HEADERS = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY', 'Cache-Control': 'no-cache' } as const;

/**
 * The path a request names, decoded, or null when it cannot name a file:
 * not a URL, bad percent-encoding, or a NUL (which makes every fs call
 * throw synchronously; that once killed `intake serve`).
 */
export function requestPath(url: string | undefined): string | null {
  if (!url?.startsWith('/') || url.startsWith('//')) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(new URL(url, 'http://x').pathname);
  } catch {
    return null;
  }
  return rel.includes('\0') ? null : rel;
}

/** Answer `res` with a status and a short text, unless something was already sent (then the socket is cut). */
export function answer(res: http.ServerResponse, status: number, text: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
}

/**
 * Serve the built renderer from `root`: GET and HEAD only, nothing outside
 * `root`, a 4xx for any path that cannot name a file, a 500 (for this
 * request alone) for any failure of the disk.
 */
export function serveFile(root: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...SECURITY_HEADERS, Allow: 'GET, HEAD' }).end();
    return;
  }
  const rel = requestPath(req.url);
  if (rel === null) return answer(res, 400, 'bad path');
  const file = path.join(root, rel.endsWith('/') ? `${rel}index.html` : rel);
  if (!file.startsWith(path.resolve(root) + path.sep)) return answer(res, 403, 'forbidden');
  fs.stat(file, (err, st) => {
    try {
      if (err || !st.isFile()) {
        const missing = rel === '/' || rel === '/index.html';
        return answer(res, 404, missing ? 'the UI is not built: run `npm run build` in the Intake checkout' : 'not found');
      }
      res.writeHead(200, { ...SECURITY_HEADERS, ...cacheFor(rel), 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': st.size });
      if (req.method === 'HEAD') return void res.end();
      // A file removed or unreadable between stat and read: an unhandled 'error' here would end the process.
      fs.createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
    } catch {
      answer(res, 500, 'internal error');
    }
  });
}

/**
 * Vite names each file under assets/ after a hash of its content, so a file
 * there never changes: the browser may keep it. Why: with `no-cache` and no
 * validator, every reload downloaded, parsed and compiled the 344 kB bundle
 * again (no V8 code cache either). index.html (and anything not hashed)
 * stays `no-cache`, so a rebuilt UI is picked up at the next load.
 */
export function cacheFor(rel: string): { 'Cache-Control'?: string } {
  return /^\/assets\/[\w.-]+-[\w-]{8}\.(?:js|css)$/.test(rel) ? { 'Cache-Control': 'public, max-age=31536000, immutable' } : {};
}
