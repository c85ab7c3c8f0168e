import { useEffect, useState } from "react";
import type { Job, Project } from "../api";
import { api, API_BASE, must } from "../api";
import { STATE_LABEL } from "../ui/Layout";
import { Async, ErrorState, useLoad } from "../ui/states";

const EXPORT_STATES = ["accepted", "submitted", "in_review", "rejected"] as const;
const FINISHED = new Set(["succeeded", "failed", "cancelled"]);

/** What each format holds, for the choice (names come from GET /formats; unknown ones show no help). */
const FORMAT_HELP: [RegExp, string][] = [
  [/^native$/, "Lossless project archive: ontology history, assets, every revision and review. `labelhub import` reads it back."],
  [/^coco/, "COCO JSON: boxes, polygons, RLE masks and keypoints with categories."],
  [/^yolo/, "YOLO text files, one per image (normalized centre, size; polygons for segmentation variants)."],
  [/^voc/, "Pascal VOC XML, one file per image (boxes)."],
  [/^masks/, "PNG label masks per image (class index per pixel)."],
  [/^classifications/, "Whole-image answers as a table, one row per image."],
  [/^cvat/, "CVAT 1.1 XML."],
  [/^labelstudio/, "Label Studio JSON tasks."],
];
const formatHelp = (name: string) => FORMAT_HELP.find(([re]) => re.test(name))?.[1] ?? "";

/** Choose a format and task states, start an export job, watch its progress, download the file. */
export function ExportTab({ project }: { project: Project }) {
  const [formats, reload] = useLoad(() => must(api.GET("/api/v1/formats")).then((f) => f.exporters ?? []), []);
  const [format, setFormat] = useState<string>("native");
  const [states, setStates] = useState<string[]>(["accepted", "submitted"]);
  const [media, setMedia] = useState(false);
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!job || FINISHED.has(job.state)) return;
    const t = window.setTimeout(() => {
      must(api.GET("/api/v1/jobs/{job_id}", { params: { path: { job_id: job.id } } })).then(setJob, setError);
    }, 500);
    return () => window.clearTimeout(t);
  }, [job]);

  const start = () => {
    setError(null);
    const body = { format, states: states as Job["state"][] as never, include_media: media };
    must(api.POST("/api/v1/projects/{project_id}/exports", { params: { path: { project_id: project.id } }, body })).then(setJob, setError);
  };
  const pct = job?.progress_total ? Math.round((100 * job.progress_done) / job.progress_total) : job?.state === "succeeded" ? 100 : 0;

  return (
    <section className="card export">
      <h2>Export</h2>
      <Async value={formats} retry={reload}>
        {(names) => (
          <div className="form-grid">
            <label>
              Format
              <select name="format" value={format} onChange={(e) => setFormat(e.target.value)}>
                {names.map((n) => (
                  <option key={n}>{n}</option>
                ))}
              </select>
              {formatHelp(format) && <span className="muted small format-help">{formatHelp(format)}</span>}
            </label>
            <fieldset>
              <legend>Tasks in these states</legend>
              {EXPORT_STATES.map((s) => (
                <label key={s} className="check">
                  <input type="checkbox" checked={states.includes(s)} onChange={(e) => setStates(e.target.checked ? [...states, s] : states.filter((x) => x !== s))} />
                  {STATE_LABEL[s]}
                </label>
              ))}
            </fieldset>
            <label className="check">
              <input type="checkbox" checked={media} onChange={(e) => setMedia(e.target.checked)} /> Include the images
            </label>
            <div>
              <button className="primary" onClick={start} disabled={states.length === 0 || (job !== null && !FINISHED.has(job.state))}>
                Start export
              </button>
            </div>
          </div>
        )}
      </Async>
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
          <div className="bigbar">
            <span style={{ width: `${pct}%` }} />
          </div>
          {job.state === "succeeded" && (
            <a className="button primary" href={`${API_BASE}/jobs/${job.id}/download`} download>
              Download
            </a>
          )}
          {job.state === "failed" && <p className="form-error">{job.error ?? "The export failed."}</p>}
        </div>
      )}
    </section>
  );
}
