import type { Vec2 } from "../../../geometry";
import type { AnnotationObject, Geometry, GeometryType } from "../../../schema";
import type { ToolPointerEvent } from "../../events";
import type { ToolHost } from "../host";
import { defineTool } from "../machine";
import { movedBeyond } from "../shared/handleDrag";
import type { ToolSpec } from "../types";
import { StateBase } from "../types";
import type { TextSpanContext, TextSpanGeometry } from "./context";
import { isTextSpanObject, spanObjectRuns, spanRange, textSpanContext } from "./context";
import type { CharRange, TextLayer } from "./layer";
import { nearestWord, rangeText, runsContain, selectionBetween } from "./layer";

/** The class kind this tool draws (not one of the image geometry types: spans have no coordinates). */
export const TEXT_SPAN = "text_span" as GeometryType;

/** A drag must start this close (screen pixels) to a word to select text. */
const START_RADIUS_PX = 24;

interface Memo {
  anchor: Vec2 | null;
  downScreen: Vec2;
  /** The span under the pointer when it went down (a click selects it). */
  spanUnder: string | null;
}

type States = "idle" | "selecting";

/** The topmost span of the current page whose highlight contains `p`. */
export function spanAt(host: ToolHost, layer: TextLayer, p: Vec2, spans: readonly AnnotationObject[]): AnnotationObject | null {
  const tolerance = host.screenToAssetDistance(2);
  for (let i = spans.length - 1; i >= 0; i--) {
    const o = spans[i] as AnnotationObject;
    if (runsContain(spanObjectRuns(o, layer), p, tolerance)) return o;
  }
  return null;
}

/** Spans of the current page, bottom to top (the editor is the host). */
function pageSpans(host: ToolHost): AnnotationObject[] {
  const editor = host as ToolHost & { objects?: () => AnnotationObject[] };
  return (editor.objects?.() ?? []).filter(isTextSpanObject);
}

function short(s: string, n = 40): string {
  const flat = s.replace(/\s+/g, " ");
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
}

/**
 * Why span `range` of class `classId` cannot be added (the same span exists, or the ontology forbids
 * overlapping spans and it shares a character with one on this page), or null.
 */
export function refusal(host: ToolHost, layer: TextLayer, range: CharRange, classId: string): string | null {
  for (const o of pageSpans(host)) {
    const g = spanRange(o);
    if (g.start === range.start && g.end === range.end && o.class_id === classId) return "That passage is already a span of this class.";
    if (!host.ontology.allow_overlapping_spans && g.start < range.end && range.start < g.end) {
      return `Spans may not overlap in this project: “${short(rangeText(layer, g.start, g.end) ?? "")}” already covers part of the selection.`;
    }
  }
  return null;
}

abstract class TextState extends StateBase<Memo, States> {
  protected get context(): TextSpanContext | undefined {
    return textSpanContext(this.host);
  }

  protected get layer(): TextLayer | undefined {
    return this.context?.source.get(this.host.page);
  }
}

class Idle extends TextState {
  onPointerDown(e: ToolPointerEvent): void {
    const context = this.context;
    const layer = this.layer;
    if (e.button !== 0 || !context || !layer) return;
    context.message = null;
    this.memo.spanUnder = spanAt(this.host, layer, e.point, pageSpans(this.host))?.id ?? null;
    const near = nearestWord(layer, e.point, this.host.screenToAssetDistance(START_RADIUS_PX)) >= 0;
    this.memo.anchor = near ? e.point : null;
    this.memo.downScreen = e.screen;
    this.transition("selecting");
  }
}

/** Dragging: the selection (whole words; Alt: exact characters) follows the pointer; release adds the span. */
class Selecting extends TextState {
  private moved = false;

  onEnter(): void {
    this.moved = false;
  }

  private selection(e: ToolPointerEvent): CharRange | null {
    const layer = this.layer;
    if (!layer || !this.memo.anchor) return null;
    return selectionBetween(layer, this.memo.anchor, e.point, e.alt);
  }

  onPointerMove(e: ToolPointerEvent): void {
    const context = this.context;
    const cls = this.host.classForTool(TEXT_SPAN);
    if (!context) return;
    this.moved ||= movedBeyond(this.memo.downScreen, e);
    const range = this.moved && cls ? this.selection(e) : null;
    context.preview = range && cls ? { ...range, page: this.host.page, classId: cls.id } : null;
  }

  onPointerUp(e: ToolPointerEvent): void {
    const context = this.context;
    const layer = this.layer;
    if (context) context.preview = null;
    this.moved ||= movedBeyond(this.memo.downScreen, e);
    const cls = this.host.classForTool(TEXT_SPAN);
    const range = this.moved ? this.selection(e) : null;
    if (!this.moved || !range || !cls || !layer) {
      if (!this.moved) this.host.select(this.memo.spanUnder ? [this.memo.spanUnder] : []);
      this.transition("idle");
      return;
    }
    const refused = refusal(this.host, layer, range, cls.id);
    if (refused) {
      if (context) context.message = refused;
    } else {
      const geometry: TextSpanGeometry = { type: "text_span", start: range.start, end: range.end };
      this.host.createObject("Add span", cls.id, geometry as unknown as Geometry);
    }
    this.transition("idle");
  }

  onCancel(): void {
    const context = this.context;
    if (context) context.preview = null;
    this.transition("idle");
  }
}

/** T: drag over a PDF page's text to add a span (whole words; Alt: exact characters); click a span to select it. */
export const textSpanTool: ToolSpec = {
  ...defineTool<Memo, States>({
    id: "text_span",
    label: "Text",
    hotkey: "t",
    serves: [TEXT_SPAN],
    initial: "idle",
    createMemo: () => ({ anchor: null, downScreen: { x: 0, y: 0 }, spanUnder: null }),
    states: { idle: Idle, selecting: Selecting },
  }),
  // Only documents with a text layer (attached by the workbench for PDFs with a text_span class).
  available: (host) => textSpanContext(host) !== undefined,
};

export { attachTextLayers, textSpanContext, isTextSpanObject, spanObjectRuns, spanObjectText, spanRange } from "./context";
export type { TextLayerSource, TextSpanContext, SpanPreview, TextSpanGeometry } from "./context";
export type { TextLayer, TextLayerWord, Box, CharRange } from "./layer";
export { nearestWord, caretAt, selectionBetween, spanRuns, runsContain, rangeText } from "./layer";
