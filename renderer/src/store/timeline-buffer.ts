import { type MessageKind, TIMELINE_UI_CAP, type TimelineEntry, type TimelinePage } from '../../../app/contract/index.js';

/** Messages per kind. */
export type KindTotals = Record<MessageKind, number>;

const zero = (): KindTotals => ({ control: 0, command: 0, data: 0, audio: 0, video: 0, other: 0 });

/** Entries dropped at once past the cap: splicing one off the front per message would cost a copy of the list each time. */
const DROP_BLOCK = 1_000;

/**
 * The newest timeline entries of each connection, outside the reactive
 * store: batches come ten times a second, and copying a list on each would
 * cost more than drawing it. The store keeps only a version number per
 * connection; the virtualised list reads entries here.
 *
 * Bounded: at most TIMELINE_UI_CAP (+ one drop block) entries per
 * connection, the newest. Why: 20 streams send ~1,500 messages a second, and
 * keeping them all made the page grow ~24 MB a minute. The host keeps the
 * whole timeline; the panel pages older ranges in from it, and `dropped`
 * says how many are not here (positions count from the connection's first
 * message).
 */
export class TimelineBuffer {
  private readonly byConnection = new Map<number, TimelineEntry[]>();
  private readonly droppedBy = new Map<number, number>();
  private readonly hostDroppedBy = new Map<number, number>();
  /** Per connection, messages of each kind over all it sent (not only those held): the filter chips' figures. */
  private readonly countsBy = new Map<number, KindTotals>();

  /** Append entries (any connections, in order). Returns the connections that changed. */
  append(entries: readonly TimelineEntry[]): Set<number> {
    const changed = new Set<number>();
    for (const e of entries) {
      let list = this.byConnection.get(e.connectionId);
      if (!list) {
        this.byConnection.set(e.connectionId, (list = []));
        // A connection first seen mid-stream (after a reload) starts at its entry's position.
        this.droppedBy.set(e.connectionId, e.seq);
      }
      // After a backfill (replace), a batch may repeat entries the copy already had.
      if (list.length > 0 && e.seq <= list[list.length - 1].seq) continue;
      list.push(e);
      this.countOf(e.connectionId)[e.kind]++;
      changed.add(e.connectionId);
    }
    for (const id of changed) {
      const list = this.byConnection.get(id)!;
      if (list.length > TIMELINE_UI_CAP + DROP_BLOCK) {
        const over = list.length - TIMELINE_UI_CAP;
        list.splice(0, over);
        this.droppedBy.set(id, (this.droppedBy.get(id) ?? 0) + over);
      }
    }
    return changed;
  }

  /** Replace a connection's entries with a range from the host (plus anything newer the caller kept), starting at `page.from`. */
  replace(connectionId: number, page: Pick<TimelinePage, 'from' | 'dropped'> & Partial<Pick<TimelinePage, 'counts' | 'total'>>, entries: TimelineEntry[]): void {
    const over = Math.max(0, entries.length - TIMELINE_UI_CAP);
    // The host's totals, plus what arrived here past the range's end; without them, what the range holds.
    const counts = page.counts ? { ...page.counts } : zero();
    for (const e of entries) if (!page.counts || e.seq >= (page.total ?? 0)) counts[e.kind]++;
    this.countsBy.set(connectionId, counts);
    this.byConnection.set(connectionId, over > 0 ? entries.slice(over) : entries);
    this.droppedBy.set(connectionId, page.from + over);
    this.hostDroppedBy.set(connectionId, page.dropped);
  }

  entries(connectionId: number): readonly TimelineEntry[] {
    return this.byConnection.get(connectionId) ?? EMPTY;
  }

  /** Entries before the first one held here (the absolute position of `entries(id)[0]`). */
  dropped(connectionId: number): number {
    return this.droppedBy.get(connectionId) ?? 0;
  }

  /** Of those, the ones the host no longer holds either (past its disk bound), as its last answer said. */
  hostDropped(connectionId: number): number {
    return this.hostDroppedBy.get(connectionId) ?? 0;
  }

  /** Messages of each kind the connection sent, dropped or held. */
  counts(connectionId: number): Readonly<KindTotals> {
    return this.countsBy.get(connectionId) ?? ZERO;
  }

  private countOf(connectionId: number): KindTotals {
    let c = this.countsBy.get(connectionId);
    if (!c) this.countsBy.set(connectionId, (c = zero()));
    return c;
  }

  /** Entries held here, over every connection (what bounds this buffer's memory). */
  held(): number {
    let n = 0;
    for (const list of this.byConnection.values()) n += list.length;
    return n;
  }

  forget(connectionId: number): void {
    this.byConnection.delete(connectionId);
    this.droppedBy.delete(connectionId);
    this.hostDroppedBy.delete(connectionId);
    this.countsBy.delete(connectionId);
  }

  clear(): void {
    this.byConnection.clear();
    this.droppedBy.clear();
    this.hostDroppedBy.clear();
    this.countsBy.clear();
  }
}

const ZERO: Readonly<KindTotals> = Object.freeze(zero());

const EMPTY: readonly TimelineEntry[] = Object.freeze([]);
