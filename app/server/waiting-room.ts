import type { PeerStream } from './connection.js';

/** A connection that has not published yet, as the waiting room sees it. */
export interface Waiter {
  readonly id: number;
  /** Milliseconds since the peer last sent a byte. */
  silentForMs(): number;
  /** Close it from our side, with the reason. */
  shutdown(reason: string): void;
}

interface Seat {
  waiter: Waiter;
  socket: PeerStream;
  address: string;
  seq: number;
  /** When it was accepted (ms, monotonic). */
  at: number;
}

/** A peer that sent something, then nothing for this long, may give its seat up. */
const IDLE_EVICT_MS = 1000;
/**
 * A peer that has sent nothing may give its seat up once it has been
 * connected this long. Why not at once: in a burst of connections the
 * listener accepts many before it reads any, so a real encoder, its
 * handshake already on the way, looks mute for an event-loop turn or two.
 * Not longer: a publisher arriving in a flood of mute sockets takes the
 * seat of one of them, and every seat of a fresh flood is young.
 */
const MUTE_EVICT_MS = 100;

/**
 * The connections that have not published yet, by address: what the
 * per-address limit counts. Why a room and not only a count: when an address
 * is at its limit, the newcomer can take the seat of one of its own idle
 * connections instead of being refused, so 1,000 idle sockets from one
 * address cannot lock out a publisher from that address (an encoder sends
 * its handshake at once; a flood's socket sends nothing). Published
 * connections are never in the room, so they are never evicted.
 */
export class WaitingRoom {
  private readonly byAddress = new Map<string, Set<Seat>>();
  private readonly seats = new Map<Waiter, Seat>();
  private seq = 0;

  /** Connections waiting now, from `address` or in all. */
  count(address?: string): number {
    return address === undefined ? this.seats.size : (this.byAddress.get(address)?.size ?? 0);
  }

  enter(waiter: Waiter, socket: PeerStream): void {
    const address = socket.remoteAddress ?? '';
    const seat: Seat = { waiter, socket, address, seq: this.seq++, at: performance.now() };
    this.seats.set(waiter, seat);
    let set = this.byAddress.get(address);
    if (!set) this.byAddress.set(address, (set = new Set()));
    set.add(seat);
  }

  /** It published, or closed: no longer waiting. */
  leave(waiter: Waiter): void {
    const seat = this.seats.get(waiter);
    if (!seat) return;
    this.seats.delete(waiter);
    const set = this.byAddress.get(seat.address)!;
    set.delete(seat);
    if (set.size === 0) this.byAddress.delete(seat.address);
  }

  /**
   * Whom to close so a newcomer (from `address`, or from anywhere) fits: the
   * oldest that has sent nothing at all in MUTE_EVICT_MS, else the longest
   * silent if it has been silent IDLE_EVICT_MS; none when everyone waiting
   * is talking or has only just come.
   * Bounded: at most the per-address limit, or the connection limit, seats.
   */
  victim(address?: string): Waiter | undefined {
    const seats = address === undefined ? this.seats.values() : (this.byAddress.get(address) ?? []);
    let mute: Seat | undefined;
    let idlest: { seat: Seat; silent: number } | undefined;
    const now = performance.now();
    for (const seat of seats) {
      const read = (seat.socket as { bytesRead?: number }).bytesRead;
      if (read === 0) {
        if (now - seat.at < MUTE_EVICT_MS) continue;
        if (!mute || seat.seq < mute.seq) mute = seat;
        continue;
      }
      const silent = seat.waiter.silentForMs();
      if (silent >= IDLE_EVICT_MS && (!idlest || silent > idlest.silent)) idlest = { seat, silent };
    }
    return (mute ?? idlest?.seat)?.waiter;
  }
}
