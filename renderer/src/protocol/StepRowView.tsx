import { JsonView } from '../util/JsonView.js';
import { formatElapsed } from '../util/format.js';
import type { StepRow } from './step-model.js';

const STATE_TEXT = { waiting: 'waiting', received: 'received', answered: 'answered', failed: 'failed' } as const;

/**
 * One protocol step: state, label, time since accept, and our reply; a click
 * opens its decoded payload underneath. The data attributes are what the
 * end-to-end test reads, so they carry the engine's own state unchanged.
 */
export function StepRowView({ row, open, onToggle }: { row: StepRow; open: boolean; onToggle(id: string): void }) {
  const hasDetail = row.detail !== undefined && Object.keys(row.detail).length > 0;
  const status = row.skipped ? 'skipped' : row.state;
  return (
    <li
      className={`pf-step pf-${status}${row.unknown ? ' pf-unknown' : ''}${open ? ' pf-open' : ''}`}
      data-testid="protocol-step"
      data-step={row.id}
      data-state={row.state}
    >
      <button
        type="button"
        className="pf-head"
        onClick={() => onToggle(row.id)}
        disabled={!hasDetail}
        aria-expanded={hasDetail ? open : undefined}
        title={hasDetail ? 'Show the decoded payload' : undefined}
      >
        <span className="pf-dot" aria-hidden="true" />
        <span className="pf-label" title={row.unknown ? `${row.label}: a command Intake does not know` : row.label}>
          {row.unknown && <span className="pf-tag pf-tag-err">?</span>}
          {row.label}
        </span>
        <span className="pf-state">{row.skipped || (row.state === 'waiting' && row.note) ? row.note : STATE_TEXT[row.state]}</span>
        <span className="pf-time">{row.atMs !== undefined && row.state !== 'waiting' ? formatElapsed(row.atMs) : ''}</span>
        <span className="pf-reply" title={row.reply}>
          {row.reply ?? ''}
        </span>
      </button>
      {open && hasDetail && (
        <div className="pf-detail" data-testid="protocol-step-detail">
          <JsonView value={row.detail} label={`${row.label} payload`} />
        </div>
      )}
    </li>
  );
}
