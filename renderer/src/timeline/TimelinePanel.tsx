import { useMemo, useState } from 'react';
import type { MessageKind } from '../../../app/contract/index.js';
import { useHost } from '../context.js';
import { formatThousands } from '../util/format.js';
import { useShownConnectionId } from '../util/use-shown-connection.js';
import { exportTimeline } from './export-timeline.js';
import { TimelineDetail } from './TimelineDetail.js';
import { TimelineRowView, type RowContext, rowKey } from './TimelineRowView.js';
import { TimelineToolbar } from './TimelineToolbar.js';
import { findRowIndex, findRun } from './row-index.js';
import { KINDS, type Row } from './timeline-model.js';
import { useTimelineView } from './use-timeline-view.js';
import { VirtualList } from './VirtualList.js';
import './timeline.css';

const ALL_KINDS: ReadonlySet<MessageKind> = new Set(KINDS);
const NO_RUNS: ReadonlySet<number> = new Set();

/** What belongs to one connection: opened runs, the selected row, following the tail. */
interface PerConnection {
  id: number | null;
  expanded: ReadonlySet<number>;
  selected: string | null;
  follow: boolean;
}

const fresh = (id: number | null): PerConnection => ({ id, expanded: NO_RUNS, selected: null, follow: true });

/**
 * Every message of the shown connection, both directions, in a virtualised
 * list: filters by kind, media collapsed into runs, a detail pane with the
 * decoded payload, and the JSON export.
 */
export function TimelinePanel() {
  const api = useHost();
  const id = useShownConnectionId();
  const [kinds, setKinds] = useState(ALL_KINDS);
  const [everyMedia, setEveryMedia] = useState(false);
  const [per, setPer] = useState<PerConnection>(() => fresh(null));
  const mine = per.id === id ? per : fresh(id);
  // Functional, so that two updates in one event (pause, then open a run) both land.
  const update = (patch: Partial<PerConnection>): void => setPer((prev) => ({ ...(prev.id === id ? prev : fresh(id)), ...patch }));
  const options = useMemo(() => ({ kinds, everyMedia, expanded: mine.expanded }), [kinds, everyMedia, mine.expanded]);
  const view = useTimelineView(id, options);
  const [exporting, setExporting] = useState(false);
  const [exportNote, setExportNote] = useState<string | null>(null);

  const toggleKind = (k: MessageKind): void => {
    const next = new Set(kinds);
    if (!next.delete(k)) next.add(k);
    setKinds(next);
  };
  const ctx: RowContext = {
    entries: view.entries,
    dropped: view.dropped,
    selected: mine.selected,
    select: (key) => update({ selected: key }),
    toggleRun: (first) => {
      const next = new Set(mine.expanded);
      if (!next.delete(first)) next.add(first);
      // Opening a run below the fold would scroll it away from the pointer: stay put instead.
      update({ expanded: next, follow: false });
    },
  };
  const onExport = async (): Promise<void> => {
    if (id === null) return;
    setExporting(true);
    setExportNote(null);
    try {
      const n = await exportTimeline(api, id);
      setExportNote(`${formatThousands(n)} messages saved`);
    } catch (err) {
      setExportNote(`export failed: ${(err as Error).message ?? String(err)}`);
    } finally {
      setExporting(false);
    }
  };

  let selectedRow: Row | null = null;
  if (mine.selected?.startsWith('entry:')) selectedRow = { type: 'entry', abs: Number(mine.selected.slice(6)) };
  else if (mine.selected?.startsWith('run:')) selectedRow = findRun(view.rows, view.rowCount, Number(mine.selected.slice(4)));
  const total = view.entries.length + view.dropped;

  return (
    <section className="panel timeline-panel" data-testid="timeline-panel" aria-label="Timeline">
      <header className="tl-header">
        <h2 className="tl-title">Timeline</h2>
        <span className="tl-summary">
          {id === null ? 'no connection' : `#${id} · ${formatThousands(total)} messages`}
          {view.dropped > 0 && ` (oldest ${formatThousands(view.dropped)} not kept)`}
        </span>
        <TimelineToolbar
          counts={view.counts}
          kinds={kinds}
          toggleKind={toggleKind}
          everyMedia={everyMedia}
          setEveryMedia={setEveryMedia}
          exporting={exporting}
          exportNote={exportNote}
          onExport={() => void onExport()}
          canExport={id !== null}
        />
      </header>
      <div className="tl-body">
        <div className="tl-main">
          <div className="tl-row tl-columns" role="row" aria-hidden="true">
            <span className="tl-fold" />
            <span className="tl-seq">#</span>
            <span className="tl-time">time</span>
            <span className="tl-dir" />
            <span className="tl-type">type</span>
            <span className="tl-ids" title="chunk stream id / message stream id">cs/sid</span>
            <span className="tl-ts">timestamp</span>
            <span className="tl-len">length</span>
            <span className="tl-text">message</span>
          </div>
          <VirtualList
            key={id ?? 'none'}
            label="Messages"
            rowCount={view.rowCount}
            follow={mine.follow}
            setFollow={(on) => on !== mine.follow && update({ follow: on })}
            active={findRowIndex(view.rows, view.rowCount, mine.selected)}
            setActive={(i) => update({ selected: rowKey(view.rows[i]) })}
            renderRow={(i) => <TimelineRowView key={i} row={view.rows[i]} index={i} ctx={ctx} />}
          />
        </div>
        <TimelineDetail row={selectedRow} entries={view.entries} dropped={view.dropped} />
      </div>
    </section>
  );
}
