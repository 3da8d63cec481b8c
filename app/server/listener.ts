import net from 'node:net';
import { ErrorCode, RtmpError } from '../errors.js';
import type { PeerStream } from './connection.js';
import { RefusalLog } from './refusal-log.js';
import { type Waiter, WaitingRoom } from './waiting-room.js';

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
  /** Connections from one address that have not published yet, at most (none: no such limit). */
  maxWaitingPerAddress?(): number;
  /** Take an accepted socket (within the limits); returns its connection, which waits in the room until it publishes ({@link Listener.settled}). */
  accept(socket: PeerStream): Waiter | void;
  log(level: 'warn' | 'error', message: string): void;
}

/**
 * The TCP side of the receiver: one `net.Server`, its start with a clear
 * reason when it cannot listen, the connection limit, and its stop. It knows
 * nothing of RTMP; each accepted socket goes to the host.
 */
export class Listener {
  private server = this.newServer();
  /** Servers replaced by {@link move}, closed to newcomers, until the connections they accepted end. */
  private readonly draining = new Set<Promise<void>>();
  private listeningAt: ListenAddress | null = null;
  private readonly room = new WaitingRoom();
  private readonly refusals = new RefusalLog((message) => this.host.log('warn', message));

  constructor(private readonly host: ListenerHost) {}

  private newServer(): net.Server {
    return net.createServer((socket) => this.accept(socket));
  }

  /** Where it listens once started (and still after stop: the host shows the last address). */
  get address(): ListenAddress | null {
    return this.listeningAt;
  }

  /** Start listening. Rejects with RtmpError(Config) when the port is taken or the host is invalid. */
  async start(host: string, port: number): Promise<ListenAddress> {
    this.listeningAt = await this.bind(this.server, host, port);
    return this.listeningAt;
  }

  /**
   * Listen somewhere else without ending anything: the new address is bound
   * first, and only then does the old one stop taking newcomers. The
   * connections it accepted (live streams) go on until they end. When the
   * new address cannot be bound this rejects, as {@link start} does, and
   * nothing has changed: Intake never ends up listening nowhere.
   */
  async move(host: string, port: number): Promise<ListenAddress> {
    const next = this.newServer();
    const at = await this.bind(next, host, port);
    const old = this.server;
    this.server = next;
    this.listeningAt = at;
    const closed = new Promise<void>((resolve) => old.close(() => resolve()));
    this.draining.add(closed);
    void closed.then(() => this.draining.delete(closed));
    return at;
  }

  /** Stop accepting; resolves once every server is closed (open connections are the host's to close). */
  async close(): Promise<void> {
    await Promise.all([new Promise<void>((resolve) => this.server.close(() => resolve())), ...this.draining]);
  }

  private bind(server: net.Server, host: string, port: number): Promise<ListenAddress> {
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        const why = err.code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use` : err.code === 'EACCES' ? `no permission to listen on port ${port}` : err.message;
        reject(new RtmpError(ErrorCode.Config, `cannot listen on rtmp://${host}:${port}: ${why}`));
      };
      server.once('error', onError);
      server.listen({ host, port }, () => {
        server.off('error', onError);
        server.on('error', (err) => this.host.log('error', `server error: ${err.message}`));
        const a = server.address() as net.AddressInfo;
        resolve({ host, port: a.port });
      });
    });
  }

  /**
   * One accepted socket, within two limits: connections from its address
   * that have not published yet, and connections in all. At either, it takes
   * the seat of a waiting connection that has sent nothing (or has been
   * silent a while), from its own address first; with none, it is refused
   * (destroyed, with a warning). Publishing connections are never closed
   * for a newcomer.
   */
  accept(socket: PeerStream): void {
    const address = socket.remoteAddress ?? '';
    const who = `${address}:${socket.remotePort}`;
    const waiting = this.room.count(address);
    const perAddress = this.host.maxWaitingPerAddress?.() ?? Infinity;
    const open = this.host.connectionCount();
    const max = this.host.maxConnections();
    let victim: Waiter | undefined;
    let limit: string | null = null;
    if (waiting >= perAddress) {
      limit = `already ${waiting} connections from ${address} that have not published (limit ${perAddress})`;
      victim = this.room.victim(address);
    } else if (open >= max) {
      limit = `already ${open} connections (limit ${max})`;
      victim = this.room.victim();
    }
    if (limit && !victim) {
      this.refusals.say(address, `refused ${who}: ${ErrorCode.ConnectionLimit}: ${limit}`);
      socket.destroy();
      return;
    }
    if (victim) {
      this.refusals.say(address, `closed #${victim.id} for ${who}: ${ErrorCode.ConnectionLimit}: ${limit}; #${victim.id} had not published and was the quietest`);
      victim.shutdown(`${ErrorCode.ConnectionLimit}: closed to make room for a new connection (${limit}), before it published`);
      this.room.leave(victim);
    }
    const waiter = this.host.accept(socket);
    // A stream that closed while being accepted has already settled: it must not take a seat for ever.
    if (waiter && !(socket as { destroyed?: boolean }).destroyed) this.room.enter(waiter, socket);
  }

  /** A connection published, or closed: it no longer counts as waiting. */
  settled(waiter: Waiter): void {
    this.room.leave(waiter);
  }

  /** Connections accepted that have not published yet (from `address`, or in all). */
  waitingCount(address?: string): number {
    return this.room.count(address);
  }
}
