import { useMemo, useState } from 'react';
import type { MessageKind } from '../../../app/contract/index.js';
import { useHost, useIntake } from '../context.js';
import { formatThousands } from '../util/format.js';
import { useShownConnectionId } from '../util/use-shown-connection.js';
import { exportTimeline } from './export-timeline.js';
import { TimelineDetail } from './TimelineDetail.js';
import { TimelineRowView, type RowContext, rowKey } from './TimelineRowView.js';
import { TimelineToolbar } from './TimelineToolbar.js';
import { findRowIndex, findRun } from './row-index.js';
import { KINDS, type Row } from './timeline-model.js';
import { useTimelineView } from './use-timeline-view.js';
import { type PageRequest, useTimelinePage } from './use-timeline-page.js';
import { TimelineRange } from './TimelineRange.js';
import { selectTimeline } from '../store/selectors.js';
import { VirtualList } from './VirtualList.js';
import { jumpText, runFirst } from './timeline-jump.js';
import { type FindingJump, useFindingJump } from './use-finding-jump.js';
import { formatElapsedClock } from '../util/format.js';
import type { IntakeState } from '../store/store.js';
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

const selectFocus = (s: IntakeState) => s.healthFocus;

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
  const [pageReq, setPageReq] = useState<PageRequest | null>(null);
  const paging = pageReq !== null && pageReq.connectionId === id;
  const { page, error: pageError } = useTimelinePage(paging ? pageReq : null);
  const view = useTimelineView(id, options, paging ? page : null);
  const timeline = useIntake(selectTimeline);
  const total = useIntake((s) => (id === null ? 0 : (s.connections[id]?.messageCount ?? 0)));
  const [exporting, setExporting] = useState(false);
  // The note belongs to the connection it was made for: another connection shown does not show it.
  const [note, setNote] = useState<{ id: number; text: string } | null>(null);
  const exportNote = note && note.id === id ? note.text : null;
  // A finding clicked in the Health panel: its nearest message selected, paged in and its run opened as need be.
  const focus = useIntake(selectFocus);
  const [jumped, setJumped] = useState<{ focus: FindingJump['focus']; text: string; n: number } | null>(null);
  useFindingJump((j) => {
    const f = j.focus;
    setJumped((prev) => ({ focus: f, text: jumpText(f.title ?? f.findingId, f.at ?? '', j.plan, j.error, formatElapsedClock), n: (prev?.n ?? 0) + 1 }));
    const p = j.plan;
    if (!p || p.kind === 'gone' || j.connectionId !== id) return;
    const shown = kinds.has(p.messageKind) ? kinds : new Set([...kinds, p.messageKind]);
    if (shown !== kinds) setKinds(shown);
    const page = p.kind === 'page' ? j.page : null;
    const run = page ? runFirst(page.entries, page.from, p.abs, { kinds: shown, everyMedia }) : runFirst(timeline.entries(id), timeline.dropped(id), p.abs, { kinds: shown, everyMedia });
    const opened = page ? NO_RUNS : mine.expanded;
    setPageReq(page ? { connectionId: id, from: page.from, page } : null);
    update({ selected: `entry:${p.abs}`, follow: false, expanded: run === null ? opened : new Set([...opened, run]) });
  });
  const jumpNote = focus && focus.moment === null ? `${focus.title ?? focus.findingId}: its connection is no longer listed, so its moment cannot be shown` : jumped && jumped.focus === focus && focus.moment?.connectionId === id ? jumped.text : null;

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
    setNote(null);
    try {
      const r = await exportTimeline(api, id);
      setNote({ id, text: `${formatThousands(r.saved)} messages saved${r.dropped > 0 ? ` (the oldest ${formatThousands(r.dropped)} were dropped by Intake)` : ''}` });
    } catch (err) {
      setNote({ id, text: `export failed: ${(err as Error).message ?? String(err)}` });
    } finally {
      setExporting(false);
    }
  };

  let selectedRow: Row | null = null;
  if (mine.selected?.startsWith('entry:')) selectedRow = { type: 'entry', abs: Number(mine.selected.slice(6)) };
  else if (mine.selected?.startsWith('run:')) selectedRow = findRun(view.rows, view.rowCount, Number(mine.selected.slice(4)));
  const liveFrom = id === null ? 0 : timeline.dropped(id);
  const hostDropped = page?.dropped ?? (id === null ? 0 : timeline.hostDropped(id));

  return (
    <section className="panel timeline-panel" data-testid="timeline-panel" aria-label="Timeline">
      <header className="tl-header">
        <h2 className="tl-title">Timeline</h2>
        <span className="tl-summary">
          {id === null ? 'no connection' : `#${id} · ${formatThousands(Math.max(total, view.entries.length + view.dropped))} messages`}
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
          <TimelineRange
            total={Math.max(total, liveFrom + (paging ? 0 : view.entries.length))}
            liveFrom={liveFrom}
            page={page}
            paging={paging}
            error={pageError}
            hostDropped={hostDropped}
            show={(from) => {
              setPageReq(from === null || id === null ? null : { connectionId: id, from });
              update({ selected: null, expanded: NO_RUNS, follow: from === null });
            }}
          />
          {jumpNote !== null && (
            <p className="tl-jump" role="status" data-testid="timeline-jump-note" title={jumpNote}>
              {jumpNote}
            </p>
          )}
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
            key={`${id ?? 'none'}:${paging ? (pageReq?.from ?? 0) : 'live'}`}
            label="Messages"
            rowCount={view.rowCount}
            follow={mine.follow}
            setFollow={(on) => on !== mine.follow && update({ follow: on })}
            active={findRowIndex(view.rows, view.rowCount, mine.selected)}
            setActive={(i) => update({ selected: rowKey(view.rows[i]) })}
            centerOn={jumped?.n}
            renderRow={(i) => <TimelineRowView key={i} row={view.rows[i]} index={i} ctx={ctx} />}
          />
        </div>
        <TimelineDetail row={selectedRow} entries={view.entries} dropped={view.dropped} />
      </div>
    </section>
  );
}
