import { TIMELINE_PAGE_MAX, type TimelinePage } from '../../../app/contract/index.js';
import { formatThousands } from '../util/format.js';

/** What the range bar needs: what the list shows now, and how to move. */
export interface RangeProps {
  /** Messages of the connection, dropped ones included. */
  total: number;
  /** Absolute position of the first message the live list holds (the UI keeps only the newest). */
  liveFrom: number;
  /** The older range shown instead of the live list, if any (null while it loads). */
  page: TimelinePage | null;
  paging: boolean;
  error: string | null;
  /** Messages the host itself no longer holds (past its bound). */
  hostDropped: number;
  show(from: number | null): void;
}

/**
 * Above the list when it does not show everything: the window keeps only
 * the newest messages of a connection, and the host keeps them all, so the
 * older ones are paged in from it ("Earlier", "Later", "Back to live"), and
 * anything the host itself dropped is said so.
 */
export function TimelineRange(p: RangeProps) {
  if (!p.paging && p.liveFrom === 0) return null;
  const n = (x: number): string => formatThousands(x);
  const oldest = p.hostDropped;
  let text: string;
  let from: number;
  if (p.paging) {
    from = p.page?.from ?? 0;
    const len = p.page?.entries.length ?? 0;
    text = p.error ? `could not load older messages: ${p.error}` : p.page ? `messages ${n(from + 1)}–${n(from + len)} of ${n(p.total)}` : 'loading older messages…';
  } else {
    from = p.liveFrom;
    text = `newest ${n(p.total - p.liveFrom)} of ${n(p.total)} messages`;
  }
  const earlier = Math.max(oldest, from - TIMELINE_PAGE_MAX);
  const later = from + TIMELINE_PAGE_MAX;
  return (
    <div className="tl-range" data-testid="timeline-range" role="group" aria-label="Older messages">
      <span className="tl-range-text">
        {text}
        {oldest > 0 && ` · the oldest ${n(oldest)} were dropped by Intake (past its disk bound)`}
      </span>
      <button type="button" className="btn tl-range-btn" data-testid="timeline-earlier" disabled={from <= oldest} onClick={() => p.show(earlier)}>
        Earlier
      </button>
      {p.paging && (
        <>
          <button type="button" className="btn tl-range-btn" data-testid="timeline-later" onClick={() => p.show(later >= p.liveFrom ? null : later)}>
            Later
          </button>
          <button type="button" className="btn tl-range-btn" data-testid="timeline-back-live" onClick={() => p.show(null)}>
            Back to live
          </button>
        </>
      )}
    </div>
  );
}
