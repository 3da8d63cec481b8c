import { useIntake } from '../context.js';
import { formatBytes, formatTimeOfDay } from '../util/format.js';
import { selectBrokenCloses } from '../store/selectors.js';

/**
 * The whole log (newest first) and every connection that was closed for
 * breaking a rule: which rule (the error code), what happened, who closed.
 */
export function LogDrawer({ onClose }: { onClose: () => void }) {
  const logs = useIntake((s) => s.logs);
  const closes = useIntake(selectBrokenCloses);
  return (
    <div className="log-drawer" role="dialog" aria-label="Log">
      <div className="log-drawer-head">
        <h2>Log</h2>
        <span className="spacer" />
        <button type="button" className="btn btn-small" onClick={onClose}>Close</button>
      </div>
      <div className="log-drawer-body">
        <div className="log-col scroll">
          <h3>Connections closed for a broken rule</h3>
          {closes.length === 0 ? <p className="muted small">None.</p> : null}
          {closes.map((c) => (
            <div className="close-item" key={c.connectionId} data-testid="close-error">
              <span className="mono">#{c.connectionId}</span> <span className="err mono">{c.error?.code}</span> {c.error?.message}
              <div className="muted small num">
                closed by {c.by} at {(c.atMs / 1000).toFixed(1)} s · in {formatBytes(c.bytesIn)} · out {formatBytes(c.bytesOut)} · {c.reason}
              </div>
            </div>
          ))}
        </div>
        <div className="log-col scroll">
          <h3>Messages</h3>
          {logs.length === 0 ? <p className="muted small">Nothing logged yet.</p> : null}
          {logs
            .slice()
            .reverse()
            .map((l, i) => (
              <div className={`log-line level-${l.level}`} key={`${l.at}-${i}`}>
                <span className="num muted">{formatTimeOfDay(l.at)}</span> <span className="log-level">{l.level}</span>{' '}
                {l.connectionId !== undefined ? <span className="muted mono">#{l.connectionId}</span> : null} {l.message}
              </div>
            ))}
        </div>
      </div>
    </div>
  );
}
