import type { Vec2 } from "../../../geometry";

/** [x0, y0, x1, y1] in page points (origin top-left, y down), as the server sends it. */
export type Box = [number, number, number, number];

export interface TextLayerWord {
  text: string;
  /** Code-point offsets into the page text, end exclusive. */
  start: number;
  end: number;
  xyxy: Box;
}

/** One PDF page's text layer (`GET /assets/{id}/pages/{n}/text`, docs/documents.md "Text layer"). */
export interface TextLayer {
  page: number;
  width: number;
  height: number;
  text: string;
  /** Box of each code point of `text` (null for characters PDFium inserted, such as line breaks). */
  chars: (Box | null)[];
  /** Whitespace-separated runs, in text order. */
  words: TextLayerWord[];
}

/** A selection in code points of the page text, end exclusive. */
export interface CharRange {
  start: number;
  end: number;
}

/**
 * Distance from `p` to `b`, vertical distance counted twice: a point beside the end of a line
 * belongs to that line rather than to a word on the next line just below.
 */
function boxDistance(b: Box, p: Vec2): number {
  const dx = Math.max(b[0] - p.x, 0, p.x - b[2]);
  const dy = Math.max(b[1] - p.y, 0, p.y - b[3]);
  return Math.hypot(dx, 2 * dy);
}

/** Index of the word nearest to `p` (within `maxDistance` points, default any), or -1. */
export function nearestWord(layer: TextLayer, p: Vec2, maxDistance = Infinity): number {
  let best = -1;
  let bestDistance = maxDistance;
  layer.words.forEach((w, i) => {
    const d = boxDistance(w.xyxy, p);
    if (d < bestDistance || (d === 0 && bestDistance === 0 && best < 0)) [best, bestDistance] = [i, d];
  });
  return best;
}

/**
 * The caret (a code-point offset) nearest to `p`: inside the nearest word, before the first
 * character whose centre lies right of `p`, else after the word.
 */
export function caretAt(layer: TextLayer, p: Vec2): number {
  const w = layer.words[nearestWord(layer, p)];
  if (!w) return 0;
  for (let i = w.start; i < w.end; i++) {
    const b = layer.chars[i];
    if (b && p.x < (b[0] + b[2]) / 2) return i;
  }
  return w.end;
}

const split = new WeakMap<TextLayer, string[]>();

/** The page text as code points (offsets index this array, not the UTF-16 string); computed once per layer. */
export function codePoints(layer: TextLayer): string[] {
  let cp = split.get(layer);
  if (!cp) split.set(layer, (cp = Array.from(layer.text)));
  return cp;
}

const SPACE = /\s/u;

/**
 * The text selected by a drag from `a` to `b` (page points): whole words from the word nearest
 * `a` to the word nearest `b` (either direction), or with `exact` from caret to caret, trimmed of
 * white space. Null when the drag selects nothing.
 */
export function selectionBetween(layer: TextLayer, a: Vec2, b: Vec2, exact = false): CharRange | null {
  if (layer.words.length === 0) return null;
  if (!exact) {
    const i = nearestWord(layer, a);
    const j = nearestWord(layer, b);
    const [lo, hi] = [layer.words[Math.min(i, j)], layer.words[Math.max(i, j)]];
    return lo && hi ? { start: lo.start, end: hi.end } : null;
  }
  const cp = codePoints(layer);
  const x = caretAt(layer, a);
  const y = caretAt(layer, b);
  let start = Math.min(x, y);
  let end = Math.max(x, y);
  while (start < end && SPACE.test(cp[start] ?? "")) start++;
  while (end > start && SPACE.test(cp[end - 1] ?? "")) end--;
  return start < end ? { start, end } : null;
}

/** Same line: the boxes overlap vertically by half the smaller height, and `b` does not go back left. */
function sameLine(run: Box, b: Box): boolean {
  const overlap = Math.min(run[3], b[3]) - Math.max(run[1], b[1]);
  const h = Math.max(0.01, Math.min(run[3] - run[1], b[3] - b[1]));
  return overlap >= 0.5 * h && b[0] >= run[0] - 0.5 * h && b[0] - run[2] <= 4 * Math.max(h, run[3] - run[1]);
}

/**
 * The highlight of characters [start, end): their boxes merged into one rectangle per line (a new
 * run starts when a character leaves the line or jumps far right, as into another column). White
 * space is left out: it never starts or ends a run, nor makes it taller (the union covers it).
 */
export function spanRuns(layer: TextLayer, start: number, end: number): Box[] {
  const cp = codePoints(layer);
  const runs: Box[] = [];
  let run: Box | null = null;
  for (let i = Math.max(0, start); i < Math.min(end, layer.chars.length); i++) {
    const b = layer.chars[i];
    if (!b || SPACE.test(cp[i] ?? "")) continue;
    if (run && sameLine(run, b)) {
      run[0] = Math.min(run[0], b[0]);
      run[1] = Math.min(run[1], b[1]);
      run[2] = Math.max(run[2], b[2]);
      run[3] = Math.max(run[3], b[3]);
    } else {
      run = [b[0], b[1], b[2], b[3]];
      runs.push(run);
    }
  }
  return runs;
}

/** Does `p` lie in one of `runs` (grown by `tolerance`)? */
export function runsContain(runs: readonly Box[], p: Vec2, tolerance = 0): boolean {
  return runs.some((r) => p.x >= r[0] - tolerance && p.x <= r[2] + tolerance && p.y >= r[1] - tolerance && p.y <= r[3] + tolerance);
}

/** The text of [start, end) (code points), or null when the range lies outside the layer's text. */
export function rangeText(layer: TextLayer, start: number, end: number): string | null {
  const cp = codePoints(layer);
  if (start < 0 || end > cp.length || end <= start) return null;
  return cp.slice(start, end).join("");
}
