import { describe, expect, it } from "vitest";
import { INITIAL_ROWS, revealScrollTop, visibleRange } from "../src/app/windowing";

describe("windowed rows", () => {
  const g = { scrollTop: 0, viewportHeight: 280, listTop: 100, rowHeight: 28, count: 5000 };

  it("renders the rows in view plus overscan, clamped to the list", () => {
    // The list starts 100 px down: at scrollTop 0 rows 0..6 meet the 280 px view.
    expect(visibleRange(g, 0)).toEqual({ start: 0, end: 7 });
    expect(visibleRange(g, 8)).toEqual({ start: 0, end: 15 });
    // Scrolled to row 1000 exactly.
    const at = visibleRange({ ...g, scrollTop: 100 + 1000 * 28 }, 5);
    expect(at).toEqual({ start: 995, end: 1015 });
    expect(visibleRange({ ...g, scrollTop: 100 + 4999 * 28 }, 5)).toEqual({ start: 4994, end: 5000 });
    expect(visibleRange({ ...g, count: 3 })).toEqual({ start: 0, end: 3 });
    expect(visibleRange({ ...g, count: 0 })).toEqual({ start: 0, end: 0 });
  });

  it("falls back to the first rows before the container is measured", () => {
    expect(visibleRange({ ...g, viewportHeight: 0 })).toEqual({ start: 0, end: INITIAL_ROWS });
  });

  it("reveals a row with the least scrolling", () => {
    expect(revealScrollTop(g, 2)).toBeNull(); // rows 0..5 are fully in view
    expect(revealScrollTop(g, 100)).toBe(100 + 101 * 28 - 280); // below: its bottom at the view's bottom
    expect(revealScrollTop({ ...g, scrollTop: 5000 }, 3)).toBe(100 + 3 * 28); // above: its top at the view's top
  });
});
