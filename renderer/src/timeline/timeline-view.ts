import type { TimelineEntry } from '../../../app/contract/index.js';
import { type KindCounts, type Row, RowBuilder, type ViewOptions } from './timeline-model.js';

/** What the list draws, as of one timeline version. */
export interface ViewSnapshot {
  /** The rows, appended in place by later syncs: read `rowCount` of this snapshot, not `rows.length`. */
  rows: readonly Row[];
  rowCount: number;
  /** Messages per kind, whatever the filter (dropped ones included). */
  counts: KindCounts;
  entries: readonly TimelineEntry[];
  /** Absolute index of `entries[0]`. */
  dropped: number;
  /** Entries folded so far by this view, over its whole life: tests read it to prove appends are incremental. */
  scanned: number;
}

/**
 * Keeps one connection's rows in step with the shared TimelineBuffer, which
 * appends to the same array in place. Each sync folds only the entries past
 * the last one it saw; it starts over only when the options change or the
 * buffer replaced the array (snapshot reload, `replace`). Why: a one-hour
 * stream is ~300 000 entries and batches come ten times a second; a rescan
 * per batch would cost more than everything else the renderer does.
 */
export class TimelineView {
  private builder: RowBuilder | null = null;
  private options: ViewOptions | null = null;
  private source: readonly TimelineEntry[] | null = null;
  /** Absolute index of the next entry to fold. */
  private end = 0;
  private dropped = 0;
  private scanned = 0;

  /** Bring the rows up to date with `entries` (whose first element has absolute index `dropped`). */
  sync(entries: readonly TimelineEntry[], dropped: number, options: ViewOptions): ViewSnapshot {
    const restart =
      this.builder === null || options !== this.options || entries !== this.source || dropped + entries.length < this.end || dropped > this.end;
    if (restart) {
      this.builder = new RowBuilder(options);
      this.options = options;
      this.source = entries;
      this.end = dropped;
    } else if (dropped > this.dropped) {
      this.builder!.dropBefore(dropped);
    }
    this.dropped = dropped;
    const b = this.builder!;
    const stop = dropped + entries.length;
    for (let abs = this.end; abs < stop; abs++) b.add(entries[abs - dropped], abs);
    this.scanned += stop - this.end;
    this.end = stop;
    return { rows: b.rows, rowCount: b.rows.length, counts: { ...b.counts }, entries, dropped, scanned: this.scanned };
  }
}
