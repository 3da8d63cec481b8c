import type { KeyboardEvent } from 'react';
import { useIntake } from '../context.js';
import { selectEndedPaths, selectHasLiveStreams, selectLivePathsNewestFirst, selectStale, selectStatus } from '../store/selectors.js';
import { EmptyState } from './EmptyState.js';
import { PortError } from './PortError.js';
import { RefusedList } from './RefusedList.js';
import { StreamRow } from './StreamRow.js';

/**
 * Every live publisher, newest first, then the streams that ended in this
 * session (with how they ended), then the publishes that were refused. With nothing live it shows how to publish; with
 * the listener down it shows why and how to pick another port.
 */
export function StreamList() {
  const live = useIntake(selectLivePathsNewestFirst);
  const ended = useIntake(selectEndedPaths);
  const hasLive = useIntake(selectHasLiveStreams);
  const listenerDown = useIntake((s) => selectStatus(s)?.state === 'error');
  const stale = useIntake(selectStale);
  const shownConnection = useIntake((s) => s.selectedConnectionId);

  /** Arrow keys move along every row in the order shown (live, ended, refused), selecting as they go. */
  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const rows = [...e.currentTarget.querySelectorAll<HTMLElement>('[role="option"]')];
    const focused = rows.indexOf(document.activeElement as HTMLElement);
    const cur = focused >= 0 ? focused : rows.findIndex((r) => r.getAttribute('aria-selected') === 'true');
    const next = rows[Math.min(rows.length - 1, Math.max(0, cur + (e.key === 'ArrowDown' ? 1 : -1)))];
    if (!next) return;
    next.click();
    next.focus();
  };

  return (
    <section className="panel streams" aria-label="Streams">
      <header className="panel-head">
        <h2>Streams</h2>
        <span className="panel-sub num" data-testid="live-count" data-stale={stale ? 'true' : undefined}>
          {stale ? `${live.length} live when last known` : `${live.length} live`}
        </span>
      </header>
      <div className="panel-body scroll">
        {listenerDown ? <PortError /> : null}
        <div role="listbox" aria-label="Streams" className="stream-list" onKeyDown={onKey}>
          {live.map((p) => (
            <StreamRow key={p} path={p} />
          ))}
          {ended.length > 0 ? <div className="list-divider" role="presentation">Ended</div> : null}
          {ended.map((p) => (
            <StreamRow key={`ended:${p}`} path={p} />
          ))}
          <RefusedList selectedConnectionId={shownConnection} />
        </div>
        {/* Below the rows: a stream that just ended (or was refused) is what the user looks for first; how to publish follows. */}
        {!listenerDown && !hasLive ? <EmptyState /> : null}
      </div>
    </section>
  );
}
