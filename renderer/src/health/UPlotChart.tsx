import { memo, useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './health.css';

/** Where a canvas can be drawn (not in jsdom, whose canvas has no 2D context). */
const canDraw = typeof navigator !== 'undefined' && !navigator.userAgent.includes('jsdom') && typeof ResizeObserver !== 'undefined';

/** A colour of the theme (a CSS variable on :root), for canvas strokes. */
export function themeColour(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/**
 * A uPlot chart that fills its box's width at a fixed height. Why uPlot: a
 * canvas time-series library made for live data (setData redraws ~1 ms for
 * hundreds of points), where React re-rendering an SVG per sample would not
 * scale. The options are made once (`makeOptions`); new data is set in place.
 */
export const UPlotChart = memo(function UPlotChart({ makeOptions, data, height, className, label }: {
  makeOptions: () => Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  height: number;
  className?: string;
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;

  useEffect(() => {
    const el = box.current;
    if (!el || !canDraw) return;
    let gone = false;
    let ro: ResizeObserver | null = null;
    // Loaded on first use: uPlot reads matchMedia as it loads, which jsdom (the component tests) has not.
    void import('uplot').then(({ default: UPlot }) => {
      if (gone) return;
      ro = new ResizeObserver(() => {
        const width = Math.max(40, Math.floor(el.clientWidth));
        if (!plot.current) plot.current = new UPlot({ ...makeOptions(), width, height }, latest.current, el);
        else if (plot.current.width !== width) plot.current.setSize({ width, height });
      });
      ro.observe(el);
    });
    return () => {
      gone = true;
      ro?.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [makeOptions, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div ref={box} className={className} style={{ minHeight: height }} role="img" aria-label={label} />;
});
