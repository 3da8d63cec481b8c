import { useMemo, useState } from 'react';
import type { TimelinePage } from '../../../app/contract/index.js';
import { useIntake } from '../context.js';
import { selectTimeline } from '../store/selectors.js';
import type { ViewOptions } from './timeline-model.js';
import { TimelineView, type ViewSnapshot } from './timeline-view.js';

/**
 * The rows of one connection's timeline under `options`, re-derived each
 * time the store bumps that connection's timeline version. The entries
 * themselves are read from the store's timeline buffer, never copied into React state.
 * `options` must keep its identity while unchanged (a new object restarts
 * the fold).
 */
export function useTimelineView(connectionId: number | null, options: ViewOptions, page: TimelinePage | null = null): ViewSnapshot & { version: number } {
  const version = useIntake((s) => (connectionId === null ? 0 : (s.timelineVersion[connectionId] ?? 0)));
  const timeline = useIntake(selectTimeline);
  // One view per connection: switching connections starts a fresh fold.
  const [views] = useState(() => new Map<number, TimelineView>());
  return useMemo(() => {
    const id = connectionId ?? -1;
    let view = views.get(id);
    if (!view) {
      views.clear();
      view = new TimelineView();
      views.set(id, view);
    }
    // An older range paged in from the host replaces the live list while it is shown.
    const entries = connectionId === null ? [] : page ? page.entries : timeline.entries(connectionId);
    const dropped = connectionId === null ? 0 : page ? page.from : timeline.dropped(connectionId);
    const snap = view.sync(entries, dropped, options);
    // The chips count every message of the connection, not only the ones this window holds.
    const totals = connectionId === null ? null : page?.counts ?? timeline.counts(connectionId);
    return { ...snap, counts: totals ? { ...totals } : snap.counts, version };
  }, [views, timeline, connectionId, options, version, page]);
}
