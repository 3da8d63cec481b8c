import { type PresetId, type StreamStats, reportJson, reportMarkdown } from '../../../app/contract/index.js';
import { downloadParts } from '../util/download.js';

/** The download's file name: `intake-health-live_key-youtube.md`. */
export function healthFileName(path: string, preset: PresetId, ext: 'json' | 'md'): string {
  return `intake-health-${path.replace(/[^\w.-]+/g, '_')}-${preset}.${ext}`;
}

/** Save the selected stream's health report under `preset`, as JSON or as Markdown for a support forum. */
export function exportHealth(stats: StreamStats, preset: PresetId, format: 'json' | 'md', doc: Document = document): string {
  const name = healthFileName(stats.path, preset, format);
  if (format === 'json') downloadParts([`${JSON.stringify(reportJson(stats, preset), null, 2)}\n`], name, 'application/json', doc);
  else downloadParts([reportMarkdown(stats, preset)], name, 'text/markdown', doc);
  return name;
}
