import { useIntake } from '../context.js';
import { formatTimeOfDay } from '../util/format.js';
import { selectRefused } from './refused.js';

/**
 * Publishes the host refused (an empty key, a key already live), listed
 * under the streams with why: a publisher that was turned away must show
 * where the user looks for it, not only in the protocol drop-down. A click
 * shows that connection's protocol flow (where the refusal is a failed
 * publish step).
 */
export function RefusedList({ selectedConnectionId }: { selectedConnectionId: number | null }) {
  const refused = useIntake(selectRefused);
  const select = useIntake((s) => s.selectConnection);
  if (refused.length === 0) return null;
  return (
    <>
      <div className="list-divider" role="presentation">Refused</div>
      {refused.map((r) => (
        <div
          key={r.connectionId}
          role="option"
          tabIndex={-1}
          aria-selected={selectedConnectionId === r.connectionId}
          className={`stream-row is-refused ${selectedConnectionId === r.connectionId ? 'is-selected' : ''}`}
          data-testid="refused-item"
          data-connection={r.connectionId}
          onClick={() => select(r.connectionId)}
        >
          <div className="sr-line sr-title">
            <span className="sr-path mono" title={r.path}>{r.path}</span>
            <span className="sr-uptime num">refused {formatTimeOfDay(r.at)}</span>
          </div>
          <div className="sr-line sr-who">
            <span className="mono">{r.remoteAddress}</span> · connection #{r.connectionId}
          </div>
          <div className="sr-line sr-end sr-wrap is-dropped" data-testid="refused-reason" title={r.reason}>
            {r.reason}
          </div>
        </div>
      ))}
    </>
  );
}
