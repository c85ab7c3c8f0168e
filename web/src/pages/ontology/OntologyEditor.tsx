import { useMemo, useState } from "react";
import "./ontology.css";
import type { Project } from "../../api";
import { api, ApiError, must } from "../../api";
import { toOntology } from "../../labeling/loadTask";
import type { Ontology, OntologyClass } from "../../schema";
import { ClassDetails } from "./ClassDetails";
import { MigrationDialog } from "./MigrationDialog";
import type { MigrationPlan, Usage } from "./model";
import { allQuestionIds, makeId, move, newClass, ontologyProblems, parseUsages, TOOL_SHORT } from "./model";
import { Preview } from "./Preview";
import { QuestionsEditor, Reorder } from "./QuestionsEditor";

type Selection = { kind: "class"; index: number } | { kind: "image" };

/**
 * The visual ontology editor: the class list (left), the selected class or the image questions
 * (centre), and the labeler's panel built from the unsaved ontology (right). Saving sends
 * PUT /ontology; a 409 (stored annotations use what the change drops) opens the migration dialog.
 */
export function OntologyEditor({ project, onSaved }: { project: Project; onSaved: () => void }) {
  const saved = useMemo(() => toOntology(project.ontology as Record<string, unknown> | null), [project.ontology]);
  const [draft, setDraft] = useState<Ontology>(saved);
  const [sel, setSel] = useState<Selection>(saved.classes.length ? { kind: "class", index: 0 } : { kind: "image" });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [conflict, setConflict] = useState<{ usage: Usage; error: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const savedIds = useMemo(() => new Set(saved.classes.map((c) => c.id)), [saved]);
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  const problems = ontologyProblems(draft);
  const selected = sel.kind === "class" ? draft.classes[sel.index] : undefined;

  const setClasses = (classes: OntologyClass[]) => setDraft({ ...draft, classes });
  /** New classes take their id from the name until saved ("Traffic light" → traffic_light). */
  const autoId = (name: string, i: number) => makeId(name, new Set(draft.classes.filter((_, j) => j !== i).map((c) => c.id)), `class_${i + 1}`);
  const putClass = (i: number, c: OntologyClass) => setClasses(draft.classes.map((x, j) => (j === i ? c : x)));

  const send = (plan: MigrationPlan | null) => {
    setBusy(true);
    setMessage(null);
    const body = { ontology: draft as unknown as Record<string, unknown>, ...(plan ? { migration: plan as unknown as Record<string, unknown> } : {}) };
    must(api.PUT("/api/v1/projects/{project_id}/ontology", { params: { path: { project_id: project.id } }, body }))
      .then((r) => {
        setBusy(false);
        setConflict(null);
        const migrated = r.migrated_annotations ? ` ${r.migrated_annotations} annotation(s) migrated.` : "";
        setMessage({ ok: true, text: `Saved as version ${r.version}.${migrated}` });
        onSaved();
      })
      .catch((err: unknown) => {
        setBusy(false);
        if (err instanceof ApiError && err.status === 409 && Array.isArray(err.problem.used)) {
          setConflict({ usage: parseUsages(err.problem.used as string[]), error: plan ? err.message : null });
          return;
        }
        const text = err instanceof Error ? err.message : String(err);
        if (conflict) setConflict({ ...conflict, error: text });
        else setMessage({ ok: false, text });
      });
  };

  return (
    <section className="onto" aria-label="Ontology editor">
      <div className="onto-bar">
        <h2>Ontology</h2>
        <span className="muted small">version {project.ontology_version}</span>
        {dirty && <span className="unsaved">Unsaved changes</span>}
        <span className="spacer" />
        {message && <span className={message.ok ? "ok" : "form-error"} role="status">{message.text}</span>}
        <button type="button" disabled={!dirty || busy} onClick={() => (setDraft(saved), setMessage(null))}>
          Discard
        </button>
        <button type="button" className="primary" disabled={!dirty || busy || problems.length > 0} onClick={() => send(null)} title={problems[0] ?? ""}>
          Save ontology
        </button>
      </div>
      {problems.length > 0 && (
        <ul className="onto-problems" role="alert">
          {problems.slice(0, 4).map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="onto-grid">
        <nav className="onto-list" aria-label="Classes">
          <div className="onto-list-head">Classes · {draft.classes.length}</div>
          <ul>
            {draft.classes.map((c, i) => (
              <li key={i} className={sel.kind === "class" && sel.index === i ? "selected" : ""} onClick={() => setSel({ kind: "class", index: i })} data-class={c.id}>
                <span className="swatch" style={{ background: c.color }} />
                <span className="name">{c.name || <i className="muted">unnamed</i>}</span>
                <span className="meta">{TOOL_SHORT[c.tool]}</span>
                <kbd>{c.hotkey ?? ""}</kbd>
                <span onClick={(e) => e.stopPropagation()}>
                  <Reorder
                    label={c.name}
                    i={i}
                    n={draft.classes.length}
                    onMove={(d) => {
                      setClasses(move(draft.classes, i, d));
                      setSel({ kind: "class", index: Math.max(0, Math.min(draft.classes.length - 1, i + d)) });
                    }}
                    onRemove={() => {
                      setClasses(draft.classes.filter((_, j) => j !== i));
                      setSel(draft.classes.length > 1 ? { kind: "class", index: Math.max(0, i - 1) } : { kind: "image" });
                    }}
                  />
                </span>
              </li>
            ))}
          </ul>
          <button type="button" className="add-link" onClick={() => (setClasses([...draft.classes, newClass(draft)]), setSel({ kind: "class", index: draft.classes.length }))}>
            + Add class
          </button>
          <div className="onto-list-head">Whole image</div>
          <ul>
            <li className={sel.kind === "image" ? "selected" : ""} onClick={() => setSel({ kind: "image" })} data-class="__image">
              <span className="name">Image questions</span>
              <span className="meta">{allQuestionIds(draft.classifications).length}</span>
            </li>
          </ul>
        </nav>
        <div className="onto-detail">
          {selected && sel.kind === "class" ? (
            <ClassDetails
              key={sel.index}
              cls={selected}
              saved={savedIds.has(selected.id)}
              usedHotkeys={new Set(draft.classes.map((c) => c.hotkey ?? "").filter(Boolean))}
              onChange={(c) => putClass(sel.index, savedIds.has(selected.id) || c.name === selected.name ? c : { ...c, id: autoId(c.name, sel.index) })}
            />
          ) : (
            <div className="class-details">
              <h3>Questions about the whole image</h3>
              <p className="muted small">Asked once per image. A follow-up question appears only when its option is chosen.</p>
              <QuestionsEditor
                questions={draft.classifications}
                scopeIds={new Set(allQuestionIds(draft.classifications))}
                addLabel="Add image question"
                scopeChoice
                onChange={(classifications) => setDraft({ ...draft, classifications })}
              />
            </div>
          )}
        </div>
        <Preview ontology={draft} classId={selected?.id ?? null} />
      </div>
      {conflict && (
        <MigrationDialog usage={conflict.usage} saved={saved} next={draft} busy={busy} error={conflict.error} onCancel={() => setConflict(null)} onApply={(plan) => send(plan)} />
      )}
    </section>
  );
}
