import { useState } from 'react';
import { useIntake } from '../context.js';
import { formatTimeOfDay } from '../util/format.js';
import { selectBrokenCloses, selectProblems } from '../store/selectors.js';
import { LogDrawer } from './LogDrawer.js';

/**
 * One line at the bottom: how many warnings and errors, and the latest. It
 * opens the log drawer over the panels (an overlay, so nothing reflows).
 */
export function LogStrip() {
  const problems = useIntake(selectProblems);
  const closes = useIntake(selectBrokenCloses);
  const [open, setOpen] = useState(false);
  const warnings = problems.filter((p) => p.level === 'warn').length;
  const errors = problems.length - warnings;
  const latest = problems[problems.length - 1];
  return (
    <footer className="log-strip">
      <button type="button" className="log-toggle" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="log-toggle">
        <span className="log-label">Log</span>
        <span className={`num ${errors > 0 ? 'err' : 'muted'}`}>{errors} errors</span>
        <span className={`num ${warnings > 0 ? 'warn' : 'muted'}`}>{warnings} warnings</span>
        <span className={`num ${closes.length > 0 ? 'err' : 'muted'}`}>{closes.length} rule breaks</span>
        <span className="log-latest" data-testid="log-latest">
          {latest ? (
            <>
              <span className="muted num">{formatTimeOfDay(latest.at)}</span> {latest.connectionId !== undefined ? <span className="muted">#{latest.connectionId}</span> : null} {latest.message}
            </>
          ) : (
            <span className="muted">No warnings</span>
          )}
        </span>
        <span className="log-caret" aria-hidden="true">{open ? '▾' : '▴'}</span>
      </button>
      {open ? <LogDrawer onClose={() => setOpen(false)} /> : null}
    </footer>
  );
}
