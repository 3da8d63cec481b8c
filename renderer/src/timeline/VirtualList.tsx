import { type ReactNode, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { moveBy } from './row-index.js';
import { atTail, maxScrollTop, rowHeightOf, visibleRange } from './virtual-window.js';

/** Viewport height assumed until the first measurement (and in jsdom, which has no layout). */
const DEFAULT_HEIGHT = 600;

/**
 * A hand-made virtual list of fixed-height rows: a spacer as tall as all the
 * rows, and only the rows in view (plus overscan) drawn inside it. It follows
 * the tail while `follow` is on; scrolling up turns it off, scrolling back to
 * the bottom or the "jump to live" button turns it on again. The owner holds
 * `follow`, so that its own actions (opening a run) can pause it.
 */
export function VirtualList(p: {
  rowCount: number;
  renderRow(index: number): ReactNode;
  label: string;
  follow: boolean;
  setFollow(on: boolean): void;
  /** The selected row, kept in view when it moves; arrows, Page Up/Down, Home and End move it. */
  active: number;
  setActive(index: number): void;
  /** Changed by a jump to a row (a finding's moment): the active row is then put in the middle of the view. */
  centerOn?: number;
}) {
  const { rowCount, renderRow, label, follow, setFollow, active, centerOn } = p;
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ height: DEFAULT_HEIGHT, rowH: 22 });
  const [scrollTop, setScrollTop] = useState(0);
  const { height, rowH } = size;

  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setSize({ height: el.clientHeight || DEFAULT_HEIGHT, rowH: rowHeightOf(el) }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Pin to the tail before paint, so new rows never flash in below the fold.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && follow) el.scrollTop = el.scrollHeight;
  }, [follow, rowCount, height]);

  // Keep the selected row in view when the keyboard moves it.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || active < 0) return;
    const y = active * rowH;
    if (y < el.scrollTop) el.scrollTop = y;
    else if (y + rowH > el.scrollTop + (el.clientHeight || height)) el.scrollTop = y + rowH - (el.clientHeight || height);
  }, [active, rowH, height]);

  // A jump puts the row in the middle, with what came before and after it in view; only on a new jump, not as the selection moves.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !centerOn || active < 0) return;
    el.scrollTop = Math.max(0, active * rowH - ((el.clientHeight || height) - rowH) / 2);
    setScrollTop(el.scrollTop);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [centerOn]);

  const top = follow ? maxScrollTop(rowCount, rowH, height) : scrollTop;
  const { start, end } = visibleRange(top, height, rowH, rowCount);
  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) rows.push(renderRow(i));

  return (
    <div className="vl">
      <div
        ref={ref}
        className="vl-viewport"
        role="grid"
        aria-label={label}
        aria-rowcount={rowCount}
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          setScrollTop(el.scrollTop);
          setFollow(atTail(el.scrollTop, el.clientHeight || height, el.scrollHeight, rowH));
        }}
        onKeyDown={(e) => {
          const next = moveBy(e.key, active, rowCount, Math.max(1, Math.floor(height / rowH) - 1));
          if (next === null) return;
          e.preventDefault();
          if (next < rowCount - 1) setFollow(false);
          p.setActive(next);
        }}
        onWheel={(e) => {
          if (e.deltaY >= 0 || !follow) return;
          setScrollTop(e.currentTarget.scrollTop);
          setFollow(false);
        }}
      >
        <div className="vl-spacer" style={{ height: rowCount * rowH }}>
          <div className="vl-rows" style={{ transform: `translateY(${start * rowH}px)` }}>
            {rows}
          </div>
        </div>
      </div>
      {!follow && (
        <button type="button" className="btn vl-live" data-testid="timeline-live" onClick={() => setFollow(true)}>
          ↓ Jump to live
        </button>
      )}
    </div>
  );
}
