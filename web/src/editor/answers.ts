import type { Answers, AttributeAnswer } from "../schema";

/** A copy of `answers` with `questionId` set to `answer`, or removed when `answer` is null. */
export function withAnswer(answers: Answers, questionId: string, answer: AttributeAnswer | null): Answers {
  const rest = Object.fromEntries(Object.entries(answers).filter(([id]) => id !== questionId));
  return answer === null ? rest : { ...rest, [questionId]: answer };
}
