import { useEffect, useState } from "react";
import type { Member, Project } from "../../api";
import { api, API_BASE, must } from "../../api";
import type { OntologyClass } from "../../schema";
import { STATE_LABEL } from "../../ui/Layout";
import { ErrorState } from "../../ui/states";
import { ExportReport } from "./ExportReport";
import type { ExportChoice, SplitName } from "./model";
import { checkSplit, DEFAULT_SPLIT, EXPORT_STATES, exportBody, exportProblem, formatHelp, SPLIT_NAMES } from "./model";
import { jobPercent, jobRunning, useJob } from "./useJob";

const toggle = (list: string[], value: string, on: boolean) => (on ? [...list, value] : list.filter((x) => x !== value));

/** The export options, the running job's progress, and its report and download when it is done. */
export function ExportForm(props: { project: Project; formats: string[]; classes: OntologyClass[]; members: Member[]; onDone: () => void }) {
  const { project, formats, classes, members, onDone } = props;
  const [c, setChoice] = useState<ExportChoice>({
    format: formats.includes("native") ? "native" : (formats[0] ?? ""),
    states: ["accepted", "submitted"],
    classes: [],
    labelers: [],
    splitOn: false,
    split: DEFAULT_SPLIT,
    seed: "0",
    media: false,
  });
  const set = (p: Partial<ExportChoice>) => setChoice({ ...c, ...p });
  const [error, setError] = useState<unknown>(null);
  const [job, setJob] = useJob(setError);
  const doneId = job?.state === "succeeded" ? job.id : null;
  useEffect(() => {
    if (doneId) onDone();
  }, [doneId, onDone]);

  const problem = exportProblem(c);
  const splitCheck = c.splitOn ? checkSplit(c.split) : null;
  const start = () => {
    setError(null);
    const body = exportBody(c);
    must(api.POST("/api/v1/projects/{project_id}/exports", { params: { path: { project_id: project.id } }, body: body as never })).then(setJob, setError);
  };
  const pct = jobPercent(job);
  const help = formatHelp(c.format);

  return (
    <section className="card export">
      <h2>Export</h2>
      <div className="export-form">
        <label className="export-format">
          Format
          <select name="format" value={c.format} onChange={(e) => set({ format: e.target.value })}>
            {formats.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
          {help && <span className="muted small format-help">{help}</span>}
        </label>
        <div className="export-filters">
          <fieldset>
            <legend>Tasks in these states</legend>
            {EXPORT_STATES.map((s) => (
              <label key={s} className="check">
                <input type="checkbox" checked={c.states.includes(s)} onChange={(e) => set({ states: toggle(c.states, s, e.target.checked) })} />
                {STATE_LABEL[s]}
              </label>
            ))}
          </fieldset>
          <fieldset className="pick-list" aria-label="Classes">
            <legend>Classes {c.classes.length ? `(${c.classes.length} of ${classes.length})` : "(all)"}</legend>
            {classes.length === 0 && <span className="muted small">The ontology has no classes.</span>}
            {classes.map((k) => (
              <label key={k.id} className="check">
                <input type="checkbox" checked={c.classes.includes(k.id)} onChange={(e) => set({ classes: toggle(c.classes, k.id, e.target.checked) })} />
                <span className="dot" style={{ background: k.color }} />
                {k.name}
                {k.name !== k.id && <span className="muted small">{k.id}</span>}
              </label>
            ))}
            <span className="muted small hint">None ticked: every class. Images are kept either way.</span>
          </fieldset>
          <fieldset className="pick-list" aria-label="Labelers">
            <legend>Labelers {c.labelers.length ? `(${c.labelers.length} of ${members.length})` : "(all)"}</legend>
            {members.map((m) => (
              <label key={m.user_id} className="check">
                <input type="checkbox" checked={c.labelers.includes(m.username)} onChange={(e) => set({ labelers: toggle(c.labelers, m.username, e.target.checked) })} />
                {m.display_name || m.username}
                {m.display_name && m.display_name !== m.username && <span className="muted small">@{m.username}</span>}
                <span className={`role role-${m.role}`}>{m.role}</span>
              </label>
            ))}
            <span className="muted small hint">Only tasks whose current revision they wrote.</span>
          </fieldset>
        </div>
        <div className="export-filters two">
          <fieldset className="split">
            <legend>
              <label className="check">
                <input type="checkbox" name="split-on" checked={c.splitOn} onChange={(e) => set({ splitOn: e.target.checked })} /> Split into train / val / test
              </label>
            </legend>
            <div className="split-row">
              {SPLIT_NAMES.map((n: SplitName) => (
                <label key={n}>
                  {n}
                  <input
                    name={`split-${n}`}
                    inputMode="decimal"
                    disabled={!c.splitOn}
                    value={c.split[n]}
                    aria-invalid={splitCheck !== null && !splitCheck.ok}
                    onChange={(e) => set({ split: { ...c.split, [n]: e.target.value } })}
                  />
                </label>
              ))}
              <label>
                seed
                <input name="seed" inputMode="numeric" disabled={!c.splitOn} value={c.seed} onChange={(e) => set({ seed: e.target.value })} />
              </label>
            </div>
            {splitCheck && !splitCheck.ok ? (
              <span className="form-error small" role="alert">
                {splitCheck.message}
              </span>
            ) : (
              <span className="muted small">A ratio of 0 leaves that split out. The same seed and filter give the same split.</span>
            )}
          </fieldset>
          <fieldset>
            <legend>Media</legend>
            <label className="check">
              <input type="radio" name="media" checked={c.media} onChange={() => set({ media: true })} /> Include the images in the archive
            </label>
            <label className="check">
              <input type="radio" name="media" checked={!c.media} onChange={() => set({ media: false })} /> References only (file names)
            </label>
          </fieldset>
        </div>
        <div className="export-actions">
          <button className="primary" onClick={start} disabled={problem !== null || jobRunning(job)}>
            Start export
          </button>
          {problem && !(splitCheck && !splitCheck.ok) && <span className="muted small">{problem}</span>}
        </div>
      </div>
      {error !== null && <ErrorState error={error} retry={start} />}
      {job && (
        <div className="job" data-state={job.state} aria-live="polite">
          <div className="upload-summary">
            <span>
              Export {job.state}
              {job.progress_total ? ` · ${job.progress_done} of ${job.progress_total} tasks` : ""}
            </span>
            <span className="muted">{pct}%</span>
          </div>
          <div className="bigbar" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
            <span style={{ width: `${pct}%` }} />
          </div>
          {job.state === "succeeded" && (
            <>
              <a className="button primary" href={`${API_BASE}/jobs/${job.id}/download`} download>
                Download
              </a>
              <ExportReport result={job.result} />
            </>
          )}
          {job.state === "failed" && <p className="form-error">{job.error ?? "The export failed."}</p>}
        </div>
      )}
    </section>
  );
}
