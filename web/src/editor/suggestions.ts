import type { AnnotationObject } from "../schema";

/**
 * A model suggestion the labeler accepted or edited becomes a human object that names the
 * suggestion in `derived_from` (the server compares both to measure AI utilization).
 * Human objects come back unchanged.
 */
export function acceptSuggestion(o: AnnotationObject): AnnotationObject {
  if (o.source.kind !== "model") return o;
  return { ...o, source: { kind: "human" }, confidence: null, derived_from: o.derived_from ?? o.id };
}

export function isSuggestion(o: AnnotationObject): boolean {
  return o.source.kind === "model";
}
