import net from 'node:net';
import { ErrorCode, RtmpError } from '../errors.js';
import type { PeerStream } from './connection.js';

/** Where a listener is listening. */
export interface ListenAddress {
  host: string;
  port: number;
}

/** What the listener needs from its owner. */
export interface ListenerHost {
  /** Connections open now, counted against `maxConnections`. */
  connectionCount(): number;
  /** Connections allowed open at once; a socket beyond it is refused and said. */
  maxConnections(): number;
  /** Take an accepted socket (within the limit). */
  accept(socket: PeerStream): void;
  log(level: 'warn' | 'error', message: string): void;
}

/**
 * The TCP side of the receiver: one `net.Server`, its start with a clear
 * reason when it cannot listen, the connection limit, and its stop. It knows
 * nothing of RTMP; each accepted socket goes to the host.
 */
export class Listener {
  private readonly server = net.createServer();
  private listeningAt: ListenAddress | null = null;

  constructor(private readonly host: ListenerHost) {
    this.server.on('connection', (socket) => this.accept(socket));
  }

  /** Where it listens once started (and still after stop: the host shows the last address). */
  get address(): ListenAddress | null {
    return this.listeningAt;
  }

  /** Start listening. Rejects with RtmpError(Config) when the port is taken or the host is invalid. */
  start(host: string, port: number): Promise<ListenAddress> {
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        const why = err.code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use` : err.code === 'EACCES' ? `no permission to listen on port ${port}` : err.message;
        reject(new RtmpError(ErrorCode.Config, `cannot listen on rtmp://${host}:${port}: ${why}`));
      };
      this.server.once('error', onError);
      this.server.listen({ host, port }, () => {
        this.server.off('error', onError);
        this.server.on('error', (err) => this.host.log('error', `server error: ${err.message}`));
        const a = this.server.address() as net.AddressInfo;
        this.listeningAt = { host, port: a.port };
        resolve(this.listeningAt);
      });
    });
  }

  /** Stop accepting; resolves once the server is closed (open connections are the host's to close). */
  close(): Promise<void> {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** One accepted socket: refused (destroyed, with a warning) beyond the connection limit, else handed to the host. */
  accept(socket: PeerStream): void {
    const open = this.host.connectionCount();
    const max = this.host.maxConnections();
    if (open >= max) {
      this.host.log('warn', `refused ${socket.remoteAddress}:${socket.remotePort}: ${ErrorCode.ConnectionLimit}: already ${open} connections (limit ${max})`);
      socket.destroy();
      return;
    }
    this.host.accept(socket);
  }
}
