import { useEffect, useMemo, useState } from "react";
import "../export/export.css";
import type { Project } from "../../api";
import { api, must } from "../../api";
import { toOntology } from "../../labeling/loadTask";
import { Async, useLoad } from "../../ui/states";
import { jobPercent, jobRunning, useJob } from "../export/useJob";
import { MappingTable } from "./MappingTable";
import type { ImportResult, Mapping } from "./model";
import { IMPORT_HELP, IMPORT_MODES, importSummary, mappingField, unmapped } from "./model";

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Pre-labels and labels from other tools: format, file, mode; Preview (the mapping step), then Import as a job. */
export function AnnotationImport({ project, onImported }: { project: Project; onImported: () => void }) {
  const [formats, reload] = useLoad(() => must(api.GET("/api/v1/formats")).then((f) => f.annotation_importers ?? []), []);
  return (
    <Async value={formats} retry={reload}>
      {(names) => <ImportForm project={project} formats={names} onImported={onImported} />}
    </Async>
  );
}

function ImportForm({ project, formats, onImported }: { project: Project; formats: string[]; onImported: () => void }) {
  const classes = useMemo(() => toOntology(project.ontology as Record<string, unknown> | null).classes, [project.ontology]);
  const [format, setFormat] = useState(formats.includes("coco") ? "coco" : (formats[0] ?? ""));
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<string>("replace");
  const [mapping, setMapping] = useState<Mapping>({});
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [error, setError] = useState<{ title: string; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [jobError, setJobError] = useState<unknown>(null);
  const [job, setJob] = useJob(setJobError);
  const doneId = job?.state === "succeeded" ? job.id : null;
  useEffect(() => {
    if (doneId) onImported();
  }, [doneId, onImported]);

  const form = (f: File) => {
    const fd = new FormData();
    fd.append("file", f, f.name);
    fd.append("format", format);
    fd.append("mode", mode);
    fd.append("mapping", mappingField(preview, mapping));
    return fd;
  };
  const opts = (f: File) => ({ params: { path: { project_id: project.id } }, body: {} as never, bodySerializer: () => form(f) });
  const reset = () => {
    setPreview(null);
    setError(null);
    setJob(null);
  };

  const runPreview = () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setJob(null);
    must(api.POST("/api/v1/projects/{project_id}/annotation-imports/preview", opts(file))).then(
      (r) => {
        setBusy(false);
        setPreview(r);
      },
      (e: unknown) => {
        setBusy(false);
        setPreview(null);
        setError({ title: `The preview of ${file.name} failed`, text: message(e) });
      },
    );
  };
  const runImport = () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    must(api.POST("/api/v1/projects/{project_id}/annotation-imports", opts(file))).then(
      (j) => {
        setBusy(false);
        setJob(j);
      },
      (e: unknown) => {
        setBusy(false);
        setError({ title: `The import of ${file.name} was refused`, text: message(e) });
      },
    );
  };

  const help = IMPORT_HELP[format];
  const missing = preview ? unmapped(preview, mapping) : [];
  const running = busy || jobRunning(job);
  const result = job?.state === "succeeded" ? (job.result as ImportResult | null) : null;
  const pct = jobPercent(job);

  return (
    <section className="card annotation-import">
      <h2>Import annotations</h2>
      <p className="muted small">
        Pre-labels or labels from another tool, matched to this project's images by file name. Preview first: it lists every label and where it goes. Nothing is written until you import.
      </p>
      <div className="export-filters">
        <label>
          Format
          <select name="import-format" value={format} onChange={(e) => (setFormat(e.target.value), reset())}>
            {formats.map((n) => (
              <option key={n} value={n}>
                {IMPORT_HELP[n]?.label ?? n}
              </option>
            ))}
          </select>
          {help && <span className="muted small">{help.help}</span>}
        </label>
        <label>
          File
          <input type="file" name="import-file" accept={help?.accept ?? ".json,.xml,.zip"} onChange={(e) => (setFile(e.target.files?.[0] ?? null), reset())} />
          <span className="muted small">JSON, XML or zip</span>
        </label>
        <fieldset>
          <legend>Mode</legend>
          {IMPORT_MODES.map((m) => (
            <label key={m.id} className="check mode" title={m.help}>
              <input type="radio" name="import-mode" checked={mode === m.id} onChange={() => (setMode(m.id), setJob(null))} />
              <span>
                {m.label} <span className="muted small">— {m.help}</span>
              </span>
            </label>
          ))}
        </fieldset>
      </div>
      <div className="export-actions" style={{ marginTop: 12 }}>
        <button onClick={runPreview} disabled={!file || running}>
          Preview
        </button>
        <button className="primary" onClick={runImport} disabled={!preview || missing.length > 0 || running || result !== null}>
          Import
        </button>
        {preview && missing.length > 0 && <span className="muted small">Choose where {missing.length === 1 ? "the unknown label goes" : `the ${missing.length} unknown labels go`} to import.</span>}
      </div>
      {error && (
        <div className="import-alert" role="alert">
          <strong>{error.title}</strong>
          <p>{error.text}</p>
        </div>
      )}
      {preview && (
        <div className="import-preview" aria-label="Import preview">
          {!result && (
            <p className="small">
              <b>Preview:</b> {importSummary(preview)}
            </p>
          )}
          <MappingTable preview={preview} classes={classes} mapping={mapping} onChange={setMapping} disabled={running || result !== null} />
          <Notes title="file(s) with no image of that name in the project" items={preview.unmatched_files} />
          <Notes title="warning(s)" items={preview.warnings ?? []} />
          <Notes title="not read by this importer" items={preview.skipped ?? []} />
        </div>
      )}
      {jobError !== null && (
        <div className="import-alert" role="alert">
          <strong>Cannot follow the import job</strong>
          <p>{message(jobError)}</p>
        </div>
      )}
      {job && (
        <div className="job" data-state={job.state} aria-live="polite">
          <div className="upload-summary">
            <span>
              Import {job.state}
              {job.progress_total ? ` · ${job.progress_done} of ${job.progress_total} tasks prepared` : ""}
            </span>
            <span className="muted">{pct}%</span>
          </div>
          <div className="bigbar" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
            <span style={{ width: `${pct}%` }} />
          </div>
          {result && (
            <div className="import-result" aria-label="Import result">
              <p className="ok">Imported {importSummary(result)}.</p>
              <Notes title="warning(s)" items={result.warnings ?? []} />
              <Notes title="skipped" items={result.skipped ?? []} />
            </div>
          )}
          {job.state === "failed" && (
            <div className="import-alert" role="alert">
              <strong>The import failed; nothing was written</strong>
              <p>{job.error ?? "No reason given."}</p>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

function Notes({ title, items }: { title: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <details className="report-warnings" open={items.length <= 3}>
      <summary>
        {items.length} {title}
      </summary>
      <ul>
        {items.map((w, i) => (
          <li key={i}>{w}</li>
        ))}
      </ul>
    </details>
  );
}
