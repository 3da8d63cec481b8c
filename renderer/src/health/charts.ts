/**
 * The Health panel's uPlot charts: options (axes with units, series, the
 * preset's band and reference lines, the focused finding's moment) and the
 * data each takes from a stream's history, cut to the chosen time window.
 */
import type uPlot from 'uplot';
import type { HealthHistory } from './health-history.js';
import { themeColour } from './UPlotChart.js';

/** "1:05" for 65 s. */
export function clock(s: number): string {
  const m = Math.floor(s / 60);
  return `${m}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
}

/** A horizontal line across the plot at `y` (dashed), with a label at its right end. */
interface Rule {
  y: number;
  label: string;
  colour: string;
}

/** What every chart shares: a time x axis in m:ss, a y axis in `unit`, rules, and a marker at `focusS`. */
function base(unit: string, series: uPlot.Series[], rules: Rule[], focusS: number | null, yMin0 = true): Omit<uPlot.Options, 'width' | 'height'> {
  const text = themeColour('--muted', '#7f8c98');
  const grid = themeColour('--border', '#252e37');
  const focus = themeColour('--warn', '#d9a43a');
  const axis = (label: string): uPlot.Axis => ({ stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1, size: 3 }, font: '10px system-ui', labelFont: '10px system-ui', label, labelSize: 12, size: 40, space: 16, gap: 2 });
  return {
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false }, y: { range: (_u, min, max) => [yMin0 ? Math.min(0, min) : min, Math.max(max, ...rules.map((r) => r.y)) * 1.1 || 1] } },
    axes: [{ ...axis(''), values: (_u, splits) => splits.map(clock), size: 20, space: 40, labelSize: 0 }, axis(unit)],
    series: [{ label: 'time' }, ...series],
    hooks: {
      draw: [
        (u) => {
          const ctx = u.ctx;
          ctx.save();
          ctx.font = `${10 * devicePixelRatio}px system-ui`;
          for (const r of rules) {
            const y = u.valToPos(r.y, 'y', true);
            if (!Number.isFinite(y)) continue;
            ctx.strokeStyle = r.colour;
            ctx.fillStyle = r.colour;
            ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
            ctx.beginPath();
            ctx.moveTo(u.bbox.left, y);
            ctx.lineTo(u.bbox.left + u.bbox.width, y);
            ctx.stroke();
            ctx.fillText(r.label, u.bbox.left + u.bbox.width - ctx.measureText(r.label).width - 2, y - 3 * devicePixelRatio);
          }
          if (focusS !== null) {
            const x = u.valToPos(focusS, 'x', true);
            if (x >= u.bbox.left && x <= u.bbox.left + u.bbox.width) {
              ctx.strokeStyle = focus;
              ctx.setLineDash([]);
              ctx.lineWidth = 2 * devicePixelRatio;
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
            }
          }
          ctx.restore();
        },
      ],
    },
  };
}

const line = (label: string, colour: string, unit: string, extra: Partial<uPlot.Series> = {}): uPlot.Series => ({
  label, stroke: colour, width: 1.5, points: { show: false }, value: (_u, v) => (v === null || v === undefined ? '—' : `${Math.round(v)} ${unit}`), ...extra,
});

/** Bitrate: video and audio kbit/s per second, keyframes as dots on the video line, the preset's band. */
export function bitrateOptions(band: { min: number; max: number } | null, focusS: number | null): Omit<uPlot.Options, 'width' | 'height'> {
  const warn = themeColour('--warn', '#d9a43a');
  const rules = band ? [{ y: band.min, label: `min ${band.min}`, colour: themeColour('--muted', '#7f8c98') }, { y: band.max, label: `max ${band.max}`, colour: themeColour('--err', '#ef5350') }] : [];
  return base('kbit/s', [
    line('video', themeColour('--accent', '#2ed3bf'), 'kbit/s'),
    line('audio', '#6fa8ff', 'kbit/s'),
    { label: 'keyframe', stroke: warn, fill: warn, paths: () => null, points: { show: true, size: 5, fill: warn, stroke: warn } },
  ], rules, focusS);
}

/** GOP duration per GOP, dots joined, with the preset's limit. */
export function gopOptions(limit: number | null, focusS: number | null): Omit<uPlot.Options, 'width' | 'height'> {
  const rules = [{ y: 2, label: '2 s', colour: themeColour('--ok', '#3fbf6f') }];
  if (limit !== null) rules.push({ y: limit, label: `limit ${limit} s`, colour: themeColour('--err', '#ef5350') });
  return base('s', [line('GOP', themeColour('--accent', '#2ed3bf'), 's', { points: { show: true, size: 5 }, value: (_u, v) => (v === null || v === undefined ? '—' : `${v.toFixed(2)} s`) })], rules, focusS);
}

/** Frame interval: the shortest and longest timestamp delta of each second. */
export function intervalOptions(focusS: number | null): Omit<uPlot.Options, 'width' | 'height'> {
  return base('ms', [line('min', '#6fa8ff', 'ms'), line('max', themeColour('--accent', '#2ed3bf'), 'ms')], [], focusS);
}

/** A/V offset: audio − video timestamps at the end of each second. */
export function avOptions(focusS: number | null): Omit<uPlot.Options, 'width' | 'height'> {
  return base('ms', [line('audio − video', themeColour('--accent', '#2ed3bf'), 'ms')], [{ y: 0, label: '0', colour: themeColour('--muted', '#7f8c98') }], focusS, false);
}

/** The index of the first second inside the window ending at the newest second. */
function from(t: number[], windowS: number): number {
  if (t.length === 0) return 0;
  const start = t[t.length - 1] - windowS;
  let i = t.length - 1;
  while (i > 0 && t[i - 1] > start) i--;
  return i;
}

/** Each chart's data, cut to the last `windowS` seconds. */
export function chartData(h: HealthHistory, windowS: number): { bitrate: uPlot.AlignedData; gop: uPlot.AlignedData; interval: uPlot.AlignedData; av: uPlot.AlignedData } {
  const i = from(h.t, windowS);
  const t = h.t.slice(i);
  const video = h.videoKbps.slice(i);
  const keys = h.keyframes.slice(i).map((k, j) => (k > 0 ? video[j] : null));
  const gStart = t.length ? t[0] : 0;
  let g = 0;
  while (g < h.gopAt.length && h.gopAt[g] < gStart) g++;
  return {
    bitrate: [t, video, h.audioKbps.slice(i), keys],
    gop: [h.gopAt.slice(g), h.gopSeconds.slice(g)],
    interval: [t, h.intervalMin.slice(i), h.intervalMax.slice(i)],
    av: [t, h.avOffset.slice(i)],
  };
}
