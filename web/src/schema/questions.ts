import type { Answers, AttributeAnswer } from "./annotation";
import type { Issue } from "./issues";
import type { Question } from "./ontology";

/** Is `answer` the right shape for `question` (option ids known, number within [min, max])? */
export function answerIssue(question: Question, answer: AttributeAnswer): string | null {
  const optionIds = new Set((question.options ?? []).map((o) => o.id));
  switch (question.kind) {
    case "radio":
      if (typeof answer !== "string") return "expected one option id";
      return optionIds.has(answer) ? null : `unknown option ${JSON.stringify(answer)}`;
    case "checklist":
      if (!Array.isArray(answer)) return "expected a list of option ids";
      for (const id of answer) if (!optionIds.has(id)) return `unknown option ${JSON.stringify(id)}`;
      return null;
    case "text":
      return typeof answer === "string" ? null : "expected text";
    case "number":
      if (typeof answer !== "number" || !Number.isFinite(answer)) return "expected a number";
      if (question.min != null && answer < question.min) return `expected >= ${question.min}`;
      if (question.max != null && answer > question.max) return `expected <= ${question.max}`;
      return null;
  }
}

function isAnswered(answer: AttributeAnswer | undefined): boolean {
  if (answer === undefined) return false;
  if (typeof answer === "string") return answer.length > 0;
  if (Array.isArray(answer)) return answer.length > 0;
  return true;
}

function chosenOptionIds(answer: AttributeAnswer | undefined): string[] {
  if (typeof answer === "string") return [answer];
  if (Array.isArray(answer)) return answer;
  return [];
}

/**
 * The questions that apply given the current answers: top-level questions plus
 * the nested questions of every chosen option, recursively.
 */
export function activeQuestions(questions: readonly Question[], answers: Answers): Question[] {
  const result: Question[] = [];
  for (const q of questions) {
    result.push(q);
    const chosen = new Set(chosenOptionIds(answers[q.id]));
    for (const option of q.options ?? []) {
      if (chosen.has(option.id) && option.questions) result.push(...activeQuestions(option.questions, answers));
    }
  }
  return result;
}

/** Ids of required questions that apply but have no answer yet (what the form shows as unanswered). */
export function unansweredRequired(questions: readonly Question[], answers: Answers): string[] {
  return activeQuestions(questions, answers)
    .filter((q) => q.required && !isAnswered(answers[q.id]))
    .map((q) => q.id);
}

/** Wrong-shaped answers and answers to questions that do not apply (unknown or inactive). */
export function validateAnswers(questions: readonly Question[], answers: Answers, path: string): Issue[] {
  const active = new Map(activeQuestions(questions, answers).map((q) => [q.id, q]));
  const issues: Issue[] = [];
  for (const [id, answer] of Object.entries(answers)) {
    const question = active.get(id);
    if (!question) {
      issues.push({ path: `${path}.${id}`, message: "answer to an unknown question or one whose parent option is not chosen" });
      continue;
    }
    const problem = answerIssue(question, answer);
    if (problem) issues.push({ path: `${path}.${id}`, message: problem });
  }
  return issues;
}
