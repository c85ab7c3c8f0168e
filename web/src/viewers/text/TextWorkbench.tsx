import { useCallback, useEffect, useMemo, useState } from "react";
import { API_BASE } from "../../api";
import { useEditorTick } from "../../app/useEditorTick";
import { Editor } from "../../editor";
import type { Missing } from "../../labeling/actions";
import { goNext, missingRequired, skipTask } from "../../labeling/actions";
import { Dialog } from "../../labeling/Dialog";
import type { EditorMode, LoadedTask } from "../../labeling/loadTask";
import { TopBar } from "../../labeling/TopBar";
import { useActiveTime } from "../../labeling/useActiveTime";
import { useDraftSync, useSyncStatus } from "../../labeling/useDraftSync";
import { taskPosition } from "../../labeling/Workbench";
import { useTheme } from "../../ui/theme";
import { addSpan, classHotkey, isTextSpan, pickSpanClass, spanClasses } from "./model";
import { OffsetMap } from "./offsets";
import { chunkText } from "./segments";
import { TextPanel } from "./TextPanel";
import { TextRail } from "./TextRail";
import { TextView } from "./TextView";
import { snapSelection } from "./words";
import "./text.css";
import type { Notice } from "../../labeling/useTaskActions";
import { useTaskActions } from "../../labeling/useTaskActions";

type TextLoad = { state: "loading" } | { state: "error"; error: string } | { state: "ready"; map: OffsetMap; chunks: [number, number][] };

/** The asset's text (GET /assets/{id}/text, UTF-8), with its code-point map and render chunks. */
function useAssetText(assetId: number): TextLoad {
  const [load, setLoad] = useState<{ assetId: number; load: TextLoad } | null>(null);
  useEffect(() => {
    let live = true;
    const done = (l: TextLoad) => live && setLoad({ assetId, load: l });
    fetch(`${API_BASE}/assets/${assetId}/text`, { credentials: "same-origin" })
      .then(async (r) => {
        if (!r.ok) throw new Error(`The text could not be loaded (HTTP ${r.status}): reload the page.`);
        const text = await r.text();
        done({ state: "ready", map: new OffsetMap(text), chunks: chunkText(text) });
      })
      .catch((e: unknown) => done({ state: "error", error: e instanceof Error ? e.message : String(e) }));
    return () => void (live = false);
  }, [assetId]);
  return load && load.assetId === assetId ? load.load : { state: "loading" };
}

/** Lines of a text (a final line break does not start another line). */
function lineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return text.length === 0 || text.endsWith("\n") ? n : n + 1;
}

function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return !!t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
}

declare global {
  interface Window {
    /** The live text editor and its text, for the browser tests. */
    __labelhubText?: { editor: Editor; map: OffsetMap | null };
  }
}


/**
 * The labeling and review screen for `text` assets (NER): the image editor's document, undo
 * history, draft autosave, active time, submit/skip/review and question forms, with a text view:
 * class list on the left, the document in the middle, spans and questions on the right.
 */
export function TextWorkbench({ task, mode }: { task: LoadedTask; mode: EditorMode }) {
  const { detail, project, ontology } = task;
  const taskId = detail.task.id;
  const editor = useMemo(() => {
    const e = new Editor({ ontology, assetSize: { width: 1, height: 1 }, annotation: structuredClone(task.annotation) });
    const first = spanClasses(ontology)[0];
    if (first) pickSpanClass(e, first.id);
    return e;
  }, [ontology, task.annotation]);
  const classes = useMemo(() => spanClasses(ontology), [ontology]);
  const load = useAssetText(detail.asset.id);
  const map = load.state === "ready" ? load.map : null;
  const sync = useDraftSync(editor, task, mode === "label");
  const syncStatus = useSyncStatus(sync);
  const time = useActiveTime(taskId, detail.active_seconds ?? 0, mode === "label");
  const [notice, setNotice] = useState<Notice>(null);
  const { busy, setBusy, checked, objectComments, setObjectComments, fail, submit, review } = useTaskActions(editor, task, sync, time.timer, setNotice);
  useEditorTick(editor);
  const missing: Missing = checked ? missingRequired(editor, ontology) : { ids: new Set(), text: [] };
  const [dialog, setDialog] = useState<"skip" | "reject" | null>(null);
  const [theme, toggleTheme] = useTheme();

  useEffect(() => {
    window.__labelhubText = { editor, map };
    return () => void (window.__labelhubText = undefined);
  }, [editor, map]);

  const pickClass = useCallback(
    (classId: string) => {
      pickSpanClass(editor, classId);
      editor.notify();
    },
    [editor],
  );

  const onSelectText = useCallback(
    (start: number, end: number, exact: boolean) => {
      if (!map) return;
      const classId = editor.activeClassId;
      if (!classId || !classes.some((c) => c.id === classId)) {
        setNotice({ kind: "error", text: "Choose a class on the left first." });
        return;
      }
      const range = snapSelection(map.text, start, end, !exact);
      if (!range) return;
      const r = addSpan(editor, map, range.start, range.end, classId);
      setNotice(r.ok ? null : { kind: "error", text: r.message });
      editor.notify();
    },
    [editor, map, classes],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialog !== null) return;
      const mod = e.ctrlKey || e.metaKey;
      if (e.key === "Enter" && mod) {
        e.preventDefault();
        if (mode === "label") submit();
        else review("accept", "");
        return;
      }
      if (typing(e)) return;
      const key = e.key.toLowerCase();
      if (mod && (key === "z" || key === "y")) {
        e.preventDefault();
        if (key === "y" || e.shiftKey) editor.redo();
        else editor.undo();
        editor.notify();
        return;
      }
      if (mod || e.altKey) return;
      if (e.key === "Delete" || e.key === "Backspace") {
        e.preventDefault();
        editor.deleteSelected();
        editor.notify();
      } else if (e.key === "Escape") {
        editor.select([]);
        setNotice(null);
        editor.notify();
      } else {
        const cls = classes.find((c) => classHotkey(classes, c) === e.key);
        if (cls) {
          e.preventDefault();
          pickClass(cls.id);
        }
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [submit, review, mode, dialog, editor, classes, pickClass]);

  const spanCount = editor.objects().filter(isTextSpan).length;
  return (
    <div className={`shell tx-shell mode-${mode}`}>
      <TopBar
        editor={editor}
        projectId={project.id}
        title={
          <>
            {project.name} <span className="muted">· {detail.asset.filename}</span>
          </>
        }
        position={taskPosition(project.task_counts)}
        seconds={time.seconds}
        idle={time.idle}
        sync={mode === "label" ? syncStatus : null}
        syncError={sync.error}
        tools={
          <button aria-label={theme === "dark" ? "Light theme" : "Dark theme"} title={theme === "dark" ? "Light theme" : "Dark theme"} onClick={toggleTheme}>
            {theme === "dark" ? "☀" : "☾"}
          </button>
        }
      >
        {mode === "label" ? (
          <>
            <button disabled={busy} onClick={() => setDialog("skip")}>
              Skip
            </button>
            <button className="primary" disabled={busy} onClick={submit} title="Submit (Ctrl+Enter)">
              Submit
            </button>
          </>
        ) : (
          <>
            <span className="badge review">Review</span>
            <button className="danger" disabled={busy} onClick={() => setDialog("reject")}>
              Reject…
            </button>
            <button className="primary" disabled={busy} onClick={() => review("accept", "")} title="Accept (Ctrl+Enter)">
              Accept
            </button>
          </>
        )}
      </TopBar>
      <TextRail editor={editor} classes={classes} onPick={pickClass} />
      <main className="canvas tx-canvas">
        {load.state === "ready" ? (
          <TextView editor={editor} map={load.map} chunks={load.chunks} classes={classes} onSelectText={onSelectText} />
        ) : (
          <div className="tx-loading" role={load.state === "error" ? "alert" : "status"}>
            {load.state === "error" ? load.error : "Loading text…"}
          </div>
        )}
        <div className="tx-status" data-testid="text-status">
          <span>{map ? `${map.length.toLocaleString("en")} characters` : "…"}</span>
          <span>{map ? `${lineCount(map.text).toLocaleString("en")} lines` : ""}</span>
          <span>
            {spanCount} span{spanCount === 1 ? "" : "s"}
          </span>
          <span>{ontology.allow_overlapping_spans ? "overlapping spans allowed" : "spans may not overlap"}</span>
        </div>
        {notice && (
          <div className={`notice ${notice.kind}`} role="alert" onClick={() => setNotice(null)}>
            {notice.text}
          </div>
        )}
      </main>
      <TextPanel
        editor={editor}
        map={map}
        classes={classes}
        mode={mode}
        missing={missing.ids}
        rejections={task.rejections}
        objectComments={objectComments}
        setObjectComment={(id, text) => setObjectComments((c) => ({ ...c, [id]: text }))}
      />
      {dialog === "skip" && (
        <Dialog
          title="Skip this task"
          label="Reason"
          placeholder="e.g. the text is empty or in the wrong language"
          confirm="Skip task"
          onCancel={() => setDialog(null)}
          onConfirm={(reason) => {
            setDialog(null);
            setBusy(true);
            sync.reset();
            skipTask(taskId, reason).then(() => goNext(project.id, "label")).catch(fail);
          }}
        />
      )}
      {dialog === "reject" && (
        <Dialog
          title="Reject and send back"
          label="What should the labeler fix?"
          placeholder="Comment for the labeler"
          confirm="Reject"
          danger
          onCancel={() => setDialog(null)}
          onConfirm={(comment) => {
            setDialog(null);
            review("reject", comment);
          }}
        />
      )}
    </div>
  );
}
