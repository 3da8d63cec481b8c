import { useEffect, useState } from 'react';
import { copyText } from './clipboard.js';

/** How long "Copied" stays on the button. */
const FEEDBACK_MS = 1500;

/**
 * A button that copies `text` and says so for a moment. Its label keeps one
 * width ("Copy" / "Copied" / "Failed" share a min-width) so nothing shifts.
 */
export function CopyButton({ text, testId, label = 'Copy' }: { text: string; testId?: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'done' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), FEEDBACK_MS);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <button
      type="button"
      className={`btn btn-copy ${state === 'done' ? 'is-done' : ''}`}
      data-testid={testId}
      aria-label={`${label}: ${text}`}
      onClick={() => {
        void copyText(text).then((ok) => setState(ok ? 'done' : 'failed'));
      }}
    >
      {state === 'done' ? 'Copied' : state === 'failed' ? 'Failed' : label}
    </button>
  );
}
