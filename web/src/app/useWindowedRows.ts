import type { RefObject } from "react";
import { useEffect, useRef, useState } from "react";
import type { RowRange } from "./windowing";
import { revealScrollTop, visibleRange } from "./windowing";

/** The nearest ancestor that scrolls vertically (the side panel), or null. */
function scrollParent(el: HTMLElement): HTMLElement | null {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const y = getComputedStyle(p).overflowY;
    if (y === "auto" || y === "scroll") return p;
  }
  return null;
}

interface Measured {
  /** scrollTop rounded down to whole rows (finer scrolling does not change the window). */
  scrollTop: number;
  viewportHeight: number;
  listTop: number;
}

const UNMEASURED: Measured = { scrollTop: 0, viewportHeight: 0, listTop: 0 };

function measure(list: HTMLElement, box: HTMLElement, rowHeight: number): Measured {
  const listTop = list.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
  return { scrollTop: Math.floor(box.scrollTop / rowHeight) * rowHeight, viewportHeight: box.clientHeight, listTop: Math.round(listTop) };
}

export interface WindowedRows extends RowRange {
  /** Scrolls the nearest scrolling ancestor so that row `index` is fully in view (nothing when it is). */
  reveal: (index: number) => void;
}

/**
 * Which of `count` rows of `rowHeight` px, laid out from the top of `list`, to render: those
 * in the view of the list's scrolling ancestor (plus overscan). Follows scrolling and the sizes of
 * the container and the list.
 */
export function useWindowedRows(list: RefObject<HTMLElement | null>, count: number, rowHeight: number): WindowedRows {
  const [measured, setMeasured] = useState<Measured>(UNMEASURED);
  const scroller = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const el = list.current;
    const box = el && scrollParent(el);
    scroller.current = box;
    if (!el || !box) return;
    const update = () => {
      const next = measure(el, box, rowHeight);
      setMeasured((m) => (m.scrollTop === next.scrollTop && m.viewportHeight === next.viewportHeight && m.listTop === next.listTop ? m : next));
    };
    box.addEventListener("scroll", update, { passive: true });
    // Fires once at once (the first measurement), then on resizes of the panel and of the list (rows added or removed).
    const observer = new ResizeObserver(update);
    observer.observe(box);
    observer.observe(el);
    return () => {
      box.removeEventListener("scroll", update);
      observer.disconnect();
    };
  }, [list, rowHeight]);

  const range = visibleRange({ ...measured, rowHeight, count });
  const reveal = (index: number) => {
    const el = list.current;
    const box = scroller.current;
    if (!el || !box || index < 0) return;
    const g = measure(el, box, rowHeight);
    const top = revealScrollTop({ ...g, scrollTop: box.scrollTop, rowHeight }, index);
    if (top !== null) box.scrollTop = top; // the scroll event updates the window
  };
  return { ...range, reveal };
}
