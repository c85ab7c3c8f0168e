import type { CSSProperties, MouseEvent as ReactMouseEvent } from "react";
import { memo, useEffect, useMemo, useRef } from "react";
import { useEditorTick } from "../../app/useEditorTick";
import type { Editor } from "../../editor";
import type { OntologyClass } from "../../schema";
import { unitSpans } from "./model";
import type { OffsetMap } from "./offsets";
import type { Run, UnitSpan } from "./segments";
import { segment, spanLevels } from "./segments";

interface Props {
  editor: Editor;
  map: OffsetMap;
  chunks: readonly [number, number][];
  classes: readonly OntologyClass[];
  /** A drag selected UTF-16 [start, end) of the text; `exact` when Alt was held. */
  onSelectText: (start: number, end: number, exact: boolean) => void;
}

/** Underline strip per stacking level (px), below the text. */
const STRIP = 3;

/**
 * The document: its text with line breaks, spans as coloured highlights (one element per run of
 * text between span edges), each span's class as a tag after its end, overlapping spans as
 * underlines stacked by level. Cut into chunks at line breaks; a chunk re-renders only when its own
 * spans or selection change, and chunks out of view are not laid out (`content-visibility`).
 */
export function TextView({ editor, map, chunks, classes, onSelectText }: Props) {
  useEditorTick(editor);
  const root = useRef<HTMLDivElement>(null);
  const objects = editor.objects();
  const spans = useMemo(() => unitSpans(objects, map), [objects, map]);
  const levels = useMemo(() => spanLevels(spans), [spans]);
  const colour = useMemo(() => new Map(classes.map((c) => [c.id, c.color || "#888888"])), [classes]);
  const names = useMemo(() => new Map(classes.map((c) => [c.id, c.name])), [classes]);
  const selected = editor.selectedIds.length === 1 ? (editor.selectedIds[0] as string) : null;
  const texts = useMemo(() => chunks.map(([a, b]) => map.text.slice(a, b)), [chunks, map]);
  const perChunk = useMemo(() => {
    const lists: UnitSpan[][] = chunks.map(() => []);
    for (const s of spans)
      chunks.forEach(([a, b], i) => {
        if (s.start < b && s.end > a) lists[i]?.push(s);
      });
    return lists;
  }, [chunks, spans]);

  // A span chosen elsewhere (the list, undo) scrolls into view.
  useEffect(() => {
    if (!selected) return;
    const tag = root.current?.querySelector(`.tx-tag[data-id="${CSS.escape(selected)}"]`);
    if (tag && "scrollIntoView" in tag) (tag as HTMLElement).scrollIntoView({ block: "nearest" });
  }, [selected]);

  const onMouseUp = (e: ReactMouseEvent) => {
    if (e.button !== 0) return;
    const sel = window.getSelection();
    if (sel && sel.rangeCount > 0 && !sel.isCollapsed && root.current) {
      const range = sel.getRangeAt(0);
      if (!root.current.contains(range.commonAncestorContainer)) return;
      const a = pointToUnit(range.startContainer, range.startOffset);
      const b = pointToUnit(range.endContainer, range.endOffset);
      sel.removeAllRanges();
      if (a !== null && b !== null && a !== b) onSelectText(Math.min(a, b), Math.max(a, b), e.altKey);
      return;
    }
    // A click: select the span under the pointer (the shortest when several cover it), or nothing.
    const hit = (e.target as HTMLElement).closest<HTMLElement>("[data-id], [data-ids]");
    const ids = hit?.dataset.id ? [hit.dataset.id] : (hit?.dataset.ids ?? "").split(" ").filter(Boolean);
    const byLength = ids.map((id) => spans.find((s) => s.id === id)).filter((s): s is UnitSpan => !!s).sort((x, y) => x.end - x.start - (y.end - y.start));
    const pick = byLength[0]?.id ?? null;
    editor.select(pick ? [pick] : []);
    editor.notify();
  };

  return (
    <div className="tx-scroll" ref={root} tabIndex={-1} onMouseUp={onMouseUp} data-testid="text-view">
      <div className="tx-doc" lang="und">
        {chunks.map(([a, b], i) => (
          <Chunk key={a} start={a} end={b} text={texts[i] ?? ""} spans={perChunk[i] ?? []} levels={levels} colour={colour} names={names} selected={selected} sig={signature(perChunk[i] ?? [], levels, selected)} />
        ))}
      </div>
    </div>
  );
}

/** What a chunk's rendering depends on besides its text, as one string (the memo key). */
function signature(spans: readonly UnitSpan[], levels: ReadonlyMap<string, number>, selected: string | null): string {
  let s = "";
  for (const x of spans) s += `${x.id}:${x.classId}:${x.start}:${x.end}:${levels.get(x.id) ?? 0}${x.id === selected ? "*" : ""};`;
  return s;
}

interface ChunkProps {
  start: number;
  end: number;
  text: string;
  spans: readonly UnitSpan[];
  levels: ReadonlyMap<string, number>;
  colour: ReadonlyMap<string, string>;
  names: ReadonlyMap<string, string>;
  selected: string | null;
  sig: string;
}

const Chunk = memo(
  function Chunk({ start, end, text, spans, levels, colour, names, selected }: ChunkProps) {
    const runs = segment(start, end, spans, levels);
    const byId = new Map(spans.map((s) => [s.id, s]));
    const lines = Math.max(1, (text.match(/\n/g)?.length ?? 0) + Math.ceil(text.length / 4000));
    return (
      <div className="tx-chunk" data-s={start} data-e={end} style={{ containIntrinsicSize: `auto ${Math.round(lines * 33)}px` }}>
        {runs.map((r) => (
          <RunView key={r.start} run={r} text={text.slice(r.start - start, r.end - start)} byId={byId} levels={levels} colour={colour} names={names} selected={selected} />
        ))}
      </div>
    );
  },
  (a, b) => a.sig === b.sig && a.text === b.text && a.start === b.start && a.colour === b.colour,
);

function RunView({ run, text, byId, levels, colour, names, selected }: { run: Run; text: string; byId: ReadonlyMap<string, UnitSpan>; levels: ReadonlyMap<string, number>; colour: ReadonlyMap<string, string>; names: ReadonlyMap<string, string>; selected: string | null }) {
  if (run.spans.length === 0)
    return (
      <span data-s={run.start} data-e={run.end}>
        {text}
      </span>
    );
  const covering = run.spans.map((id) => byId.get(id)).filter((s): s is UnitSpan => !!s);
  const top = covering[covering.length - 1] as UnitSpan;
  const isSel = selected !== null && run.spans.includes(selected);
  const fill = colour.get((isSel ? (byId.get(selected) as UnitSpan) : top).classId) ?? "#888888";
  // Every covering span draws an underline strip at its level; the fill is the innermost span's colour.
  const shadows = covering.map((s) => `0 ${STRIP * ((levels.get(s.id) ?? 0) + 1)}px 0 0 ${colour.get(s.classId) ?? "#888888"}`);
  const style: CSSProperties = { background: `${fill}${isSel ? "66" : "38"}`, boxShadow: shadows.join(", ") };
  const ending = covering.filter((s) => s.end === run.end);
  const tags = ending.map((s) => {
    const bg = colour.get(s.classId) ?? "#888888";
    return <span key={s.id} className={s.id === selected ? "tx-tag sel" : "tx-tag"} data-id={s.id} data-label={names.get(s.classId) ?? s.classId} style={{ background: bg, color: inkOn(bg) }} />;
  });
  // Tags inside longer spans keep those spans' fill and underlines, so a nested span's tag does not break them.
  const continuing = covering.filter((s) => s.end > run.end);
  const outer = continuing[continuing.length - 1];
  return (
    <>
      <span className={isSel ? "tx-mark sel" : "tx-mark"} data-s={run.start} data-e={run.end} data-ids={run.spans.join(" ")} style={style} title={covering.map((s) => names.get(s.classId) ?? s.classId).join(" · ")}>
        {text}
      </span>
      {tags.length > 0 && outer ? (
        <span className="tx-cont" style={{ background: `${colour.get(outer.classId) ?? "#888888"}38`, boxShadow: continuing.map((s) => `0 ${STRIP * ((levels.get(s.id) ?? 0) + 1)}px 0 0 ${colour.get(s.classId) ?? "#888888"}`).join(", ") }}>
          {tags}
        </span>
      ) : (
        tags
      )}
    </>
  );
}

/** Dark or white text, whichever reads better on the colour "#rrggbb" (WCAG relative luminance). */
export function inkOn(hex: string): string {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex);
  if (!m) return "#fff";
  const n = parseInt(m[1] as string, 16);
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const l = 0.2126 * lin(((n >> 16) & 255) / 255) + 0.7152 * lin(((n >> 8) & 255) / 255) + 0.0722 * lin((n & 255) / 255);
  return l > 0.2 ? "#111" : "#fff";
}

/** UTF-16 index of a DOM position inside the view (runs and chunks carry data-s / data-e). */
export function pointToUnit(node: Node, offset: number): number | null {
  if (node.nodeType === Node.TEXT_NODE) {
    const run = node.parentElement?.closest<HTMLElement>("[data-s]");
    return run ? Number(run.dataset.s) + offset : null;
  }
  const el = node as HTMLElement;
  const kids = el.childNodes;
  for (let i = offset; i < kids.length; i++) {
    const s = startOf(kids[i] as Node);
    if (s !== null) return s;
  }
  const owner = el.closest<HTMLElement>("[data-e]");
  if (owner) return Number(owner.dataset.e);
  const inner = el.querySelectorAll<HTMLElement>("[data-e]");
  const last = inner[inner.length - 1];
  return last ? Number(last.dataset.e) : null;
}

function startOf(n: Node): number | null {
  if (n.nodeType !== Node.ELEMENT_NODE) return null;
  const el = n as HTMLElement;
  if (el.dataset.s !== undefined) return Number(el.dataset.s);
  const inner = el.querySelector<HTMLElement>("[data-s]");
  return inner ? Number(inner.dataset.s) : null;
}
