import type { Geometry } from "./geometry";

/** radio: option id; checklist: option ids; text: string; number: number. */
export type AttributeAnswer = string | string[] | number;

/** Answers keyed by question id. */
export type Answers = Record<string, AttributeAnswer>;

export type ObjectSource =
  | { kind: "human" }
  | { kind: "model"; name: string; version: string }
  | { kind: "import"; name: string };

export interface AnnotationObject {
  id: string;
  class_id: string;
  /** Page (or frame) index inside a multi-page asset; 0 for single images. */
  page: number;
  geometry: Geometry;
  attributes: Answers;
  source: ObjectSource;
  /** Model confidence in [0, 1]; null for human objects. */
  confidence: number | null;
  /** The model suggestion this human object was accepted or edited from (its id). */
  derived_from?: string;
}

export interface Annotation {
  objects: AnnotationObject[];
  /** Whole-asset classification answers keyed by question id. */
  classifications: Answers;
  /** Volumes only: answers to the slice-scope questions per axial slice index k ("0", "1", ...). */
  slice_classifications?: Record<string, Answers>;
}

export function emptyAnnotation(): Annotation {
  return { objects: [], classifications: {} };
}
