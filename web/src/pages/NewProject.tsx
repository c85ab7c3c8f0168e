import type { FormEvent } from "react";
import { useState } from "react";
import { api, must } from "../api";
import { navigate } from "../ui/router";

const TOOLS = ["bbox", "rotated_bbox", "polygon", "polyline", "point", "keypoints", "ellipse", "cuboid", "mask"] as const;
/** Okabe–Ito-like palette: distinguishable for colour-blind users on dark and light backgrounds. */
export const PALETTE = ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#999999", "#44aa99"];

interface ClassRow {
  name: string;
  tool: (typeof TOOLS)[number];
  color: string;
}

function slug(name: string, i: number): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "") || `class_${i + 1}`;
}

/** Create a project: name plus a small visual class list (tool and colour per class; hotkeys 1–9 in order). */
export function NewProject({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState("");
  const [rows, setRows] = useState<ClassRow[]>([{ name: "", tool: "bbox", color: PALETTE[0] as string }]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const update = (i: number, patch: Partial<ClassRow>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const classes = rows
      .filter((r) => r.name.trim())
      .map((r, i) => ({ id: slug(r.name, i), name: r.name.trim(), tool: r.tool, color: r.color, ...(i < 9 ? { hotkey: String(i + 1) } : {}) }));
    must(api.POST("/api/v1/projects", { body: { name, ontology: { classes, classifications: [] } } })).then(
      (p) => {
        onCreated();
        navigate(`/projects/${p.id}/import`);
      },
      (err: unknown) => {
        setError(err instanceof Error ? err.message : String(err));
        setBusy(false);
      },
    );
  };
  return (
    <form className="card new-project" onSubmit={submit} aria-label="New project">
      <h2>New project</h2>
      <label>
        Name
        <input name="project-name" value={name} onChange={(e) => setName(e.target.value)} required placeholder="e.g. Chest X-ray nodules" />
      </label>
      <fieldset>
        <legend>Classes</legend>
        {rows.map((r, i) => (
          <div className="class-row" key={i}>
            <span className="hotkey-badge" title="Hotkey">{i < 9 ? i + 1 : ""}</span>
            <input type="color" aria-label={`Colour of class ${i + 1}`} value={r.color} onChange={(e) => update(i, { color: e.target.value })} />
            <input aria-label={`Name of class ${i + 1}`} value={r.name} placeholder="Class name" onChange={(e) => update(i, { name: e.target.value })} />
            <select aria-label={`Tool of class ${i + 1}`} value={r.tool} onChange={(e) => update(i, { tool: e.target.value as ClassRow["tool"] })}>
              {TOOLS.map((t) => (
                <option key={t} value={t}>
                  {t.replace("_", " ")}
                </option>
              ))}
            </select>
            <button type="button" title="Remove class" disabled={rows.length === 1} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
              ×
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setRows([...rows, { name: "", tool: "bbox", color: PALETTE[rows.length % PALETTE.length] as string }])}>
          + Add class
        </button>
      </fieldset>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button className="primary" type="submit" disabled={busy}>
        {busy ? "Creating…" : "Create project"}
      </button>
    </form>
  );
}
