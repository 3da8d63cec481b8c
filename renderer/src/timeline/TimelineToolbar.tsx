import type { MessageKind } from '../../../app/contract/index.js';
import { formatThousands } from '../util/format.js';
import { KINDS, type KindCounts } from './timeline-model.js';

/** The toolbar's inputs. */
export interface ToolbarProps {
  counts: KindCounts;
  kinds: ReadonlySet<MessageKind>;
  toggleKind(kind: MessageKind): void;
  everyMedia: boolean;
  setEveryMedia(on: boolean): void;
  exporting: boolean;
  exportNote: string | null;
  onExport(): void;
  canExport: boolean;
}

/**
 * Filter chips per kind with their counts (every message, whatever the
 * filter), the "every media message" switch, and the JSON export.
 */
export function TimelineToolbar(p: ToolbarProps) {
  return (
    <div className="tl-toolbar" role="toolbar" aria-label="Timeline filters">
      {KINDS.filter((k) => k !== 'other' || p.counts.other > 0).map((k) => (
        <button
          key={k}
          type="button"
          className={`tl-chip tl-k-${k}`}
          data-testid={`timeline-filter-${k}`}
          aria-pressed={p.kinds.has(k)}
          onClick={() => p.toggleKind(k)}
        >
          <span className="tl-chip-name">{k}</span>
          <span className="tl-chip-count">{formatThousands(p.counts[k])}</span>
        </button>
      ))}
      <label className="tl-switch" title="Show every audio and video message instead of collapsed runs">
        <input type="checkbox" data-testid="timeline-every-media" checked={p.everyMedia} onChange={(e) => p.setEveryMedia(e.target.checked)} />
        all media
      </label>
      <span className="tl-spacer" />
      {p.exportNote && (
        <span className="tl-export-note" title={p.exportNote} data-testid="timeline-export-note">
          {p.exportNote}
        </span>
      )}
      <button type="button" className="btn" data-testid="timeline-export" disabled={!p.canExport || p.exporting} onClick={p.onExport}>
        {p.exporting ? 'Exporting…' : 'Export JSON'}
      </button>
    </div>
  );
}
