import type { TimelineEntry } from '../../../app/contract/index.js';
import { formatBytes, formatElapsedClock } from '../util/format.js';
import { ARROW, describeEntry } from './row-text.js';
import { type Row, runSummary } from './timeline-model.js';

/** What a row needs besides itself. */
export interface RowContext {
  entries: readonly TimelineEntry[];
  dropped: number;
  selected: string | null;
  select(key: string): void;
  toggleRun(first: number): void;
}

/** The selection key of a row: a run by its first message, an entry by its index. */
export function rowKey(row: Row): string {
  return row.type === 'run' ? `run:${row.first}` : `entry:${row.abs}`;
}

/**
 * One line of the timeline: a message (seq, time, direction, type, csid /
 * stream, timestamp, length, summary) or a collapsed run of media with its
 * toggle. Data attributes are the end-to-end test's handles.
 */
export function TimelineRowView({ row, index, ctx }: { row: Row; index: number; ctx: RowContext }) {
  const key = rowKey(row);
  const selected = ctx.selected === key;
  const cls = `tl-row${selected ? ' tl-selected' : ''}${index % 2 ? ' tl-odd' : ''}`;
  if (row.type === 'run') {
    const first = ctx.entries[row.first - ctx.dropped];
    return (
      <div className={`${cls} tl-run`} role="row" aria-selected={selected} data-testid="timeline-run" data-first={first?.seq} onClick={() => ctx.select(key)}>
        <button
          type="button"
          className="tl-fold"
          aria-expanded={row.expanded}
          aria-label={row.expanded ? 'Collapse run' : 'Expand run'}
          onClick={(e) => {
            e.stopPropagation();
            ctx.toggleRun(row.first);
          }}
        >
          {row.expanded ? '▾' : '▸'}
        </button>
        <span className="tl-seq">{first?.seq ?? ''}</span>
        <span className="tl-time">{formatElapsedClock(row.fromMs)}</span>
        <span className="tl-run-text">{runSummary(row, (ms) => formatElapsedClock(ms, 2), formatBytes)}</span>
      </div>
    );
  }
  const e = ctx.entries[row.abs - ctx.dropped];
  if (!e) return <div className={cls} role="row" />;
  return (
    <div
      className={`${cls} tl-k-${e.kind} tl-${e.direction}${row.inRun ? ' tl-in-run' : ''}`}
      role="row"
      aria-selected={selected}
      data-testid="timeline-row"
      data-kind={e.kind}
      data-direction={e.direction}
      data-seq={e.seq}
      data-name={e.command?.name}
      onClick={() => ctx.select(key)}
    >
      <span className="tl-fold" />
      <span className="tl-seq">{e.seq}</span>
      <span className="tl-time">{formatElapsedClock(e.atMs)}</span>
      <span className="tl-dir" title={e.direction === 'in' ? 'from the client' : 'sent by Intake'}>
        {ARROW[e.direction]}
      </span>
      <span className="tl-type">{e.typeName}</span>
      <span className="tl-ids">
        {e.csid}/{e.streamId}
      </span>
      <span className="tl-ts">{e.timestamp}</span>
      <span className="tl-len">{e.length}</span>
      <span className="tl-text">{describeEntry(e)}</span>
    </div>
  );
}
