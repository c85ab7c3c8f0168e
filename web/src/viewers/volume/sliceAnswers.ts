import { answerAndPrune } from "../../labeling/answers";
import type { Answers, AttributeAnswer, Question } from "../../schema";

/** Per-slice answers of a volume: axial slice index k (as a string, like the JSON keys) -> answers. */
export type SliceAnswers = Record<string, Answers>;

/**
 * Sets one answer on slice `k` (dropping follow-up answers that no longer apply) and returns the
 * new record; a slice left without answers is removed, so the body only lists answered slices.
 */
export function setSliceAnswer(all: SliceAnswers, questions: readonly Question[], k: number, questionId: string, answer: AttributeAnswer | null): SliceAnswers {
  const key = String(k);
  const next = answerAndPrune(questions, all[key] ?? {}, questionId, answer);
  const out: SliceAnswers = Object.fromEntries(Object.entries(all).filter(([k]) => k !== key));
  if (Object.keys(next).length > 0) out[key] = next;
  return out;
}

/** Slice indexes with at least one answer, ascending. */
export function answeredSlices(all: SliceAnswers): number[] {
  return Object.entries(all)
    .filter(([, a]) => Object.keys(a).length > 0)
    .map(([k]) => Number(k))
    .sort((x, y) => x - y);
}

/** A short summary of one slice's answers ("nodule, 7"), for the list of answered slices. */
export function sliceSummary(answers: Answers): string {
  return Object.values(answers)
    .map((v) => (Array.isArray(v) ? v.join("+") : String(v)))
    .join(", ");
}
