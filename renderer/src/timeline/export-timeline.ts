import { type IntakeApi, TIMELINE_PAGE_MAX, type TimelineEntry } from '../../../app/contract/index.js';
import { downloadParts } from '../util/download.js';

/** The download's file name. */
export function timelineFileName(connectionId: number): string {
  return `intake-connection-${connectionId}-timeline.json`;
}

/** What the export says about itself besides the entries. */
export interface ExportHead {
  connectionId: number;
  /** Messages the host counted for the connection, dropped ones included. */
  total: number;
  /** The oldest messages the host no longer held (past its bound): not in the file. */
  dropped: number;
}

/**
 * The export's text: an object that says how many messages there were and
 * how many of the oldest were dropped, then `entries`, one per line. Why not
 * `JSON.stringify(entries, null, 2)`: an hour of stream is ~300 000 entries,
 * and indenting every field would make the file several times larger while
 * one line per message still reads (and greps, and diffs) well.
 */
export function timelineJson(head: ExportHead, entries: readonly TimelineEntry[]): string {
  return [exportOpening(head), ...entries.map((e, i) => `${i > 0 ? ',\n' : ''}${JSON.stringify(e)}`), exportClosing].join('');
}

function exportOpening(head: ExportHead): string {
  return `{"connectionId":${head.connectionId},"total":${head.total},"dropped":${head.dropped},"entries":[\n`;
}

const exportClosing = '\n]}\n';

/**
 * Export a connection's whole timeline from the host's copy (the UI holds
 * only the newest), range by range: each range's lines become one part of
 * the file's Blob, so no answer and no string is the size of the whole.
 * Saved as `intake-connection-<id>-timeline.json`. Resolves with the entry
 * count and how many of the oldest the host had dropped.
 */
export async function exportTimeline(api: IntakeApi, connectionId: number, doc: Document = document): Promise<{ saved: number; dropped: number }> {
  const parts: string[] = [];
  let from = 0;
  let saved = 0;
  let dropped = 0;
  let total: number | undefined;
  for (;;) {
    const page = await api.request('timeline', { connectionId, from, count: TIMELINE_PAGE_MAX });
    // A range that starts later than asked skipped what the host had dropped (meanwhile, too): counted, never hidden.
    dropped += Math.max(0, page.from - from);
    total = page.total;
    if (page.entries.length === 0) break;
    parts.push(page.entries.map((e, i) => `${saved + i > 0 ? ',\n' : ''}${JSON.stringify(e)}`).join(''));
    saved += page.entries.length;
    from = page.from + page.entries.length;
    if (from >= page.total) break;
  }
  downloadParts([exportOpening({ connectionId, total: total ?? 0, dropped }), ...parts, exportClosing], timelineFileName(connectionId), 'application/json', doc);
  return { saved, dropped };
}
