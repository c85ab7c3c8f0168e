import type { DragEvent } from "react";
import { useRef, useState } from "react";
import type { Project } from "../api";
import { uploadFile } from "../api";
import { AnnotationImport } from "./import/AnnotationImport";

interface Item {
  file: File;
  state: "waiting" | "uploading" | "done" | "failed";
  loaded: number;
  error?: string;
}

const PARALLEL = 2;

const WHAT = [
  { id: "images", label: "Images" },
  { id: "annotations", label: "Annotations (COCO, YOLO, VOC, Label Studio, CVAT)" },
] as const;

/** Import: images (each becomes a task) or annotations for the project's images (pre-labels, migration). */
export function ImportTab({ project, onImported }: { project: Project; onImported: () => void }) {
  const [what, setWhat] = useState<(typeof WHAT)[number]["id"]>(() => (new URLSearchParams(window.location.search).get("what") === "annotations" ? "annotations" : "images"));
  return (
    <>
      <div className="subtabs" role="tablist" aria-label="What to import">
        {WHAT.map((w) => (
          <button key={w.id} role="tab" aria-selected={what === w.id} onClick={() => setWhat(w.id)}>
            {w.label}
          </button>
        ))}
      </div>
      {what === "images" ? <ImageUpload project={project} onImported={onImported} /> : <AnnotationImport project={project} onImported={onImported} />}
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

  const run = async (files: File[]) => {
    const queue = [...files];
    const worker = async () => {
      for (let f = queue.shift(); f; f = queue.shift()) {
        const file = f;
        patch(file, { state: "uploading", loaded: 0 });
        try {
          await uploadFile(project.id, file, (p) => patch(file, { loaded: p.loaded }));
          patch(file, { state: "done", loaded: file.size });
        } catch (e) {
          patch(file, { state: "failed", error: e instanceof Error ? e.message : String(e) });
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
  const busy = items.some((i) => i.state === "uploading" || i.state === "waiting");
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
        aria-label="Drop images here or click to choose files"
      >
        <strong>Drop images here</strong>
        <span className="muted">or click to choose files — PNG, JPEG, TIFF; one task per image</span>
        <input
          ref={input}
          type="file"
          multiple
          accept="image/*,.tif,.tiff"
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
                <span className="fstate">{i.state === "uploading" ? `${Math.round((100 * i.loaded) / Math.max(1, i.file.size))}%` : i.state}</span>
                {i.error && <span className="ferror">{i.error}</span>}
              </li>
            ))}
          </ul>
          {failed.length > 0 && !busy && (
            <button onClick={retry}>Retry {failed.length} failed</button>
          )}
        </div>
      )}
    </section>
  );
}
