import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import type { UiEventName, UiEvents } from '../contract/ui.js';
import type { UiClient, UiSink } from './session-host.js';
import { isLoopback, localUrlHost } from '../util/hosts.js';
import { toWireError } from './ui-error.js';
import { MEDIA_ARRIVAL_OFFSET, MEDIA_FORWARDED_OFFSET, MEDIA_HEADER_BYTES, MEDIA_OFFERED_OFFSET, WS_CLOSE_UNAUTHORIZED, WS_PATH, type ClientFrame } from '../contract/wire.js';

/** The renderer build, next to the compiled engine (dist/app/host -> dist/renderer). */
export const RENDERER_DIR = fileURLToPath(new URL('../../renderer/', import.meta.url));

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

/**
 * A page that stops reading (a hung tab, a laptop lid closed) must not make
 * the server buffer without end: past this, its socket is dropped and the
 * page, when it wakes, reconnects and reads a fresh snapshot.
 */
export const WS_MAX_BACKLOG = 32 * 1024 * 1024;

/**
 * The binary WebSocket frame for a media chunk (wire.ts: the 4-byte preview
 * id, the arrival time, the offered and forwarded counts, then the FLV bytes). A PreviewFeed batch already sits behind its
 * header in one buffer, so the frame is that buffer, sent as it is: no copy.
 * Any other chunk is copied behind a new header. (The bytes before a foreign
 * view are only sent when they equal that header, i.e. when the frame would
 * be the same bytes anyway.)
 */
export function mediaFrame(previewId: number, data: Uint8Array, meta: { arrivedAt?: number; offered?: number; forwarded?: number } = {}): Buffer {
  if (data.byteOffset >= MEDIA_HEADER_BYTES) {
    const framed = Buffer.from(data.buffer, data.byteOffset - MEDIA_HEADER_BYTES, MEDIA_HEADER_BYTES + data.byteLength);
    if (framed.readUInt32BE(0) === previewId) return framed;
  }
  const frame = Buffer.allocUnsafe(MEDIA_HEADER_BYTES + data.byteLength);
  frame.writeUInt32BE(previewId, 0);
  frame.writeDoubleBE(meta.arrivedAt ?? NaN, MEDIA_ARRIVAL_OFFSET);
  frame.writeUInt32BE((meta.offered ?? 0) >>> 0, MEDIA_OFFERED_OFFSET);
  frame.writeUInt32BE((meta.forwarded ?? 0) >>> 0, MEDIA_FORWARDED_OFFSET);
  frame.set(data, MEDIA_HEADER_BYTES);
  return frame;
}

/** What the web server needs of the service: a way to attach each page as a UI (IntakeService is one). */
export interface UiHost {
  attach(sink: UiSink): UiClient;
}

export interface WebServerOptions {
  service: UiHost;
  host: string;
  port: number;
  /** Required on the WebSocket when set (always set beyond loopback). */
  token?: string | null;
  rendererDir?: string;
}

/** A random token for the WebSocket when the UI listens beyond loopback. */
export function newToken(): string {
  return crypto.randomBytes(18).toString('base64url');
}

/**
 * The browser mode's host: serves the built renderer over HTTP and the UI
 * contract over a WebSocket at /ws (JSON text frames, binary media frames).
 *
 * Two guards, because a WebSocket is not bound by CORS: a connection whose
 * Origin is not this server's own page is refused (another site open in the
 * user's browser must not read their stream or change settings), and
 * beyond loopback a token printed at start is required.
 */
export class WebServer {
  private readonly http: http.Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  private address: { host: string; port: number } | null = null;

  constructor(private readonly opts: WebServerOptions) {
    this.http = http.createServer((req, res) => this.serveFile(req, res));
    this.http.on('upgrade', (req, socket, head) => {
      const why = this.refuse(req);
      if (why) {
        socket.on('error', () => {});
        socket.end(`HTTP/1.1 ${why}\r\nConnection: close\r\n\r\n`);
        return;
      }
      const url = new URL(req.url ?? '/', 'http://x');
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        if (this.opts.token && !sameToken(url.searchParams.get('token'), this.opts.token)) {
          ws.close(WS_CLOSE_UNAUTHORIZED, 'a token is required: open the URL printed by intake serve');
          return;
        }
        this.attach(ws);
      });
    });
  }

  start(): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen({ host: this.opts.host, port: this.opts.port }, () => {
        this.http.off('error', reject);
        const a = this.http.address() as AddressInfo;
        this.address = { host: this.opts.host, port: a.port };
        resolve(this.address);
      });
    });
  }

  async stop(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((r) => this.http.close(() => r()));
  }

  /** The page URL to open (with the token when one is needed). */
  get url(): string {
    const a = this.address ?? { host: this.opts.host, port: this.opts.port };
    return `http://${localUrlHost(a.host)}:${a.port}/${this.opts.token ? `?token=${this.opts.token}` : ''}`;
  }

  /** Why an upgrade is refused (an HTTP status line), or null. */
  private refuse(req: http.IncomingMessage): string | null {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== WS_PATH) return '404 Not Found';
    // DNS rebinding: a hostile name resolved to 127.0.0.1 makes Origin and Host agree, so on loopback the Host must be a loopback name too.
    const hostName = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
    if (isLoopback(this.opts.host) && !isLoopback(hostName)) return '403 Forbidden';
    const origin = req.headers.origin;
    // Browsers always send Origin on a WebSocket; tools (tests, scripts) may not, and are not the threat.
    if (origin !== undefined && origin !== `http://${req.headers.host}`) return '403 Forbidden';
    return null;
  }

  private attach(ws: WebSocket): void {
    const sink = {
      event<K extends UiEventName>(name: K, payload: UiEvents[K]): void {
        if (ws.readyState !== ws.OPEN) return;
        if (ws.bufferedAmount > WS_MAX_BACKLOG) {
          ws.terminate();
          return;
        }
        if (name === 'media') {
          const m = payload as UiEvents['media'];
          ws.send(mediaFrame(m.previewId, m.data, m), { binary: true });
        } else {
          ws.send(JSON.stringify({ event: name, payload }));
        }
      },
      backlog: () => ws.bufferedAmount,
    };
    const client = this.opts.service.attach(sink);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let frame: ClientFrame;
      try {
        frame = JSON.parse(String(data)) as ClientFrame;
        if (typeof frame.id !== 'number' || typeof frame.name !== 'string') throw new Error('not a request');
      } catch {
        ws.close(1003, 'requests are JSON {id, name, arg}');
        return;
      }
      client.handle(frame.name, frame.arg).then(
        (res) => ws.readyState === ws.OPEN && ws.send(JSON.stringify({ id: frame.id, ok: true, res: res ?? null })),
        (err: unknown) => ws.readyState === ws.OPEN && ws.send(JSON.stringify({ id: frame.id, ok: false, error: toWireError(err) })),
      );
    });
    ws.on('close', () => client.detach());
    ws.on('error', () => client.detach());
  }

  private serveFile(req: http.IncomingMessage, res: http.ServerResponse): void {
    const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY', 'Cache-Control': 'no-cache' };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    const root = this.opts.rendererDir ?? RENDERER_DIR;
    let rel: string;
    try {
      rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400, headers).end('bad path');
      return;
    }
    const file = path.join(root, rel.endsWith('/') ? `${rel}index.html` : rel);
    if (!file.startsWith(path.resolve(root) + path.sep)) {
      res.writeHead(403, headers).end();
      return;
    }
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) {
        const missing = rel === '/' || rel === '/index.html';
        res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(missing ? 'the UI is not built: run `npm run build` in the Intake checkout\n' : 'not found\n');
        return;
      }
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': st.size });
      if (req.method === 'HEAD') res.end();
      else fs.createReadStream(file).pipe(res);
    });
  }
}

function sameToken(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
