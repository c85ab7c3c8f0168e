import { useEffect, useMemo, useRef, useState } from "react";
import { useEditorTick } from "../app/useEditorTick";
import type { Editor } from "../editor";
import { assetToScreen } from "../editor";
import type { AssistPort } from "../editor/tools/frameCut";
import { attachAssist } from "../editor/tools/frameCut";
import { classColor } from "../viewers/image";
import type { ProjectModel } from "./assist";
import { attachTaskAssist, loadProjectModels, runDetect, runOcr } from "./assist";
import "./assist.css";

const TOOL_NAMES: Record<string, string> = { frame_cut: "Frame Cut", scissors: "Smart Scissors", detect: "Auto Detect", ocr: "OCR" };

declare global {
  interface Window {
    /** The task's assist port, for the browser tests (busy flags, disabled tools). */
    __labelhubAssist?: AssistPort;
  }
}

/** Gives the editor's assist tools their server for this task (detached when the task changes). */
export function useTaskAssist(editor: Editor, taskId: number): AssistPort {
  const port = useMemo(() => attachTaskAssist(editor, taskId), [editor, taskId]);
  useEffect(() => {
    attachAssist(editor, port);
    window.__labelhubAssist = port;
    return () => {
      attachAssist(editor, null);
      window.__labelhubAssist = undefined;
    };
  }, [editor, port]);
  return port;
}

/**
 * Over the canvas: Frame Cut's clicks (+ green, − red) and the Scissors' anchors, a busy chip
 * while a request is out, the gesture's hint, and the last problem (click to dismiss).
 */
export function AssistOverlay({ editor, port, info, onDismissInfo }: { editor: Editor; port: AssistPort; info: string | null; onDismissInfo: () => void }) {
  useEditorTick(editor);
  const status = port.status;
  const guide = status.guide;
  const busy = Object.keys(TOOL_NAMES).filter((t) => status.isBusy(t));
  const busyText = busy.map((t) => (t === "frame_cut" ? "Frame Cut: cutting out…" : t === "scissors" ? "Smart Scissors: closing…" : t === "detect" ? "Auto Detect: running the model…" : "OCR: reading the page…"));
  const closable = guide?.tool === "scissors" && guide.marks.length >= 3;
  const outline = guide?.outline;
  const outlinePoints = outline ? outline.points.map(([x, y]) => assetToScreen(editor.viewport, { x, y })).map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ") : "";
  const outlineColor = outline ? classColor(editor.ontology, outline.classId) : "";
  // A message about what Auto Detect or OCR did fades after a while; problems stay until dismissed.
  const dismiss = useRef(onDismissInfo);
  useEffect(() => {
    dismiss.current = onDismissInfo;
  });
  useEffect(() => {
    if (!info) return;
    const timer = window.setTimeout(() => dismiss.current(), 8000);
    return () => window.clearTimeout(timer);
  }, [info]);
  return (
    <>
      {outline && outline.points.length >= 2 && (
        <svg className="assist-outline" aria-hidden>
          {outline.closed ? (
            <>
              <polygon points={outlinePoints} className="halo" />
              <polygon points={outlinePoints} style={{ stroke: outlineColor, fill: outlineColor }} className="line" />
            </>
          ) : (
            <>
              <polyline points={outlinePoints} className="halo" />
              <polyline points={outlinePoints} style={{ stroke: outlineColor }} className="line open" />
            </>
          )}
        </svg>
      )}
      {guide && (
        <div className="assist-marks" aria-hidden>
          {guide.marks.map((m, i) => {
            const p = assetToScreen(editor.viewport, m);
            return (
              <span key={i} className={`assist-mark ${m.kind}${m.kind === "first-anchor" && closable ? " closable" : ""}`} style={{ left: p.x, top: p.y }}>
                {m.kind === "positive" ? "+" : m.kind === "negative" ? "−" : ""}
              </span>
            );
          })}
        </div>
      )}
      <div className="assist-status" data-testid="assist-status">
        {busyText.map((text) => (
          <span key={text} className="assist-busy" role="status" data-testid="assist-busy">
            <span className="assist-spinner" aria-hidden />
            {text}
          </span>
        ))}
        {guide && <span className="assist-hint">{guide.hint}</span>}
        {status.message && (
          <button className="assist-error" role="alert" title="Dismiss" onClick={() => (status.dismiss(), editor.notify())}>
            {status.message.text}
          </button>
        )}
        {info && !status.message && (
          <button className="assist-info" role="status" title="Dismiss" onClick={onDismissInfo}>
            {info}
          </button>
        )}
      </div>
    </>
  );
}

/** Top-bar buttons: Auto Detect (the project's attached models) and OCR (when the ontology has a document_region class). */
export function AssistButtons({ editor, port, projectId, taskId, onInfo }: { editor: Editor; port: AssistPort; projectId: number; taskId: number; onInfo: (text: string | null) => void }) {
  useEditorTick(editor);
  const [models, setModels] = useState<ProjectModel[] | null>(null);
  const [modelId, setModelId] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    loadProjectModels(projectId).then(
      (list) => {
        if (!live) return;
        setModels(list);
        setModelId(list[0]?.model_id ?? null);
      },
      () => live && setModels([]),
    );
    return () => void (live = false);
  }, [projectId]);
  const status = port.status;
  const ocrClass = editor.ontology.classes.find((c) => c.tool === "document_region") ?? null;
  const detectOff = status.blocked("detect");
  const ocrOff = status.blocked("ocr");
  const detectTitle =
    detectOff ?? (models === null ? "Loading the project's models…" : models.length === 0 ? "No model is attached to this project (a manager attaches one: PUT /projects/{id}/models/{model_id})" : "Outline the objects of the ontology's classes with the project's model (suggestions to accept or reject)");
  const run = (pending: Promise<string | null>) => {
    onInfo(null);
    void pending.then((text) => text && onInfo(text));
  };
  return (
    <span className="assist-buttons">
      {models !== null && models.length > 1 && (
        <select aria-label="Detection model" value={modelId ?? ""} onChange={(e) => setModelId(Number(e.target.value))}>
          {models.map((m) => (
            <option key={m.model_id} value={m.model_id}>
              {m.name} {m.version}
            </option>
          ))}
        </select>
      )}
      <button
        className="assist-button"
        disabled={!models || models.length === 0 || !!detectOff || status.isBusy("detect")}
        title={detectTitle}
        onClick={() => run(runDetect(editor, taskId, modelId))}
      >
        {status.isBusy("detect") && <span className="assist-spinner" aria-hidden />}Auto Detect
      </button>
      {ocrClass && (
        <button className="assist-button" disabled={!!ocrOff || status.isBusy("ocr")} title={ocrOff ?? `Read the text of this page into "${ocrClass.name}" suggestions (a few seconds a page)`} onClick={() => run(runOcr(editor, taskId, null))}>
          {status.isBusy("ocr") && <span className="assist-spinner" aria-hidden />}OCR
        </button>
      )}
    </span>
  );
}
