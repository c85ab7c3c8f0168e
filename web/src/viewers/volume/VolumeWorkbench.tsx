import { useCallback, useEffect, useMemo, useState } from "react";
import { api, must } from "../../api";
import { goNext, skipTask, decide } from "../../labeling/actions";
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
  const { masks, boxes } = useMemo(() => volumeClasses(ontology), [ontology]);
  const session = useMemo(() => {
    if (load.state !== "ready") return null;
    const s = new VolumeSession(load.volume);
    s.boxClasses = boxes.map((c) => c.id);
    s.activeBoxClass = boxes[0]?.id ?? null;
    s.tool = masks.length > 0 ? "brush" : "crosshair";
    return s;
  }, [load, boxes, masks]);
  const doc = useVolumeDocument(session, task, mode === "label");
  const syncStatus = useSyncStatus(doc.sync);
  const time = useActiveTime(taskId, detail.active_seconds ?? 0, mode === "label");
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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
  }, [busy, doc, taskId, task.baseRevisionId, time.timer, project.id]);
  useVolumeKeys(session, mode === "label" ? submit : () => void decide(taskId, "accept", "", {}, null).then(() => goNext(project.id, "review")).catch(fail));

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
          <button className="primary" disabled={busy} onClick={() => decide(taskId, "accept", "", {}, null).then(() => goNext(project.id, "review")).catch(fail)}>
            Accept
          </button>
        )}
      </header>
      {session ? <VolumeRail session={session} masks={masks} boxes={boxes} /> : <nav className="rail" />}
      <main className="canvas">
        {session ? <VolumeViewer session={session} /> : <LoadingVolume load={load} />}
        {notice && (
          <div className="notice error" role="alert" onClick={() => setNotice(null)}>
            {notice}
          </div>
        )}
      </main>
      {session ? <VolumePanel session={session} masks={masks} boxes={boxes} counts={doc.counts} note={null} /> : <aside className="panel" />}
    </div>
  );
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
