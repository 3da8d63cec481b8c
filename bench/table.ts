/** Numbers as the bench prints them, and Markdown tables. */

/** Median of the finite numbers (mean of the middle two for an even count); NaN for none. */
export function median(xs: number[]): number {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** A number with `d` decimals ('n/a' when not finite). */
export const f = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

/** A fraction as a percentage: '100%' only when exactly 1, else two decimals. */
export const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(x === 1 ? 0 : 2)}%` : 'n/a');

/**
 * A Markdown table. A header starting with '<' is left-aligned (its '<' dropped);
 * the others are right-aligned (numbers).
 */
export function table(headers: string[], rows: (string | number)[][]): string {
  const h = headers.map((x) => x.replace(/^</, ''));
  const align = headers.map((x) => (x.startsWith('<') ? '---' : '---:'));
  return [`| ${h.join(' | ')} |`, `|${align.join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
