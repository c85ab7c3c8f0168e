import type { Answers, AttributeAnswer, Question } from "../schema";

interface Props {
  questions: readonly Question[];
  answers: Answers;
  onAnswer: (questionId: string, answer: AttributeAnswer | null) => void;
  /** Required questions still open are flagged (after a refused submit, in red). */
  missing?: ReadonlySet<string>;
  depth?: number;
}

/** Nested classification questions; an option's follow-up questions appear when it is chosen. */
export function QuestionForm({ questions, answers, onAnswer, missing, depth = 0 }: Props) {
  return (
    <div className={depth ? "questions nested" : "questions"}>
      {questions.map((q) => {
        const answer = answers[q.id];
        const chosen = typeof answer === "string" ? [answer] : Array.isArray(answer) ? answer : [];
        const open = q.required && (answer === undefined || answer === "" || (Array.isArray(answer) && answer.length === 0));
        return (
          <div key={q.id} className={["question", open ? "open" : "", missing?.has(q.id) ? "missing" : ""].join(" ")} data-question={q.id}>
            <div className="q-label">
              {q.name}
              {q.required && <span className="req" title="Required">{open ? " · required" : " ✓"}</span>}
            </div>
            <QuestionInput q={q} answer={answer} chosen={chosen} onAnswer={onAnswer} />
            {(q.options ?? [])
              .filter((o) => chosen.includes(o.id) && o.questions?.length)
              .map((o) => (
                <QuestionForm key={o.id} questions={o.questions ?? []} answers={answers} onAnswer={onAnswer} depth={depth + 1} {...(missing ? { missing } : {})} />
              ))}
          </div>
        );
      })}
    </div>
  );
}

function QuestionInput({ q, answer, chosen, onAnswer }: { q: Question; answer: AttributeAnswer | undefined; chosen: string[]; onAnswer: Props["onAnswer"] }) {
  switch (q.kind) {
    case "radio":
      return (
        <div className="options" role="radiogroup" aria-label={q.name}>
          {(q.options ?? []).map((o) => (
            <button
              key={o.id}
              type="button"
              role="radio"
              aria-checked={chosen.includes(o.id)}
              className={chosen.includes(o.id) ? "opt on" : "opt"}
              onClick={() => onAnswer(q.id, chosen.includes(o.id) ? null : o.id)}
            >
              {o.name}
            </button>
          ))}
        </div>
      );
    case "checklist":
      return (
        <div className="options column">
          {(q.options ?? []).map((o) => (
            <label key={o.id} className="check">
              <input
                type="checkbox"
                checked={chosen.includes(o.id)}
                onChange={(e) => onAnswer(q.id, e.target.checked ? [...chosen, o.id] : chosen.filter((c) => c !== o.id))}
              />
              {o.name}
            </label>
          ))}
        </div>
      );
    case "text":
      return <input aria-label={q.name} value={typeof answer === "string" ? answer : ""} onChange={(e) => onAnswer(q.id, e.target.value || null)} />;
    case "number":
      return (
        <input
          aria-label={q.name}
          type="number"
          min={q.min ?? undefined}
          max={q.max ?? undefined}
          value={typeof answer === "number" ? answer : ""}
          onChange={(e) => onAnswer(q.id, e.target.value === "" ? null : Number(e.target.value))}
        />
      );
  }
}
