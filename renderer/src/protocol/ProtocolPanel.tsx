import { useMemo, useState } from 'react';
import { useIntake } from '../context.js';
import type { IntakeState } from '../store/store.js';
import { useShownConnection, useShownConnectionId } from '../util/use-shown-connection.js';
import { ConnectionPicker } from './ConnectionPicker.js';
import { StepRowView } from './StepRowView.js';
import { stepRows } from './step-model.js';
import './protocol.css';

/**
 * The protocol flow: every step of DESIGN.md for the shown connection, live
 * as the batches arrive, with unknown commands and the close in place. A
 * click on a step shows its decoded payload.
 */
export function ProtocolPanel() {
  const id = useShownConnectionId();
  const conn = useShownConnection();
  const several = useIntake(hasSeveral);
  const rows = useMemo(() => stepRows(conn), [conn]);
  // Open payloads per connection, so switching connections does not carry them over.
  const [open, setOpen] = useState<{ id: number | null; steps: ReadonlySet<string> }>({ id: null, steps: new Set() });
  const openSteps = open.id === id ? open.steps : EMPTY;
  const toggle = (step: string): void => {
    const next = new Set(openSteps);
    if (!next.delete(step)) next.add(step);
    setOpen({ id, steps: next });
  };
  const done = rows.filter((r) => r.state === 'answered' || r.state === 'received').length;

  return (
    <section className="panel protocol-panel" data-testid="protocol-panel" aria-label="Protocol flow">
      <header className="pf-header">
        <h2 className="pf-title">Protocol</h2>
        {conn && (
          <span className="pf-summary">
            {!several && `#${conn.info.connectionId} ${conn.info.remoteAddress}:${conn.info.remotePort} · `}
            {done}/{rows.length} steps
          </span>
        )}
        <ConnectionPicker shown={id} />
      </header>
      {conn ? (
        <ol className="pf-steps">
          <li className="pf-columns" aria-hidden="true">
            <span />
            <span>step</span>
            <span>state</span>
            <span className="pf-time" title="since the TCP accept">time</span>
            <span>reply</span>
          </li>
          {rows.map((r) => (
            <StepRowView key={r.id} row={r} open={openSteps.has(r.id)} onToggle={toggle} />
          ))}
        </ol>
      ) : (
        <p className="pf-empty">No connection yet. The steps appear here as soon as a publisher connects.</p>
      )}
    </section>
  );
}

const EMPTY: ReadonlySet<string> = new Set();
const hasSeveral = (s: IntakeState): boolean => s.connectionIds.length > 1;
