import { useState } from 'react';
import { ProtocolPanel } from '../protocol/ProtocolPanel.js';
import { HealthPanel, useHealthVerdict } from './HealthPanel.js';

/**
 * The bottom-left area: the protocol flow or the selected stream's health,
 * one at a time (the timeline beside them stays in view). The Health tab
 * carries the verdict, so a stream with errors is seen without opening it.
 */
export function ProtocolHealthTabs() {
  const [tab, setTab] = useState<'protocol' | 'health'>('protocol');
  const v = useHealthVerdict();
  const badge = v === null ? null : v.verdict === 'good' ? 'good' : v.errors ? `${v.errors} error${v.errors > 1 ? 's' : ''}` : `${v.warnings} warning${v.warnings > 1 ? 's' : ''}`;
  return (
    <div className="tabbed" data-tab={tab}>
      <div className="tab-bar" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'protocol'} onClick={() => setTab('protocol')}>
          Protocol flow
        </button>
        <button type="button" role="tab" aria-selected={tab === 'health'} onClick={() => setTab('health')} data-testid="health-tab">
          Health{badge ? <span className={`tab-badge verdict-${v!.verdict}`}>{badge}</span> : null}
        </button>
      </div>
      <div className="tab-body">{tab === 'protocol' ? <ProtocolPanel /> : <HealthPanel />}</div>
    </div>
  );
}
