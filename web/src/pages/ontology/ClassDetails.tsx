import type { ClassTool, OntologyClass, Skeleton } from "../../schema";
import { allQuestionIds, PALETTE, TOOL_LABELS, TOOLS } from "./model";
import { QuestionsEditor } from "./QuestionsEditor";

interface Props {
  cls: OntologyClass;
  /** Saved classes keep their id (changing it would orphan their objects). */
  saved: boolean;
  usedHotkeys: ReadonlySet<string>;
  onChange: (next: OntologyClass) => void;
}

/** One class: name, id, tool, colour, hotkey, the keypoint skeleton, and the per-object questions. */
export function ClassDetails({ cls, saved, usedHotkeys, onChange }: Props) {
  const set = (patch: Partial<OntologyClass>) => onChange({ ...cls, ...patch });
  return (
    <div className="class-details" aria-label={`Class ${cls.name}`}>
      <div className="field-row">
        <label className="grow">
          Name
          <input aria-label="Class name" value={cls.name} onChange={(e) => set({ name: e.target.value })} />
        </label>
        <label>
          Id {saved && <span className="muted">(kept: objects use it)</span>}
          <input className="id-input wide" aria-label="Class id" value={cls.id} readOnly={saved} onChange={(e) => set({ id: e.target.value.trim() })} />
        </label>
      </div>
      <div className="field-row">
        <label>
          Tool
          <select aria-label="Tool" value={cls.tool} onChange={(e) => setTool(cls, e.target.value as ClassTool, onChange)}>
            {TOOLS.map((t) => (
              <option key={t} value={t}>
                {TOOL_LABELS[t]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Hotkey
          <select aria-label="Hotkey" value={cls.hotkey ?? ""} onChange={(e) => set({ hotkey: e.target.value || null })}>
            <option value="">none</option>
            {"123456789".split("").map((k) => (
              <option key={k} value={k} disabled={usedHotkeys.has(k) && cls.hotkey !== k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <div className="color-field">
          <span className="label-text">Colour</span>
          <div className="palette" role="radiogroup" aria-label="Colour">
            {PALETTE.map((c) => (
              <button
                key={c}
                type="button"
                role="radio"
                aria-checked={cls.color.toLowerCase() === c}
                aria-label={c}
                className={cls.color.toLowerCase() === c ? "chip on" : "chip"}
                style={{ background: c }}
                onClick={() => set({ color: c })}
              />
            ))}
            <input type="color" aria-label="Custom colour" value={cls.color} onChange={(e) => set({ color: e.target.value })} title="Custom colour" />
          </div>
        </div>
      </div>
      {cls.tool === "keypoints" && <SkeletonEditor skeleton={cls.skeleton ?? { points: [], edges: [] }} onChange={(skeleton) => set({ skeleton })} />}
      <h3>Questions about each {cls.name || "object"}</h3>
      <QuestionsEditor
        questions={cls.attributes ?? []}
        scopeIds={new Set(allQuestionIds(cls.attributes ?? []))}
        addLabel="Add object question"
        onChange={(attributes) => set({ attributes })}
      />
    </div>
  );
}

function setTool(cls: OntologyClass, tool: ClassTool, onChange: (c: OntologyClass) => void) {
  const next: OntologyClass = { ...cls, tool };
  if (tool === "keypoints") next.skeleton = cls.skeleton ?? { points: ["head", "tail"], edges: [[0, 1]] };
  else delete next.skeleton;
  onChange(next);
}

/** Skeleton points in placing order, and edges between them (shown as "a – b"). */
function SkeletonEditor({ skeleton, onChange }: { skeleton: Skeleton; onChange: (s: Skeleton) => void }) {
  const { points, edges } = skeleton;
  const removePoint = (i: number) =>
    onChange({
      points: points.filter((_, j) => j !== i),
      edges: edges.filter(([a, b]) => a !== i && b !== i).map(([a, b]) => [a > i ? a - 1 : a, b > i ? b - 1 : b]),
    });
  return (
    <fieldset className="skeleton-edit">
      <legend>Skeleton (placed in this order)</legend>
      <ol>
        {points.map((p, i) => (
          <li key={i}>
            <input aria-label={`Keypoint ${i + 1}`} value={p} onChange={(e) => onChange({ points: points.map((x, j) => (j === i ? e.target.value : x)), edges })} />
            <button type="button" className="icon remove" aria-label={`Remove keypoint ${p}`} onClick={() => removePoint(i)}>
              ✕
            </button>
          </li>
        ))}
      </ol>
      <button type="button" className="add-link" onClick={() => onChange({ points: [...points, `point_${points.length + 1}`], edges })}>
        + Add keypoint
      </button>
      <div className="edges">
        <span className="muted small">Edges</span>
        {edges.map(([a, b], k) => (
          <span key={k} className="edge-chip">
            {points[a]} – {points[b]}
            <button type="button" className="icon remove" aria-label={`Remove edge ${points[a] ?? a}-${points[b] ?? b}`} onClick={() => onChange({ points, edges: edges.filter((_, j) => j !== k) })}>
              ✕
            </button>
          </span>
        ))}
        {points.length >= 2 && <EdgeAdder points={points} onAdd={(a, b) => onChange({ points, edges: [...edges, [a, b]] })} />}
      </div>
    </fieldset>
  );
}

function EdgeAdder({ points, onAdd }: { points: string[]; onAdd: (a: number, b: number) => void }) {
  return (
    <form
      className="edge-adder"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const a = Number(f.get("a"));
        const b = Number(f.get("b"));
        if (a !== b) onAdd(a, b);
      }}
    >
      <select name="a" aria-label="Edge from">
        {points.map((p, i) => (
          <option key={i} value={i}>
            {p}
          </option>
        ))}
      </select>
      –
      <select name="b" aria-label="Edge to" defaultValue={1}>
        {points.map((p, i) => (
          <option key={i} value={i}>
            {p}
          </option>
        ))}
      </select>
      <button type="submit">Connect</button>
    </form>
  );
}
