/**
 * Pure layout logic of the text view: spans (in UTF-16 indexes of the shown text) become runs of
 * text, each with the spans that cover it, so a document renders as a few elements per span rather
 * than one per character; overlapping spans get stacking levels (drawn as underlines one below the
 * other); long texts are cut into chunks at line breaks, each rendered (and re-rendered) alone.
 */

export interface UnitSpan {
  id: string;
  classId: string;
  /** UTF-16 index, inclusive. */
  start: number;
  /** UTF-16 index, exclusive. */
  end: number;
}

export interface Run {
  start: number;
  end: number;
  /** Ids of the spans covering the run, lowest level first. */
  spans: string[];
}

/**
 * Stacking level of each span: spans sorted by start then longest first; each takes the lowest
 * level free at its start (interval colouring), so nested and crossing spans never share a level.
 */
export function spanLevels(spans: readonly UnitSpan[]): Map<string, number> {
  const order = [...spans].sort((a, b) => a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const levelEnds: number[] = [];
  const levels = new Map<string, number>();
  for (const s of order) {
    let level = levelEnds.findIndex((end) => end <= s.start);
    if (level < 0) level = levelEnds.length;
    levelEnds[level] = s.end;
    levels.set(s.id, level);
  }
  return levels;
}

/**
 * Runs covering [from, to): a new run starts wherever a span starts or ends; runs covered by no span
 * are included (with `spans` empty). Spans are clipped to [from, to).
 */
export function segment(from: number, to: number, spans: readonly UnitSpan[], levels: ReadonlyMap<string, number>): Run[] {
  if (to <= from) return [];
  const inside = spans.filter((s) => s.start < to && s.end > from && s.end > s.start);
  const cuts = new Set<number>([from, to]);
  for (const s of inside) {
    cuts.add(Math.max(from, s.start));
    cuts.add(Math.min(to, s.end));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const byStart = [...inside].sort((a, b) => a.start - b.start);
  const level = (id: string) => levels.get(id) ?? 0;
  let active: UnitSpan[] = [];
  let next = 0;
  const runs: Run[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i] as number;
    const b = points[i + 1] as number;
    active = active.filter((s) => s.end > a);
    while (next < byStart.length && Math.max(from, (byStart[next] as UnitSpan).start) <= a) {
      const s = byStart[next++] as UnitSpan;
      if (s.end > a) active.push(s);
    }
    const ids = active.filter((s) => s.start <= a && s.end >= b).sort((x, y) => level(x.id) - level(y.id)).map((s) => s.id);
    runs.push({ start: a, end: b, spans: ids });
  }
  return runs;
}

/** The first span that shares a character with [start, end) (other than `ignore`), or null. */
export function findOverlap<T extends { id: string; start: number; end: number }>(spans: readonly T[], start: number, end: number, ignore?: string): T | null {
  for (const s of spans) if (s.id !== ignore && s.start < end && start < s.end) return s;
  return null;
}

/**
 * Cuts a text into chunks of about `target` UTF-16 units, each ending just after a line break
 * (a line longer than `target` stays whole). Returns [start, end) pairs covering the text.
 */
export function chunkText(text: string, target = 8000): [number, number][] {
  const chunks: [number, number][] = [];
  let start = 0;
  while (start < text.length) {
    let end = start + target >= text.length ? text.length : text.indexOf("\n", start + target);
    end = end < 0 ? text.length : Math.min(text.length, end + (end < text.length && text[end] === "\n" ? 1 : 0));
    chunks.push([start, end]);
    start = end;
  }
  if (chunks.length === 0) chunks.push([0, 0]);
  return chunks;
}

/** Index of the chunk holding UTF-16 index `i` (the last chunk for the end of the text). */
export function chunkOf(chunks: readonly [number, number][], i: number): number {
  let lo = 0;
  let hi = chunks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((chunks[mid] as [number, number])[0] <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
