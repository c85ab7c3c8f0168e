import { useCallback, useEffect, useMemo, useState } from "react";
import { api, must } from "../../api";
import { answerAndPrune } from "../../labeling/answers";
import { Dialog } from "../../labeling/Dialog";
import { assetQuestions, sliceQuestions, unansweredRequired } from "../../schema";
import type { AttributeAnswer, Question } from "../../schema";
import { goNext, skipTask } from "../../labeling/actions";
import type { EditorMode, LoadedTask } from "../../labeling/loadTask";
import { SyncBadge } from "../../labeling/TopBar";
import { useActiveTime } from "../../labeling/useActiveTime";
import { useSyncStatus } from "../../labeling/useDraftSync";
import { formatClock } from "../../labeling/activeTime";
import { Link } from "../../ui/router";
import { volumeClasses } from "./document";
import { useVolume } from "./loadVolume";
import { VolumeSession } from "./session";
import { useVolumeDocument } from "./useVolumeDocument";
import { setSliceAnswer } from "./sliceAnswers";
import { useVolumeKeys } from "./useVolumeKeys";
import { VolumePanel } from "./VolumePanel";
import { VolumeRail } from "./VolumeRail";
import { useSessionTick, VolumeViewer } from "./VolumeViewer";

declare global {
  interface Window {
    __labelhubVolume?: VolumeSession;
  }
}

/** The labeling screen for `volume` assets: top bar, tools and classes, three planes, segments and boxes. */
export function VolumeWorkbench({ task, mode }: { task: LoadedTask; mode: EditorMode }) {
  const { detail, project, ontology } = task;
  const taskId = detail.task.id;
  const load = useVolume(detail.asset.id);
  const { masks, boxes, polygons } = useMemo(() => volumeClasses(ontology), [ontology]);
  // Per-volume questions (scope "asset") and per-slice questions (scope "slice", answered per axial slice k).
  const perVolume = useMemo(() => assetQuestions(ontology), [ontology]);
  const perSlice = useMemo(() => sliceQuestions(ontology), [ontology]);
  const session = useMemo(() => {
    if (load.state !== "ready") return null;
    const s = new VolumeSession(load.volume);
    s.boxClasses = boxes.map((c) => c.id);
    s.activeBoxClass = boxes[0]?.id ?? null;
    s.activePolygonClass = polygons[0]?.id ?? null;
    s.polygonColours = new Map(polygons.map((c) => [c.id, c.color]));
    s.tool = masks.length > 0 ? "brush" : "crosshair";
    return s;
  }, [load, boxes, masks, polygons]);
  const doc = useVolumeDocument(session, task, mode === "label");
  const syncStatus = useSyncStatus(doc.sync);
  const time = useActiveTime(taskId, detail.active_seconds ?? 0, mode === "label");
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState<ReadonlySet<string>>(new Set());
  const [rejecting, setRejecting] = useState(false);
  const onAnswer = useCallback(
    (qid: string, answer: AttributeAnswer | null) => {
      doc.setAnswers(answerAndPrune(perVolume, doc.answers, qid, answer));
      setMissing(new Set());
      setNotice(null);
    },
    [doc, perVolume],
  );
  const onSliceAnswer = useCallback(
    (k: number, qid: string, answer: AttributeAnswer | null) => doc.setSliceAnswers(setSliceAnswer(doc.sliceAnswers, perSlice, k, qid, answer)),
    [doc, perSlice],
  );


  useEffect(() => {
    if (!session) return;
    window.__labelhubVolume = session;
    (document.querySelector(".vv-root") as HTMLElement | null)?.focus();
    return () => void (window.__labelhubVolume = undefined);
  }, [session]);

  const fail = (e: unknown) => {
    setBusy(false);
    setNotice(e instanceof Error ? e.message : String(e));
  };
  const submit = useCallback(() => {
    if (busy || !doc.body) return;
    // Required per-slice questions do not block submit: not every slice needs answers.
    const open = unansweredRequired(perVolume, doc.answers);
    if (open.length > 0) {
      setMissing(new Set(open));
      setNotice(`Answer the required questions before submitting: ${open.map((id) => questionName(perVolume, id)).join(", ")}.`);
      return;
    }
    setBusy(true);
    doc.sync.reset();
    const body = doc.body();
    must(
      api.POST("/api/v1/tasks/{task_id}/submit", {
        params: { path: { task_id: taskId } },
        body: { body: body as unknown as Record<string, unknown>, base_revision_id: task.baseRevisionId, active_seconds: Math.min(time.timer.take(), 3600) },
      }),
    )
      .then(() => goNext(project.id, "label"))
      .catch(fail);
  }, [busy, doc, taskId, task.baseRevisionId, time.timer, project.id, perVolume]);
  /** Accept or reject; a reviewer who changed labels or answers sends them as the corrected body. */
  const review = useCallback(
    (decision: "accept" | "reject", comment: string) => {
      setBusy(true);
      const corrected = doc.edited && doc.body ? { body: doc.body() as unknown as Record<string, unknown>, base_revision_id: task.baseRevisionId } : {};
      must(api.POST("/api/v1/tasks/{task_id}/review", { params: { path: { task_id: taskId } }, body: { decision, comment, object_comments: {}, ...corrected } }))
        .then(() => goNext(project.id, "review"))
        .catch(fail);
    },
    [doc, taskId, task.baseRevisionId, project.id],
  );
  useVolumeKeys(session, mode === "label" ? submit : () => review("accept", ""));

  return (
    <div className={`shell mode-${mode}`}>
      <header className="topbar">
        <Link to={`/projects/${project.id}`} className="back" title="Back to the project">
          ‹
        </Link>
        <span className="title">
          {project.name} <span className="muted">· {detail.asset.filename}</span>
        </span>
        <span className="timer">{formatClock(time.seconds)}</span>
        {mode === "label" && <SyncBadge status={syncStatus} error={doc.sync.error} />}
        <span className="spacer" />
        {session && <UndoButtons session={session} />}
        {mode === "label" ? (
          <>
            <button disabled={busy} onClick={() => skipTask(taskId, "skipped in the volume viewer").then(() => goNext(project.id, "label")).catch(fail)}>
              Skip
            </button>
            <button className="primary" disabled={busy || !session} onClick={submit} title="Submit (Ctrl+Enter)">
              Submit
            </button>
          </>
        ) : (
          <>
            <button className="danger" disabled={busy} onClick={() => setRejecting(true)}>
              Reject…
            </button>
            <button className="primary" disabled={busy} onClick={() => review("accept", "")} title={doc.edited ? "Accept with your corrections (Ctrl+Enter)" : "Accept (Ctrl+Enter)"}>
              {doc.edited ? "Accept corrected" : "Accept"}
            </button>
          </>
        )}
      </header>
      {session ? <VolumeRail session={session} masks={masks} boxes={boxes} polygons={polygons} /> : <nav className="rail" />}
      <main className="canvas">
        {session ? <VolumeViewer session={session} /> : <LoadingVolume load={load} />}
        {notice && (
          <div className="notice error" role="alert" onClick={() => setNotice(null)}>
            {notice}
          </div>
        )}
      </main>
      {session ? (
        <VolumePanel
          session={session}
          masks={masks}
          boxes={boxes}
          polygons={polygons}
          counts={doc.counts}
          note={null}
          questions={{ questions: perVolume, answers: doc.answers, onAnswer, missing, readOnly: busy }}
          slices={{ questions: perSlice, all: doc.sliceAnswers, onAnswer: onSliceAnswer, readOnly: busy }}
          rejection={mode === "label" ? (task.rejections[0] ?? null) : null}
        />
      ) : (
        <aside className="panel" />
      )}
      {rejecting && (
        <Dialog title="Reject and send back" label="What should the labeler fix?" placeholder="Comment for the labeler" confirm="Reject" danger onCancel={() => setRejecting(false)} onConfirm={(comment) => {
          setRejecting(false);
          review("reject", comment);
        }} />
      )}
    </div>
  );
}

/** A question's name, searched through nested follow-up questions. */
function questionName(questions: readonly Question[], id: string): string {
  for (const q of questions) {
    if (q.id === id) return q.name;
    for (const o of q.options ?? []) {
      const found = questionName(o.questions ?? [], id);
      if (found !== id) return found;
    }
  }
  return id;
}

function UndoButtons({ session }: { session: VolumeSession }) {
  useSessionTick(session);
  const step = (undo: boolean) => (undo ? session.labels.undo() : session.labels.redo()) && session.documentChanged();
  return (
    <>
      <button disabled={!session.labels.canUndo} title="Undo paint (Ctrl+Z)" aria-label="Undo" onClick={() => step(true)}>
        ↶
      </button>
      <button disabled={!session.labels.canRedo} title="Redo paint (Ctrl+Shift+Z)" aria-label="Redo" onClick={() => step(false)}>
        ↷
      </button>
    </>
  );
}

function LoadingVolume({ load }: { load: ReturnType<typeof useVolume> }) {
  if (load.state === "error")
    return (
      <div className="vv-loading" role="alert">
        {load.error}
      </div>
    );
  if (load.state !== "loading") return null;
  const mb = (n: number) => (n / 1e6).toFixed(1);
  return (
    <div className="vv-loading">
      <span>Loading volume… {load.total ? `${mb(load.received)} of ${mb(load.total)} MB` : ""}</span>
      <progress max={load.total ?? 1} value={load.total ? load.received : undefined} />
    </div>
  );
}
