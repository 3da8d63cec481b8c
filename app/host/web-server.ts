import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import type { UiClient, UiSink } from './session-host.js';
import { isLoopback, localUrlHost } from '../util/hosts.js';
import { frameMedia, WsClient } from './ws-client.js';
import { PAGE_GRANTS, TRUSTED_GRANTS, type SessionGrants } from './record-folders.js';
import { answer, requestPath, serveFile } from './static-files.js';
import { WS_CLOSE_UNAUTHORIZED, WS_PATH } from '../contract/wire.js';

/** The renderer build, next to the compiled engine (dist/app/host -> dist/renderer). */
export const RENDERER_DIR = fileURLToPath(new URL('../../renderer/', import.meta.url));

/**
 * A page that stops reading (a hung tab, a laptop lid closed) must not make
 * the server buffer without end: past this, its socket is dropped and the
 * page, when it wakes, reconnects and reads a fresh snapshot.
 */
export const WS_MAX_BACKLOG = 32 * 1024 * 1024;

/** Requests a page may have awaiting their answers; the UI sends a handful, a flood is dropped. */
export const WS_MAX_IN_FLIGHT = 64;

/** The binary WebSocket frame for a media chunk (see {@link frameMedia}). */
export const mediaFrame = frameMedia;

/** What the web server needs of the service: a way to attach each page as a UI (IntakeService is one). */
export interface UiHost {
  attach(sink: UiSink, grants?: SessionGrants): UiClient;
}

export interface WebServerOptions {
  service: UiHost;
  host: string;
  port: number;
  /**
   * The token printed at start. A page that presents it may also move the
   * listener beyond loopback ({@link SessionGrants}); when `tokenRequired`
   * (the default, and always so beyond loopback) no page gets in without it.
   */
  token?: string | null;
  tokenRequired?: boolean;
  rendererDir?: string;
  /** Bytes queued for one page past which it is dropped (default {@link WS_MAX_BACKLOG}). */
  maxQueuedBytes?: number;
  /** Where "dropped a page" and the like are said. */
  log?(level: 'warn', message: string): void;
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
    // Any exception answers its own request with a 500 (or cuts its socket): one request must never end the process.
    this.http = http.createServer((req, res) => {
      try {
        serveFile(this.opts.rendererDir ?? RENDERER_DIR, req, res);
      } catch {
        answer(res, 500, 'internal error');
      }
    });
    this.http.on('upgrade', (req, socket: Duplex, head) => {
      socket.on('error', () => {});
      try {
        this.upgrade(req, socket, head);
      } catch {
        socket.end('HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\n');
      }
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

  /** Bytes queued for each attached page now (what the bound of {@link WS_MAX_BACKLOG} is held against). */
  clientsQueued(): number[] {
    return [...this.wss.clients].map((ws) => ws.bufferedAmount);
  }

  /** The page URL to open (with the token when one is needed). */
  get url(): string {
    const a = this.address ?? { host: this.opts.host, port: this.opts.port };
    return `http://${localUrlHost(a.host)}:${a.port}/${this.opts.token ? `?token=${this.opts.token}` : ''}`;
  }

  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const why = this.refuse(req);
    if (why) {
      socket.end(`HTTP/1.1 ${why}\r\nConnection: close\r\n\r\n`);
      return;
    }
    const url = new URL(req.url!, 'http://x');
    const token = this.opts.token;
    const presented = !!token && sameToken(url.searchParams.get('token'), token);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (token && (this.opts.tokenRequired ?? true) && !presented) {
        ws.close(WS_CLOSE_UNAUTHORIZED, 'a token is required: open the URL printed by intake serve');
        return;
      }
      this.attach(ws, `${req.socket.remoteAddress}:${req.socket.remotePort}`, presented ? TRUSTED_GRANTS : PAGE_GRANTS);
    });
  }

  /** Why an upgrade is refused (an HTTP status line), or null. */
  private refuse(req: http.IncomingMessage): string | null {
    const rel = requestPath(req.url);
    if (rel === null) return '400 Bad Request';
    if (rel !== WS_PATH) return '404 Not Found';
    // DNS rebinding: a hostile name resolved to 127.0.0.1 makes Origin and Host agree, so on loopback the Host must be a loopback name too.
    const hostName = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
    if (isLoopback(this.opts.host) && !isLoopback(hostName)) return '403 Forbidden';
    const origin = req.headers.origin;
    // Browsers always send Origin on a WebSocket; tools (tests, scripts) may not, and are not the threat.
    if (origin !== undefined && origin !== `http://${req.headers.host}`) return '403 Forbidden';
    return null;
  }

  private attach(ws: WebSocket, peer: string, grants: SessionGrants): void {
    const page = new WsClient(ws, {
      maxQueuedBytes: this.opts.maxQueuedBytes ?? WS_MAX_BACKLOG,
      maxInFlight: WS_MAX_IN_FLIGHT,
      peer,
      log: (level, message) => this.opts.log?.(level, message),
    });
    page.serve(this.opts.service.attach(page.sink, grants));
  }
}

function sameToken(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
