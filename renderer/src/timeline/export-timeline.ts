import type { TimelineEntry } from '../../../app/contract/index.js';
import type { IntakeApi } from '../../../app/contract/index.js';

/** The download's file name. */
export function timelineFileName(connectionId: number): string {
  return `intake-connection-${connectionId}-timeline.json`;
}

/**
 * The export's text: a JSON array with one entry per line. Why not
 * `JSON.stringify(entries, null, 2)`: an hour of stream is ~300 000 entries,
 * and indenting every field would make the file several times larger while
 * one line per message still reads (and greps, and diffs) well.
 */
export function timelineJson(entries: readonly TimelineEntry[]): string {
  if (entries.length === 0) return '[]\n';
  return `[\n${entries.map((e) => JSON.stringify(e)).join(',\n')}\n]\n`;
}

/** Hand `text` to the browser as a file download (a Blob behind a transient `<a download>`). */
export function downloadText(text: string, fileName: string, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  doc.body.appendChild(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers; a moment later is safe.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Export a connection's whole timeline: the host's full copy (the UI's own
 * buffer may have dropped the oldest entries), saved as
 * `intake-connection-<id>-timeline.json`. Resolves with the entry count.
 */
export async function exportTimeline(api: IntakeApi, connectionId: number, doc: Document = document): Promise<number> {
  const entries = await api.request('timeline', { connectionId });
  downloadText(timelineJson(entries), timelineFileName(connectionId), doc);
  return entries.length;
}
