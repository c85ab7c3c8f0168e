import type { Question, QuestionKind, QuestionOption } from "../../schema";
import { allQuestionIds, move, newOption, newQuestion, QUESTION_KINDS, withKind } from "./model";

interface Props {
  questions: readonly Question[];
  onChange: (next: Question[]) => void;
  /** Every question id in this scope (ids must be unique across the whole tree). */
  scopeIds: ReadonlySet<string>;
  depth?: number;
  /** Shown on the add button ("Add image question", "Add follow-up question"). */
  addLabel: string;
  /** Top-level classifications: offer "per slice" (volumes; answered per axial slice). */
  scopeChoice?: boolean;
}

const KIND_LABEL: Record<QuestionKind, string> = { radio: "One choice", checklist: "Several choices", text: "Text", number: "Number" };

/** A question tree: each question's kind, required flag, options, and per option the follow-up questions asked when it is chosen. */
export function QuestionsEditor({ questions, onChange, scopeIds, depth = 0, addLabel, scopeChoice = false }: Props) {
  const put = (i: number, q: Question) => onChange(questions.map((x, j) => (j === i ? q : x)));
  return (
    <div className={depth ? "q-edit-list nested" : "q-edit-list"}>
      {questions.map((q, i) => (
        <div className="q-edit" key={i} data-edit-question={q.id}>
          <div className="q-edit-head">
            <input className="q-name" aria-label="Question" value={q.name} onChange={(e) => put(i, { ...q, name: e.target.value })} />
            <select aria-label={`Kind of ${q.name}`} value={q.kind} onChange={(e) => put(i, withKind(q, e.target.value as QuestionKind))}>
              {QUESTION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABEL[k]}
                </option>
              ))}
            </select>
            <label className="check small">
              <input type="checkbox" checked={q.required} onChange={(e) => put(i, { ...q, required: e.target.checked })} />
              Required
            </label>
            {scopeChoice && (
              <select
                aria-label={`Scope of ${q.name}`}
                title="Volumes: a per-slice question is answered for each axial slice (required per-slice questions do not block submit)"
                value={q.scope ?? "asset"}
                onChange={(e) => put(i, e.target.value === "slice" ? { ...q, scope: "slice" } : withoutScope(q))}
              >
                <option value="asset">Per asset</option>
                <option value="slice">Per slice</option>
              </select>
            )}
            <Reorder label={q.name} i={i} n={questions.length} onMove={(d) => onChange(move(questions, i, d))} onRemove={() => onChange(questions.filter((_, j) => j !== i))} />
          </div>
          <div className="q-edit-meta">
            <span className="muted small">id</span>
            <input className="id-input" aria-label={`Id of ${q.name}`} value={q.id} onChange={(e) => put(i, { ...q, id: e.target.value.trim() })} />
            {q.kind === "number" && (
              <>
                <span className="muted small">min</span>
                <input className="num-input" type="number" aria-label={`Minimum of ${q.name}`} value={q.min ?? ""} onChange={(e) => put(i, bound(q, "min", e.target.value))} />
                <span className="muted small">max</span>
                <input className="num-input" type="number" aria-label={`Maximum of ${q.name}`} value={q.max ?? ""} onChange={(e) => put(i, bound(q, "max", e.target.value))} />
              </>
            )}
          </div>
          {(q.kind === "radio" || q.kind === "checklist") && (
            <OptionsEditor q={q} scopeIds={scopeIds} depth={depth} onChange={(options) => put(i, { ...q, options })} />
          )}
        </div>
      ))}
      <button type="button" className="add-link" onClick={() => onChange([...questions, newQuestion(new Set([...scopeIds, ...allQuestionIds(questions)]))])}>
        + {addLabel}
      </button>
    </div>
  );
}

function withoutScope(q: Question): Question {
  return Object.fromEntries(Object.entries(q).filter(([k]) => k !== "scope")) as unknown as Question;
}

function bound(q: Question, key: "min" | "max", raw: string): Question {
  return { ...q, [key]: raw === "" ? null : Number(raw) };
}

function OptionsEditor({ q, scopeIds, depth, onChange }: { q: Question; scopeIds: ReadonlySet<string>; depth: number; onChange: (o: QuestionOption[]) => void }) {
  const options = q.options ?? [];
  const put = (i: number, o: QuestionOption) => onChange(options.map((x, j) => (j === i ? o : x)));
  return (
    <ul className="opt-edit-list">
      {options.map((o, i) => (
        <li key={i} data-edit-option={o.id}>
          <div className="opt-edit">
            <span className={q.kind === "radio" ? "bullet radio" : "bullet box"} aria-hidden />
            <input aria-label={`Option of ${q.name}`} value={o.name} onChange={(e) => put(i, { ...o, name: e.target.value })} />
            <input className="id-input" aria-label={`Id of option ${o.name}`} value={o.id} onChange={(e) => put(i, { ...o, id: e.target.value.trim() })} />
            <Reorder label={o.name} i={i} n={options.length} onMove={(d) => onChange(move(options, i, d))} onRemove={options.length > 1 ? () => onChange(options.filter((_, j) => j !== i)) : null} />
          </div>
          {(o.questions?.length ?? 0) > 0 || depth < 3 ? (
            <QuestionsEditor
              questions={o.questions ?? []}
              scopeIds={scopeIds}
              depth={depth + 1}
              addLabel={`Ask when “${o.name}”`}
              onChange={(qs) => {
                put(i, qs.length ? { ...o, questions: qs } : { id: o.id, name: o.name });
              }}
            />
          ) : null}
        </li>
      ))}
      <li>
        <button type="button" className="add-link" onClick={() => onChange([...options, newOption(q)])}>
          + Add option
        </button>
      </li>
    </ul>
  );
}

export function Reorder({ label, i, n, onMove, onRemove }: { label: string; i: number; n: number; onMove: (delta: number) => void; onRemove: (() => void) | null }) {
  return (
    <span className="reorder">
      <button type="button" className="icon" aria-label={`Move ${label} up`} title="Move up" disabled={i === 0} onClick={() => onMove(-1)}>
        ↑
      </button>
      <button type="button" className="icon" aria-label={`Move ${label} down`} title="Move down" disabled={i === n - 1} onClick={() => onMove(1)}>
        ↓
      </button>
      {onRemove && (
        <button type="button" className="icon remove" aria-label={`Remove ${label}`} title="Remove" onClick={onRemove}>
          ✕
        </button>
      )}
    </span>
  );
}
