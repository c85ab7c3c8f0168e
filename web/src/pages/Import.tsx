import type { DragEvent } from "react";
import { useRef, useState } from "react";
import type { Asset, Job, Project } from "../api";
import { api, ApiError, must } from "../api";
import { AnnotationImport } from "./import/AnnotationImport";
import { postFile } from "./import/upload";
import { FINISHED } from "./export/useJob";
import { isDicomUpload, isZip, reportIdOf } from "./privacy/model";
import { DeidSummary } from "./privacy/ReportView";
import { loadQuarantine, QuarantineTab } from "./privacy/Quarantine";
import { navigate, usePath } from "../ui/router";
import { Async, useLoad } from "../ui/states";

interface Item {
  file: File;
  state: "waiting" | "uploading" | "importing" | "done" | "failed";
  loaded: number;
  error?: string;
  /** A zip's import job (polled until it finishes). */
  job?: Job;
  /** The de-identification report this upload produced (DICOM). */
  reportId?: string;
  /** A short note shown after the state ("quarantined", "3 imported"). */
  note?: string;
}

/** Shown per upload: the report cards of the most recent DICOM imports (each upload of a file is its own import). */
const MAX_SUMMARIES = 5;

const PARALLEL = 2;

const WHAT = [
  { id: "images", label: "Images" },
  { id: "annotations", label: "Annotations (COCO, YOLO, VOC, Label Studio, CVAT)" },
  { id: "quarantine", label: "Quarantine" },
] as const;

type What = (typeof WHAT)[number]["id"];
/** The sub-tab lives in the URL (?what=), so links such as "Import → Quarantine" switch it. */
const whatOf = (path: string): What => {
  const w = new URLSearchParams(path.split("?")[1] ?? "").get("what");
  return w === "annotations" || w === "quarantine" ? w : "images";
};

/** Import: images (each becomes a task) or annotations for the project's images (pre-labels, migration). */
export function ImportTab({ project, onImported }: { project: Project; onImported: () => void }) {
  const what = whatOf(usePath());
  const setWhat = (w: What) => navigate(`/projects/${project.id}/import${w === "images" ? "" : `?what=${w}`}`, { replace: true });
  const [held, reloadHeld] = useLoad(() => loadQuarantine(project.id).then((l) => l.length), [project.id]);
  const changed = () => {
    reloadHeld();
    onImported();
  };
  return (
    <>
      <div className="subtabs" role="tablist" aria-label="What to import">
        {WHAT.map((w) => (
          <button key={w.id} role="tab" aria-selected={what === w.id} onClick={() => setWhat(w.id)}>
            {w.label}
            {w.id === "quarantine" && (
              <Async value={held}>{(n) => n > 0 && <span className="count-badge" aria-label={`${n} held`}>{n >= 500 ? "500+" : n}</span>}</Async>
            )}
          </button>
        ))}
      </div>
      {/* Kept mounted: uploads, their progress and report summaries survive a look at the quarantine. */}
      <div hidden={what !== "images"}>
        <ImageUpload project={project} onImported={changed} />
      </div>
      {what === "annotations" && <AnnotationImport project={project} onImported={onImported} />}
      {what === "quarantine" && <QuarantineTab project={project} onDecided={changed} />}
    </>
  );
}

/** Drag-and-drop upload: each file becomes an asset and a task; failures say why and can be retried. */
function ImageUpload({ project, onImported }: { project: Project; onImported: () => void }) {
  const [items, setItems] = useState<Item[]>([]);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const itemsRef = useRef<Item[]>([]);

  const patch = (file: File, p: Partial<Item>) => {
    itemsRef.current = itemsRef.current.map((it) => (it.file === file ? { ...it, ...p } : it));
    setItems(itemsRef.current);
  };

  /** One file, one asset (and a task unless quarantined); a DICOM upload names its de-identification report. */
  const uploadOne = async (file: File) => {
    const asset = await postFile<Asset>(`/projects/${project.id}/assets`, file, (loaded) => patch(file, { loaded: Math.min(loaded, file.size) }));
    let reportId: string | null = null;
    if (isDicomUpload(file.name, asset.mime_type) || asset.kind === "volume") {
      const report = await must(api.GET("/api/v1/assets/{asset_id}/deid-report", { params: { path: { asset_id: asset.id } } })).catch(() => null);
      reportId = reportIdOf({ report: report?.id });
    }
    patch(file, { state: "done", loaded: file.size, note: asset.status === "quarantined" ? "quarantined" : "", ...(reportId ? { reportId } : {}) });
  };

  /** A zip: uploaded, then imported by a job that is polled until it finishes. */
  const importZip = async (file: File) => {
    let job = await postFile<Job>(`/projects/${project.id}/imports`, file, (loaded) => patch(file, { loaded: Math.min(loaded, file.size) }));
    patch(file, { state: "importing", loaded: file.size, job });
    while (!FINISHED.has(job.state)) {
      await new Promise((r) => window.setTimeout(r, 500));
      job = await must(api.GET("/api/v1/jobs/{job_id}", { params: { path: { job_id: job.id } } }));
      patch(file, { job });
    }
    const result = (job.result && typeof job.result === "object" ? job.result : {}) as Record<string, unknown>;
    const reportId = reportIdOf(result);
    const n = (k: string) => (typeof result[k] === "number" ? result[k] : 0);
    if (job.state !== "succeeded") throw new Error(job.error ?? `the import ${job.state}`);
    const note = [`${n("imported")} ready for labeling`, n("duplicates") ? `${n("duplicates")} duplicates` : "", n("quarantined") ? `${n("quarantined")} quarantined` : "", n("failed") ? `${n("failed")} failed` : ""].filter(Boolean).join(" · ");
    const errors = Array.isArray(result.errors) ? (result.errors as { file?: string; error?: string }[]) : [];
    patch(file, { state: "done", note, ...(reportId ? { reportId } : {}), ...(errors.length ? { error: errors.map((x) => `${x.file ?? "?"}: ${x.error ?? "failed"}`).join("; ") } : {}) });
  };

  const run = async (files: File[]) => {
    const queue = [...files];
    const worker = async () => {
      for (let f = queue.shift(); f; f = queue.shift()) {
        const file = f;
        patch(file, { state: "uploading", loaded: 0 });
        try {
          if (isZip(file.name)) await importZip(file);
          else await uploadOne(file);
        } catch (e) {
          const reportId = e instanceof ApiError ? reportIdOf(e.problem) : null;
          patch(file, { state: "failed", error: e instanceof Error ? e.message : String(e), ...(reportId ? { reportId } : {}) });
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    onImported();
  };

  const add = (files: File[]) => {
    if (files.length === 0) return;
    itemsRef.current = [...itemsRef.current, ...files.map((file): Item => ({ file, state: "waiting", loaded: 0 }))];
    setItems(itemsRef.current);
    void run(files);
  };

  const retry = () => {
    const failed = itemsRef.current.filter((i) => i.state === "failed").map((i) => i.file);
    for (const f of failed) patch(f, { state: "waiting", loaded: 0, error: "" });
    void run(failed);
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    add([...e.dataTransfer.files]);
  };

  const total = items.reduce((a, i) => a + i.file.size, 0);
  const loaded = items.reduce((a, i) => a + (i.state === "done" ? i.file.size : i.loaded), 0);
  const done = items.filter((i) => i.state === "done").length;
  const failed = items.filter((i) => i.state === "failed");
  const busy = items.some((i) => i.state === "uploading" || i.state === "waiting" || i.state === "importing");
  const reports = [...new Set(items.flatMap((i) => (i.reportId ? [i.reportId] : [])))].reverse();
  const pct = total ? Math.round((100 * loaded) / total) : 0;

  return (
    <section className="import">
      <div
        className={over ? "dropzone over" : "dropzone"}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        onClick={() => input.current?.click()}
        role="button"
        tabIndex={0}
        aria-label="Drop files here or click to choose files"
      >
        <strong>Drop files here</strong>
        <span className="muted">or click to choose files — PNG, JPEG, TIFF, PDF, text, DICOM (de-identified on upload), NIfTI, or a zip of them; one task per file or series</span>
        <input
          ref={input}
          type="file"
          multiple
          accept="image/*,.tif,.tiff,.pdf,.txt,.dcm,.dicom,.nii,.nii.gz,.gz,.zip,application/dicom,application/zip"
          hidden
          data-testid="file-input"
          onChange={(e) => {
            add([...(e.target.files ?? [])]);
            e.target.value = "";
          }}
        />
      </div>
      {items.length > 0 && (
        <div className="card upload-status" aria-live="polite">
          <div className="upload-summary">
            <span>
              {busy ? "Uploading" : "Uploaded"} {done} of {items.length} files{failed.length > 0 && <b className="bad"> · {failed.length} failed</b>}
            </span>
            <span className="muted">{pct}%</span>
          </div>
          <div className="bigbar" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
            <span style={{ width: `${pct}%` }} />
          </div>
          <ul className="file-list">
            {items.map((i, n) => (
              <li key={n} className={`file ${i.state}`}>
                <span className="fname">{i.file.name}</span>
                <span className="muted">{(i.file.size / 1024).toFixed(0)} kB</span>
                <span className="fstate">
                  {i.state === "uploading"
                    ? `${Math.round((100 * i.loaded) / Math.max(1, i.file.size))}%`
                    : i.state === "importing" && i.job
                      ? `importing ${i.job.progress_done}${i.job.progress_total ? ` of ${i.job.progress_total}` : ""}`
                      : i.state}
                </span>
                {i.note && <span className="fnote">{i.note}</span>}
                {i.error && <span className="ferror">{i.error}</span>}
              </li>
            ))}
          </ul>
          {failed.length > 0 && !busy && (
            <button onClick={retry}>Retry {failed.length} failed</button>
          )}
        </div>
      )}
      {reports.slice(0, MAX_SUMMARIES).map((id) => (
        <DeidSummary key={id} projectId={project.id} reportId={id} />
      ))}
      {reports.length > MAX_SUMMARIES && <p className="small muted">and {reports.length - MAX_SUMMARIES} more de-identification reports (one per uploaded DICOM file; upload a zip for one report per batch).</p>}
    </section>
  );
}
