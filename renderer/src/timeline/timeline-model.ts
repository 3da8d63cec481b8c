import type { TimelineEntry } from '../../../app/contract/index.js';
import type { MessageKind } from '../../../app/contract/index.js';

/** The kinds the filter chips toggle, in display order ("other" gets a chip only when present). */
export const KINDS = ['control', 'command', 'data', 'audio', 'video', 'other'] as const satisfies readonly MessageKind[];

/** What the user chose to see. */
export interface ViewOptions {
  /** Kinds shown; the rest are counted but not listed. */
  kinds: ReadonlySet<MessageKind>;
  /** Show every media message instead of collapsing them into runs. */
  everyMedia: boolean;
  /** Runs (by absolute index of their first message) opened to show their messages. */
  expanded: ReadonlySet<number>;
}

/** A single message; `abs` counts from the connection's first message (dropped ones included). */
export interface EntryRow {
  type: 'entry';
  abs: number;
  /** Set when the message is inside an opened run (drawn indented). */
  inRun?: boolean;
}

/** Consecutive media messages collapsed into one row: "video ×248, audio ×431, 1.2 MB, 0:00.10–0:08.30". */
export interface RunRow {
  type: 'run';
  first: number;
  last: number;
  video: number;
  audio: number;
  bytes: number;
  fromMs: number;
  toMs: number;
  expanded: boolean;
}

export type Row = EntryRow | RunRow;

/** Messages per kind. */
export type KindCounts = Record<MessageKind, number>;

/** A fresh zeroed count per kind. */
export function emptyCounts(): KindCounts {
  return { control: 0, command: 0, data: 0, audio: 0, video: 0, other: 0 };
}

/** Media messages are the ones collapsed into runs. */
export function isMedia(kind: MessageKind): boolean {
  return kind === 'audio' || kind === 'video';
}

/**
 * Turns a stream of timeline entries into the rows the list draws, one entry
 * at a time. The state is what a left fold over the entries needs (the rows,
 * the counts and the run still open at the tail), so appending a batch costs
 * only the batch: nothing already folded is looked at again.
 */
export class RowBuilder {
  readonly rows: Row[] = [];
  readonly counts: KindCounts = emptyCounts();
  private open: RunRow | null = null;

  constructor(private readonly options: ViewOptions) {}

  /** Fold one entry in; `abs` is its absolute index. */
  add(e: TimelineEntry, abs: number): void {
    this.counts[e.kind]++;
    if (!this.options.kinds.has(e.kind)) return;
    if (!isMedia(e.kind) || this.options.everyMedia) {
      this.rows.push({ type: 'entry', abs });
      this.open = null;
      return;
    }
    let run = this.open;
    if (!run) {
      run = { type: 'run', first: abs, last: abs, video: 0, audio: 0, bytes: 0, fromMs: e.atMs, toMs: e.atMs, expanded: this.options.expanded.has(abs) };
      this.rows.push(run);
      this.open = run;
    }
    run.last = abs;
    run.toMs = e.atMs;
    run.bytes += e.length;
    if (e.kind === 'video') run.video++;
    else run.audio++;
    if (run.expanded) this.rows.push({ type: 'entry', abs, inRun: true });
  }

  /** Forget rows whose messages are all before `abs` (the buffer dropped them). */
  dropBefore(abs: number): void {
    let n = 0;
    while (n < this.rows.length) {
      const r = this.rows[n];
      if ((r.type === 'entry' ? r.abs : r.last) >= abs) break;
      n++;
    }
    if (n > 0) this.rows.splice(0, n);
    const head = this.rows[0];
    if (head?.type === 'run' && head.first < abs) head.first = abs;
    if (this.rows.length === 0) this.open = null;
  }
}

/** All rows of `entries` at once (the pure form of {@link RowBuilder}, for tests and one-off use). */
export function buildRows(entries: readonly TimelineEntry[], options: ViewOptions, firstAbs = 0): { rows: Row[]; counts: KindCounts } {
  const b = new RowBuilder(options);
  entries.forEach((e, i) => b.add(e, firstAbs + i));
  return { rows: b.rows, counts: b.counts };
}

/** The run's one-line description. */
export function runSummary(run: RunRow, clock: (ms: number) => string, bytes: (n: number) => string): string {
  const parts: string[] = [];
  if (run.video > 0) parts.push(`video ×${run.video}`);
  if (run.audio > 0) parts.push(`audio ×${run.audio}`);
  parts.push(bytes(run.bytes), `${clock(run.fromMs)}–${clock(run.toMs)}`);
  return parts.join(', ');
}
