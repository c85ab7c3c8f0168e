import type { FormEvent } from "react";
import { useState } from "react";
import type { Project } from "../api";
import { api, must } from "../api";
import { OntologyEditor } from "./ontology/OntologyEditor";

/** Manager-only: name, description, consensus, lease; and the visual ontology editor above them. */
export function SettingsTab({ project, onSaved }: { project: Project; onSaved: () => void }) {
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description);
  const [consensus, setConsensus] = useState(project.consensus);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const save = (e: FormEvent) => {
    e.preventDefault();
    must(api.PATCH("/api/v1/projects/{project_id}", { params: { path: { project_id: project.id } }, body: { name, description, consensus } })).then(
      () => {
        setMessage({ ok: true, text: "Saved." });
        onSaved();
      },
      (err: unknown) => setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) }),
    );
  };
  return (
    <>
    <OntologyEditor project={project} onSaved={onSaved} />
    <section className="card settings">
      <h2>Settings</h2>
      <form className="form-grid" onSubmit={save}>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label>
          Description
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} />
        </label>
        <label>
          Annotations per task (consensus)
          <input type="number" min={1} max={10} value={consensus} onChange={(e) => setConsensus(Number(e.target.value))} />
        </label>
        <div>
          <button className="primary" type="submit">
            Save settings
          </button>
          {message && <span className={message.ok ? "ok" : "form-error"}> {message.text}</span>}
        </div>
      </form>
    </section>
    </>
  );
}
