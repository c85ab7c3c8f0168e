import type { AnnotationObject } from "../../../schema";
import type { Box, CharRange, TextLayer } from "./layer";
import { rangeText, spanRuns } from "./layer";

/** Where the text span tool gets a page's text layer: undefined until loaded (asking starts the load, once). */
export interface TextLayerSource {
  get(page: number): TextLayer | undefined;
}

/** The drag in progress, drawn by the viewer as a dashed highlight. */
export interface SpanPreview extends CharRange {
  page: number;
  classId: string;
}

/**
 * What the text span tool shares with the viewer and the panels of one editor: the text layers
 * (only PDFs with a text_span class have them; without, the tool is not offered), the drag preview,
 * and a message when a selection was refused.
 */
export interface TextSpanContext {
  readonly source: TextLayerSource;
  preview: SpanPreview | null;
  message: string | null;
}

const contexts = new WeakMap<object, TextSpanContext>();

/** Gives `editor` text layers: the text span tool is offered and spans are drawn over the page. */
export function attachTextLayers(editor: object, source: TextLayerSource): TextSpanContext {
  const context: TextSpanContext = { source, preview: null, message: null };
  contexts.set(editor, context);
  return context;
}

export function textSpanContext(editor: object): TextSpanContext | undefined {
  return contexts.get(editor);
}

/** The wire geometry of a span: code points of its page's text layer, end exclusive. */
export interface TextSpanGeometry {
  type: "text_span";
  start: number;
  end: number;
}

export const isTextSpanObject = (o: AnnotationObject): boolean => (o.geometry as unknown as { type: string }).type === "text_span";

export const spanRange = (o: AnnotationObject): TextSpanGeometry => o.geometry as unknown as TextSpanGeometry;

const runCache = new WeakMap<AnnotationObject, { layer: TextLayer; runs: Box[] }>();

/** The highlight rectangles of span object `o` on `layer`, computed once per object version and layer. */
export function spanObjectRuns(o: AnnotationObject, layer: TextLayer): Box[] {
  const hit = runCache.get(o);
  if (hit && hit.layer === layer) return hit.runs;
  const g = spanRange(o);
  const runs = spanRuns(layer, g.start, g.end);
  runCache.set(o, { layer, runs });
  return runs;
}

/** The text a span object covers, from its page's text layer; null while the layer loads (or for other objects). */
export function spanObjectText(editor: object, o: AnnotationObject): string | null {
  if (!isTextSpanObject(o)) return null;
  const layer = contexts.get(editor)?.source.get(o.page);
  if (!layer) return null;
  const g = spanRange(o);
  return rangeText(layer, g.start, g.end);
}
