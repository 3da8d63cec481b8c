/** Rows drawn above and below the viewport, so a fast wheel does not show blank space for a frame. */
export const OVERSCAN = 10;

/** The rows a virtual list draws: `[start, end)`. */
export interface RowRange {
  start: number;
  end: number;
}

/**
 * Which rows to draw for a viewport of `height` px scrolled to `scrollTop`,
 * with fixed rows of `rowHeight` px: the visible ones plus `overscan` on each
 * side, clamped to `[0, rowCount)`. The cost of drawing is this range, never
 * the row count.
 */
export function visibleRange(scrollTop: number, height: number, rowHeight: number, rowCount: number, overscan = OVERSCAN): RowRange {
  if (rowCount <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const top = Math.max(0, Math.min(scrollTop, maxScrollTop(rowCount, rowHeight, height)));
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + Math.max(0, height)) / rowHeight);
  return { start: Math.max(0, first - overscan), end: Math.min(rowCount, last + overscan) };
}

/** The scrollTop that shows the last row at the bottom (0 when everything fits). */
export function maxScrollTop(rowCount: number, rowHeight: number, height: number): number {
  return Math.max(0, rowCount * rowHeight - height);
}

/**
 * Whether a list scrolled to `scrollTop` is at its tail, within half a row:
 * the user is then "at live" and the list follows new rows; anywhere above,
 * it stays put.
 */
export function atTail(scrollTop: number, height: number, scrollHeight: number, rowHeight: number): boolean {
  return scrollTop + height >= scrollHeight - rowHeight / 2;
}

/** The pixel height of one row from the `--row-h` custom property ("22px"), or `fallback`. */
export function rowHeightOf(el: Element | null, fallback = 22): number {
  if (!el) return fallback;
  const v = parseFloat(getComputedStyle(el).getPropertyValue('--row-h'));
  return Number.isFinite(v) && v > 0 ? v : fallback;
}
