/**
 * Windowed rendering of long lists of fixed-height rows (the object list holds thousands):
 * only the rows in the scroll container's view, plus a few above and below, are in the DOM.
 * Pure maths here; `useWindowedRows` (./useWindowedRows) wires it to the DOM.
 */

export interface WindowGeometry {
  /** The scroll container's scrollTop. */
  scrollTop: number;
  /** The scroll container's visible height. */
  viewportHeight: number;
  /** Where the list's first row starts inside the scroll container's content (px from its top). */
  listTop: number;
  rowHeight: number;
  count: number;
}

export interface RowRange {
  /** First row rendered. */
  start: number;
  /** One past the last row rendered. */
  end: number;
}

/** Rows rendered before anything is measured (and when the container has no height yet). */
export const INITIAL_ROWS = 40;

/** The rows that meet the view, grown by `overscan` rows on both sides, clamped to 0..count. */
export function visibleRange(g: WindowGeometry, overscan = 8): RowRange {
  const { count, rowHeight } = g;
  if (count <= 0) return { start: 0, end: 0 };
  if (g.viewportHeight <= 0 || rowHeight <= 0) return { start: 0, end: Math.min(count, INITIAL_ROWS) };
  const top = g.scrollTop - g.listTop;
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + g.viewportHeight) / rowHeight);
  const start = Math.max(0, Math.min(count, first - overscan));
  const end = Math.max(start, Math.min(count, last + overscan));
  return { start, end };
}

/** The scrollTop that brings row `index` fully into view with the least scrolling, or null when it is already in view. */
export function revealScrollTop(g: Omit<WindowGeometry, "count">, index: number): number | null {
  const rowTop = g.listTop + index * g.rowHeight;
  const rowBottom = rowTop + g.rowHeight;
  if (rowTop < g.scrollTop) return rowTop;
  if (rowBottom > g.scrollTop + g.viewportHeight) return Math.max(0, rowBottom - g.viewportHeight);
  return null;
}

export const sameRange = (a: RowRange, b: RowRange): boolean => a.start === b.start && a.end === b.end;
