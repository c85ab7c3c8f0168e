import type { GeometryType } from "./geometry";

export type QuestionKind = "radio" | "checklist" | "text" | "number";

export interface QuestionOption {
  id: string;
  name: string;
  /** Asked only when this option is chosen. */
  questions?: Question[];
}

export interface Question {
  id: string;
  name: string;
  kind: QuestionKind;
  required: boolean;
  /** Bounds for "number" answers (inclusive). */
  min?: number | null;
  max?: number | null;
  options?: QuestionOption[];
  /**
   * Top-level classifications only: "asset" (default) is answered once per asset in
   * `classifications`; "slice" per axial slice of a volume in `slice_classifications`.
   */
  scope?: QuestionScope;
}

export type QuestionScope = "asset" | "slice";

/** Class tools: image geometries plus tools handled by other viewers. */
export type ClassTool =
  | GeometryType
  | "text_span"
  | "document_region"
  | "volume_mask"
  | "volume_box"
  | "volume_polygon";

export interface Skeleton {
  /** Point names, in the order the keypoints tool places them. */
  points: string[];
  /** Index pairs into `points`. */
  edges: [number, number][];
}

export interface OntologyClass {
  id: string;
  name: string;
  tool: ClassTool;
  /** "#rrggbb" */
  color: string;
  hotkey?: string | null;
  skeleton?: Skeleton | null;
  attributes?: Question[];
}

export interface Ontology {
  classes: OntologyClass[];
  classifications: Question[];
  allow_overlapping_spans: boolean;
}

/** Top-level classifications answered once per asset (scope "asset" or none). */
export function assetQuestions(ontology: Pick<Ontology, "classifications">): Question[] {
  return ontology.classifications.filter((q) => (q.scope ?? "asset") === "asset");
}

/** Top-level classifications answered per axial slice of a volume (scope "slice"). */
export function sliceQuestions(ontology: Pick<Ontology, "classifications">): Question[] {
  return ontology.classifications.filter((q) => q.scope === "slice");
}
