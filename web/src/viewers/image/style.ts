import type { AnnotationObject, Ontology } from "../../schema";

export interface ShapeStyle {
  color: string;
  fillOpacity: number;
  strokeWidth: number;
  /** Dashed outline for model suggestions until accepted. */
  dash: number[] | undefined;
}

const FALLBACK_COLOR = "#9aa0a6";

export function classColor(ontology: Ontology, classId: string): string {
  return ontology.classes.find((c) => c.id === classId)?.color ?? FALLBACK_COLOR;
}

/** Calm by default, clearer when hovered, strongest when selected. Widths are screen pixels. */
export function styleFor(ontology: Ontology, o: AnnotationObject, selected: boolean, hovered: boolean): ShapeStyle {
  return {
    color: classColor(ontology, o.class_id),
    fillOpacity: selected ? 0.3 : hovered ? 0.22 : 0.14,
    strokeWidth: selected ? 2.5 : hovered ? 2 : 1.5,
    dash: o.source.kind === "model" ? [6, 4] : undefined,
  };
}

/** "#rrggbb" to [r, g, b]. */
export function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.replace("#", ""), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** "87%" for a model suggestion's confidence, "" otherwise. */
export function confidenceLabel(o: AnnotationObject): string {
  return o.source.kind === "model" && o.confidence !== null ? `${Math.round(o.confidence * 100)}%` : "";
}
