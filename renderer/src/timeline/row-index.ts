import type { Row, RunRow } from './timeline-model.js';

const startOf = (r: Row): number => (r.type === 'run' ? r.first : r.abs);

/**
 * The index of the row for a selection key (`run:<first>` or
 * `entry:<abs>`), or -1. Rows are in message order, so this is a binary
 * search on their first message: log(rows), not a scan of 300 000 rows on
 * every render. A run and its first member share a start; the key tells
 * them apart.
 */
export function findRowIndex(rows: readonly Row[], rowCount: number, key: string | null): number {
  if (key === null) return -1;
  const run = key.startsWith('run:');
  const abs = Number(key.slice(run ? 4 : 6));
  let lo = 0;
  let hi = rowCount;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (startOf(rows[mid]) < abs) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < rowCount && startOf(rows[i]) === abs; i++) {
    if ((rows[i].type === 'run') === run) return i;
  }
  return -1;
}

/** The run that starts at absolute index `first`, or null. */
export function findRun(rows: readonly Row[], rowCount: number, first: number): RunRow | null {
  const i = findRowIndex(rows, rowCount, `run:${first}`);
  return i < 0 ? null : (rows[i] as RunRow);
}

/** Where a navigation key moves the selection from `index`, among `rowCount` rows with `page` rows in view; null for other keys. */
export function moveBy(key: string, index: number, rowCount: number, page: number): number | null {
  const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
  const d = step[key];
  if (d === undefined || rowCount === 0) return null;
  const from = index < 0 ? (d > 0 ? -1 : rowCount) : index;
  return Math.max(0, Math.min(rowCount - 1, from + d));
}
