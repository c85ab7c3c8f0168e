/**
 * Unicode code points (the unit of `text_span` offsets on the server) <-> UTF-16 code units (the
 * unit of JavaScript string indexes and DOM ranges). They differ after every character outside the
 * Basic Multilingual Plane (an emoji is one code point, two UTF-16 units). A combining accent is
 * one code point and one unit in both: only surrogate pairs need converting.
 */
export class OffsetMap {
  /** UTF-16 index of each astral character (its high surrogate), ascending. */
  private readonly astralUnits: number[] = [];
  /** Code-point index of each astral character, ascending. */
  private readonly astralPoints: number[] = [];
  /** Length of the text in code points. */
  readonly length: number;

  constructor(readonly text: string) {
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          this.astralUnits.push(i);
          this.astralPoints.push(n);
          i++;
        }
      }
      n++;
    }
    this.length = n;
  }

  /** Code-point offset of UTF-16 index `unit` (an index inside a surrogate pair counts as its start). */
  toPoint(unit: number): number {
    const u = Math.max(0, Math.min(this.text.length, unit));
    // astral characters that start before u: each made one extra unit (one more if u is inside one).
    const k = countBelow(this.astralUnits, u);
    return u - k;
  }

  /** UTF-16 index of code-point offset `point` (clamped to the text). */
  toUnit(point: number): number {
    const p = Math.max(0, Math.min(this.length, point));
    return p + countBelow(this.astralPoints, p);
  }
}

/** How many sorted values are < x. */
function countBelow(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Code-point length of a string (what the server calls `text_length`). */
export function codePointLength(s: string): number {
  return new OffsetMap(s).length;
}
