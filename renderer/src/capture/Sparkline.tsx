import { memo, useCallback, useMemo } from 'react';
import type uPlot from 'uplot';
import { UPlotChart, themeColour } from '../health/UPlotChart.js';

/** Height of a sparkline's plot, in CSS pixels. */
const H = 28;

/** uPlot's data for a sparkline: x is the sample's index, oldest at the left. */
export function sparkData(values: readonly number[]): uPlot.AlignedData {
  return [values.map((_, i) => i), values.map((v) => Math.max(0, v))];
}

/**
 * A small line of recent values with its label and the latest value, drawn
 * by uPlot without axes, legend or cursor; its y range starts at 0 with
 * headroom above the peak, so a steady line sits below the top edge and dips
 * read clearly. A fixed box: it draws in place without resizing anything.
 */
export const Sparkline = memo(function Sparkline({ values, label, value, tone = 'accent' }: { values: readonly number[]; label: string; value: string; tone?: 'accent' | 'muted' }) {
  const data = useMemo(() => sparkData(values), [values]);
  const makeOptions = useCallback(
    (): Omit<uPlot.Options, 'width' | 'height'> => ({
      legend: { show: false },
      cursor: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      axes: [{ show: false }, { show: false }],
      padding: [1, 0, 1, 0],
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.25] } },
      series: [{}, { stroke: tone === 'accent' ? themeColour('--accent', '#2ed3bf') : themeColour('--muted', '#7f8c98'), width: 1.25, points: { show: false } }],
    }),
    [tone],
  );
  return (
    <div className="spark">
      <div className="spark-head">
        <span className="muted">{label}</span>
        <span className="num">{value}</span>
      </div>
      <UPlotChart makeOptions={makeOptions} data={data} height={H} className={`spark-plot tone-${tone}`} label={`${label} over the last two minutes`} />
    </div>
  );
});
