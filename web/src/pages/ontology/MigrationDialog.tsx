import { useState } from "react";
import type { Ontology } from "../../schema";
import type { ClassFate, MigrationPlan, Usage } from "./model";
import { mapTargets } from "./model";

interface Props {
  usage: Usage;
  saved: Ontology;
  next: Ontology;
  busy: boolean;
  error: string | null;
  onCancel: () => void;
  onApply: (plan: MigrationPlan) => void;
}

/**
 * The server refused the change (409): stored annotations use classes or answers the new version
 * drops. Says which, and asks what becomes of each: objects of a class are mapped to another class
 * of the same tool or deleted; answers to removed questions and options are dropped.
 */
export function MigrationDialog({ usage, saved, next, busy, error, onCancel, onApply }: Props) {
  const [fates, setFates] = useState<Record<string, ClassFate>>(() =>
    Object.fromEntries(
      usage.classes.map(({ id }) => {
        const old = saved.classes.find((c) => c.id === id);
        return [id, mapTargets(next, old?.tool, id)[0]?.id ?? null];
      }),
    ),
  );
  const [drop, setDrop] = useState(false);
  const ready = usage.answers.length === 0 || drop;
  return (
    <div className="modal-backdrop" onClick={onCancel}>
      <div className="modal wide" role="dialog" aria-label="Stored annotations use what you removed" onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.key === "Escape" && onCancel()}>
        <h2>Stored annotations use what you removed</h2>
        <p className="muted">Nothing was saved. Say what becomes of the labels already made, or keep editing.</p>
        {usage.classes.length > 0 && (
          <table className="table migration">
            <thead>
              <tr>
                <th>Class in use</th>
                <th>What becomes of its objects</th>
              </tr>
            </thead>
            <tbody>
              {usage.classes.map(({ id, retooled }) => {
                const old = saved.classes.find((c) => c.id === id);
                const targets = mapTargets(next, old?.tool, id);
                const fate = fates[id] ?? null;
                return (
                  <tr key={id} data-migrate-class={id}>
                    <td>
                      <span className="swatch" style={{ background: old?.color }} /> <b>{old?.name ?? id}</b>
                      <div className="muted small">{retooled ? "tool changed" : "removed"} · {old?.tool}</div>
                    </td>
                    <td>
                      <label className="check">
                        <input type="radio" name={`fate-${id}`} checked={fate !== null} disabled={targets.length === 0} onChange={() => setFates({ ...fates, [id]: targets[0]?.id ?? null })} />
                        Map to
                        <select
                          aria-label={`Map ${id} to`}
                          disabled={targets.length === 0}
                          value={fate ?? ""}
                          onChange={(e) => setFates({ ...fates, [id]: e.target.value })}
                        >
                          {targets.length === 0 && <option value="">no other {old?.tool} class</option>}
                          {targets.map((t) => (
                            <option key={t.id} value={t.id}>
                              {t.name}
                            </option>
                          ))}
                        </select>
                      </label>
                      <label className="check">
                        <input type="radio" name={`fate-${id}`} aria-label={`Delete objects of ${id}`} checked={fate === null} onChange={() => setFates({ ...fates, [id]: null })} />
                        Delete those objects
                      </label>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {usage.answers.length > 0 && (
          <div className="answers-used">
            <b>Answers in use</b>
            <ul>
              {usage.answers.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
            <label className="check">
              <input type="checkbox" checked={drop} onChange={(e) => setDrop(e.target.checked)} />
              Drop these answers from stored annotations
            </label>
          </div>
        )}
        {error && <p className="form-error">{error}</p>}
        <div className="modal-actions">
          <button type="button" onClick={onCancel}>
            Keep editing
          </button>
          <button type="button" className="primary" disabled={!ready || busy} onClick={() => onApply({ class_map: fates, drop_answers: drop })}>
            Migrate and save
          </button>
        </div>
      </div>
    </div>
  );
}
