/**
 * The soak's figures: RSS samples of Intake and of the previewing Chromium
 * renderer, their least-squares slopes (MB/min) over the whole run and over
 * its last half, and the verdict against the targets. Pure functions, so the
 * arithmetic is checked apart from the hour it takes to gather samples.
 */
import { f, table } from './table.js';

/** One sample: minutes since the publishers started, RSS in MB (2^20 bytes). */
export interface RssSample {
  min: number;
  intakeMB: number;
  rendererMB: number;
  /** Of the renderer: V8's used JS heap (MB) and the seconds of media the preview's <video> holds buffered. */
  heapMB?: number;
  bufferedS?: number;
  /** The renderer's RssAnon (MB): RSS less the shared, file-backed pages of the Chromium binary and libraries. */
  rendererAnonMB?: number;
  /** DOM nodes alive in the page (DevTools' Memory.getDOMCounters). */
  domNodes?: number;
}

/** Targets of issue #8: under these RSS, and flat (last half's slope under 1 MB/min). */
export const SOAK_TARGETS = { intakeMB: 150, rendererMB: 300, flatMBPerMin: 1 } as const;

/** Least-squares slope of y over x (y units per x unit); 0 with fewer than two points. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** What the soak reports of one process. */
export interface SoakFigures {
  startMB: number;
  endMB: number;
  maxMB: number;
  slopeAll: number;
  slopeLastHalf: number;
}

/** The figures of one series of samples. */
export function figures(samples: readonly RssSample[], pick: (s: RssSample) => number): SoakFigures {
  const half = samples.filter((s) => s.min >= samples[samples.length - 1].min / 2);
  return {
    startMB: pick(samples[0]),
    endMB: pick(samples[samples.length - 1]),
    maxMB: Math.max(...samples.map(pick)),
    slopeAll: slope(samples.map((s) => s.min), samples.map(pick)),
    slopeLastHalf: slope(half.map((s) => s.min), half.map(pick)),
  };
}

/** The soak's Markdown section for bench/RESULTS.md. */
export function soakMarkdown(o: { command: string; streams: number; minutes: number; when: string; commit: string; samples: RssSample[]; notes: string[] }): string {
  const intake = figures(o.samples, (s) => s.intakeMB);
  const renderer = figures(o.samples, (s) => s.rendererMB);
  const ok = (fig: SoakFigures, cap: number): string =>
    `${fig.maxMB < cap ? 'met' : 'not met'} (< ${cap} MB); ${fig.slopeLastHalf < SOAK_TARGETS.flatMBPerMin ? 'flat' : 'not flat'} (last half < ${SOAK_TARGETS.flatMBPerMin} MB/min)`;
  const row = (name: string, fig: SoakFigures, cap: number): (string | number)[] => [name, f(fig.startMB, 1), f(fig.endMB, 1), f(fig.maxMB, 1), f(fig.slopeAll, 2), f(fig.slopeLastHalf, 2), ok(fig, cap)];
  const every = Math.max(1, Math.round(o.samples.length / 12));
  const shown = o.samples.filter((_, i) => i % every === 0 || i === o.samples.length - 1);
  const anon = o.samples.some((s) => s.rendererAnonMB !== undefined) ? [row('renderer, anon only', figures(o.samples, (s) => s.rendererAnonMB ?? 0), SOAK_TARGETS.rendererMB)] : [];
  return [
    '## Soak: memory over a long session',
    '',
    `Command: \`${o.command}\` (${o.when}, commit ${o.commit}). ${o.streams} real-time publishers (\`ffmpeg -re -stream_loop -1\` of the fan-in input, H.264 720p30 1.7 Mbit/s + AAC, copied) into \`intake serve\`, with Debian's Chromium showing the UI and previewing one stream, for ${o.minutes} minutes. RSS (VmRSS, MB = 2^20 bytes) of Intake and of the page's renderer process sampled every 10 s; slopes are least-squares fits in MB per minute.`,
    '',
    table(['<process', 'start MB', 'end MB', 'max MB', 'slope MB/min', 'last half MB/min', '<target'], [row('intake serve', intake, SOAK_TARGETS.intakeMB), row('Chromium renderer', renderer, SOAK_TARGETS.rendererMB), ...anon]),
    '',
    'Samples (every ' + every * 10 + ' s):',
    '',
    table(
      ['minute', 'intake MB', 'renderer MB', 'of it anon MB', 'renderer JS heap MB', 'DOM nodes', 'preview buffered s'],
      shown.map((s) => [f(s.min, 1), f(s.intakeMB, 1), f(s.rendererMB, 1), f(s.rendererAnonMB ?? NaN, 1), f(s.heapMB ?? NaN, 1), s.domNodes ?? 'n/a', f(s.bufferedS ?? NaN, 1)]),
    ),
    '',
    ...o.notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
}

/** The markers of the soak section of a run of `minutes` (runs of different lengths keep their own sections). */
const markers = (minutes: number): [string, string] => [`<!-- soak:${minutes}min:start -->`, `<!-- soak:${minutes}min:end -->`];

/** `doc` with its soak section of `minutes` replaced by `section` (appended when it has none). */
export function withSoakSection(doc: string, section: string, minutes: number): string {
  const [start, end] = markers(minutes);
  const block = `${start}\n${section}${end}\n`;
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a >= 0 && b > a) return doc.slice(0, a) + block + doc.slice(b + end.length + 1);
  return `${doc.replace(/\n*$/, '\n\n')}${block}`;
}

/** Every soak section of `doc`, markers included, or '' (so a run of the other scenarios keeps them). */
export function soakSection(doc: string): string {
  const blocks = doc.match(/<!-- soak:(\d+(?:\.\d+)?)min:start -->[\s\S]*?<!-- soak:\1min:end -->\n?/g) ?? [];
  return blocks.join('\n');
}
