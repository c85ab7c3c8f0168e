import type { Answers, AttributeAnswer, Question } from "../schema";
import { activeQuestions } from "../schema";

/**
 * Sets one answer and drops answers to questions that no longer apply (a nested question whose
 * parent option was un-chosen): the server refuses answers to inactive questions.
 */
export function answerAndPrune(questions: readonly Question[], answers: Answers, questionId: string, answer: AttributeAnswer | null): Answers {
  const clear = answer === null || (Array.isArray(answer) && answer.length === 0) || answer === "";
  const next: Answers = Object.fromEntries(Object.entries(answers).filter(([id]) => id !== questionId));
  if (!clear) next[questionId] = answer;
  const active = new Set(activeQuestions(questions, next).map((q) => q.id));
  return Object.fromEntries(Object.entries(next).filter(([id]) => active.has(id)));
}
