import { TIMELINE_PAGE_MAX, type MessageKind, type TimelineEntry, type TimelineMoment } from '../../../app/contract/index.js';
import { type ViewOptions, isMedia } from './timeline-model.js';

/**
 * How the timeline shows a moment the host located: the message is in the
 * window's live list, in an older range to page in (centred on it), or no
 * longer held anywhere.
 */
export type JumpPlan =
  | { kind: 'live'; abs: number; seq: number; messageKind: MessageKind; entryAtMs: number }
  | { kind: 'page'; from: number; abs: number; seq: number; messageKind: MessageKind; entryAtMs: number }
  | { kind: 'gone'; dropped: number; total: number };

/** The plan for the host's answer, given the live list's extent (`from`: absolute position of its first entry). */
export function planJump(m: TimelineMoment, live: { from: number; length: number }): JumpPlan {
  if (m.index === null || m.entry === null) return { kind: 'gone', dropped: m.dropped, total: m.total };
  const at = { abs: m.index, seq: m.entry.seq, messageKind: m.entry.kind, entryAtMs: m.entry.atMs };
  if (m.index >= live.from && m.index < live.from + live.length) return { kind: 'live', ...at };
  // Centred, so that what came just before the moment is on the same page as what came after.
  return { kind: 'page', from: Math.max(m.dropped, m.index - (TIMELINE_PAGE_MAX >> 1)), ...at };
}

/**
 * The first message of the collapsed media run that holds message `abs`
 * (its key in `ViewOptions.expanded`), or null when the message has a row
 * of its own (not media, every media message shown) or is hidden by the
 * filter. The same rule as RowBuilder's: shown media messages in a row form
 * a run, hidden kinds do not break it, and a run begins no earlier than the
 * first message held (`dropped`). At most one pass back over the entries held.
 */
export function runFirst(entries: readonly TimelineEntry[], dropped: number, abs: number, o: Pick<ViewOptions, 'kinds' | 'everyMedia'>): number | null {
  const e = entries[abs - dropped];
  if (!e || o.everyMedia || !isMedia(e.kind) || !o.kinds.has(e.kind)) return null;
  let first = abs;
  for (let i = abs - dropped - 1; i >= 0; i--) {
    const k = entries[i].kind;
    if (!o.kinds.has(k)) continue;
    if (!isMedia(k)) break;
    first = dropped + i;
  }
  return first;
}

/** The timeline's note on a located finding: which message is nearest its moment, or why none can be shown. */
export function jumpText(title: string, at: string, plan: JumpPlan | null, error: string | null, clock: (ms: number) => string): string {
  // What matters first, since a narrow window cuts the line short.
  const what = `“${title}” (${at})`;
  if (!plan) return `Could not find the moment of ${what} in the timeline: ${error ?? 'no answer'}`;
  if (plan.kind === 'gone') {
    return `No longer held: Intake dropped the oldest ${plan.dropped.toLocaleString('en-US')} of this connection's ${plan.total.toLocaleString('en-US')} messages (past its disk bound), ${what} among them`;
  }
  return `Message #${plan.seq} at ${clock(plan.entryAtMs)} is the nearest to ${what}`;
}
