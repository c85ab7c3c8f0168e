import type { Editor } from "../../editor";
import type { AnnotationObject, Geometry, Ontology, OntologyClass } from "../../schema";
import type { OffsetMap } from "./offsets";
import { findOverlap } from "./segments";
import type { UnitSpan } from "./segments";

/** The wire geometry of a span: code-point offsets, `start` inclusive, `end` exclusive. */
export interface TextSpanGeometry {
  type: "text_span";
  start: number;
  end: number;
}

export const isTextSpan = (o: AnnotationObject): boolean => (o.geometry as unknown as { type: string }).type === "text_span";

export const spanGeometry = (o: AnnotationObject): TextSpanGeometry => o.geometry as unknown as TextSpanGeometry;

/** The ontology's span classes, in order (hotkeys 1-9 follow this order when a class has none). */
export function spanClasses(ontology: Ontology): OntologyClass[] {
  return ontology.classes.filter((c) => c.tool === "text_span");
}

/** Hotkey of a span class: its own, else its position (1-9). */
export function classHotkey(classes: readonly OntologyClass[], c: OntologyClass): string {
  if (c.hotkey) return c.hotkey;
  const n = classes.indexOf(c) + 1;
  return n >= 1 && n <= 9 ? String(n) : "";
}

/** The document's spans in UTF-16 indexes of the shown text (for layout and the DOM). */
export function unitSpans(objects: readonly AnnotationObject[], map: OffsetMap): UnitSpan[] {
  return objects.filter(isTextSpan).map((o) => {
    const g = spanGeometry(o);
    return { id: o.id, classId: o.class_id, start: map.toUnit(g.start), end: map.toUnit(g.end) };
  });
}

/** The span's text. */
export function spanText(o: AnnotationObject, map: OffsetMap): string {
  const g = spanGeometry(o);
  return map.text.slice(map.toUnit(g.start), map.toUnit(g.end));
}

export type AddResult = { ok: true; object: AnnotationObject } | { ok: false; message: string };

/**
 * Adds a span of class `classId` over UTF-16 [unitStart, unitEnd) of the text, stored in code
 * points; one undo step. Refused (with the reason) when the ontology forbids overlapping spans and
 * the new one shares a character with an existing span, or when the very same span exists.
 */
export function addSpan(editor: Editor, map: OffsetMap, unitStart: number, unitEnd: number, classId: string): AddResult {
  const start = map.toPoint(unitStart);
  const end = map.toPoint(unitEnd);
  if (end <= start) return { ok: false, message: "Select some text first." };
  const spans = editor.store.all().filter(isTextSpan).map((o) => ({ id: o.id, classId: o.class_id, ...spanGeometry(o) }));
  const same = spans.find((s) => s.start === start && s.end === end && s.classId === classId);
  if (same) return { ok: false, message: `“${map.text.slice(unitStart, unitEnd)}” is already a ${className(editor.ontology, classId)} span.` };
  if (!editor.ontology.allow_overlapping_spans) {
    const hit = findOverlap(spans, start, end);
    if (hit) {
      const text = map.text.slice(map.toUnit(hit.start), map.toUnit(hit.end));
      return { ok: false, message: `Spans may not overlap in this project: “${short(text)}” (${className(editor.ontology, hit.classId)}) already covers part of the selection.` };
    }
  }
  const geometry: TextSpanGeometry = { type: "text_span", start, end };
  return { ok: true, object: editor.createObject("Add span", classId, geometry as unknown as Geometry) };
}

/** Changes the class of span `id` (its attributes are cleared: they belong to the class); one undo step. */
export function changeSpanClass(editor: Editor, id: string, classId: string): void {
  const o = editor.store.get(id);
  if (!o || o.class_id === classId) return;
  editor.commit("Change class", [{ ...o, class_id: classId, attributes: {} }], []);
}

/** Makes `classId` the class for new spans (as in the image editor, a selected span keeps its class: change it in the panel). */
export function pickSpanClass(editor: Editor, classId: string): void {
  editor.activeClassId = classId;
}

export function className(ontology: Ontology, classId: string): string {
  return ontology.classes.find((c) => c.id === classId)?.name ?? classId;
}

export function short(s: string, n = 40): string {
  const flat = s.replace(/\s+/g, " ");
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
}
