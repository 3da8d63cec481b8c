import { memo } from 'react';

/** Drawing box of a sparkline, in SVG units (the SVG scales to its CSS box). */
const W = 120;
const H = 28;

/** The polyline points for values scaled to the box; the top is the max (or 1). */
export function sparkPoints(values: readonly number[], width = W, height = H): string {
  if (values.length === 0) return '';
  // Headroom above the peak, so a steady line sits below the top edge and dips read clearly.
  const max = Math.max(1, ...values) * 1.25;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values.map((v, i) => `${(i * step).toFixed(1)},${(height - (Math.max(0, v) / max) * (height - 2) - 1).toFixed(1)}`).join(' ');
}

/**
 * A small line of recent values with its label and the latest value. A fixed
 * SVG box: it draws in place without resizing anything around it.
 */
export const Sparkline = memo(function Sparkline({ values, label, value, tone = 'accent' }: { values: readonly number[]; label: string; value: string; tone?: 'accent' | 'muted' }) {
  const points = sparkPoints(values);
  return (
    <div className="spark">
      <div className="spark-head">
        <span className="muted">{label}</span>
        <span className="num">{value}</span>
      </div>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" className={`spark-svg tone-${tone}`} aria-hidden="true">
        {points ? <polyline points={points} fill="none" vectorEffect="non-scaling-stroke" /> : null}
      </svg>
    </div>
  );
});
