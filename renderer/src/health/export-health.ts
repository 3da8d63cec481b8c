import { type PresetId, type StreamStats, reportJson, reportMarkdown } from '../../../app/contract/index.js';

/** The download's file name: `intake-health-live_key-youtube.md`. */
export function healthFileName(path: string, preset: PresetId, ext: 'json' | 'md'): string {
  return `intake-health-${path.replace(/[^\w.-]+/g, '_')}-${preset}.${ext}`;
}

/** Hand a text to the browser as a file download (a Blob behind a transient `<a download>`). */
function download(text: string, fileName: string, type: string, doc: Document): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
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

/** Save the selected stream's health report under `preset`, as JSON or as Markdown for a support forum. */
export function exportHealth(stats: StreamStats, preset: PresetId, format: 'json' | 'md', doc: Document = document): string {
  const name = healthFileName(stats.path, preset, format);
  if (format === 'json') download(`${JSON.stringify(reportJson(stats, preset), null, 2)}\n`, name, 'application/json', doc);
  else download(reportMarkdown(stats, preset), name, 'text/markdown', doc);
  return name;
}
