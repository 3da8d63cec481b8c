import { TIMELINE_CAP, type TimelineEntry } from '../../../app/contract/index.js';

/**
 * The timeline lives outside the reactive store: a one-hour stream is a few
 * hundred thousand entries, and copying an array of that size on every
 * 100 ms batch would cost more than drawing it. The store keeps only a
 * version number per connection; the virtualised list reads entries here.
 */
export class TimelineBuffer {
  private readonly byConnection = new Map<number, TimelineEntry[]>();
  private readonly droppedBy = new Map<number, number>();

  /** Append entries (any connections, in order). Returns the connections that changed. */
  append(entries: readonly TimelineEntry[]): Set<number> {
    const changed = new Set<number>();
    for (const e of entries) {
      let list = this.byConnection.get(e.connectionId);
      if (!list) this.byConnection.set(e.connectionId, (list = []));
      // After a backfill (replace), a batch may repeat entries the full copy already had.
      if (list.length > 0 && e.seq <= list[list.length - 1].seq) continue;
      list.push(e);
      changed.add(e.connectionId);
    }
    for (const id of changed) {
      const list = this.byConnection.get(id)!;
      if (list.length > TIMELINE_CAP) {
        const over = list.length - TIMELINE_CAP;
        list.splice(0, over);
        this.droppedBy.set(id, (this.droppedBy.get(id) ?? 0) + over);
      }
    }
    return changed;
  }

  /** Replace a connection's entries (e.g. from the host's full copy). */
  replace(connectionId: number, entries: TimelineEntry[]): void {
    this.byConnection.set(connectionId, entries.slice(-TIMELINE_CAP));
    this.droppedBy.set(connectionId, Math.max(0, entries.length - TIMELINE_CAP));
  }

  entries(connectionId: number): readonly TimelineEntry[] {
    return this.byConnection.get(connectionId) ?? EMPTY;
  }

  /** Entries dropped from the front of this connection's list. */
  dropped(connectionId: number): number {
    return this.droppedBy.get(connectionId) ?? 0;
  }

  forget(connectionId: number): void {
    this.byConnection.delete(connectionId);
    this.droppedBy.delete(connectionId);
  }

  clear(): void {
    this.byConnection.clear();
    this.droppedBy.clear();
  }
}

const EMPTY: readonly TimelineEntry[] = Object.freeze([]);
