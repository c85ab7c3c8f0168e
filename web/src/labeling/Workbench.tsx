import type { CSSProperties } from "react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ToolRail } from "../app/ToolRail";
import { useEditorChannels } from "../app/useEditorTick";
import { Clipboard, Editor } from "../editor";
import type { Viewport } from "../editor";
import { useTheme } from "../ui/theme";
import { ImageViewerView } from "../viewers/image";
import { useTextLayers } from "../viewers/image/textLayer";
import type { Missing } from "./actions";
import { goNext, missingRequired, skipTask } from "./actions";
import type { EditorMode, LoadedTask } from "./loadTask";
import { loadImage, pageImageUrl, pageScale } from "./loadTask";
import { SidePanel } from "./SidePanel";
import { TopBar } from "./TopBar";
import { useActiveTime } from "./useActiveTime";
import { useDraftSync, useSyncStatus } from "./useDraftSync";
import { Dialog } from "./Dialog";
import { PageStrip } from "./PageStrip";
import { ShortcutOverlay } from "./ShortcutOverlay";
import { SuggestionTags } from "./SuggestionTags";
import { AssistButtons, AssistOverlay, useTaskAssist } from "./assistPanel";
import { GammaFilter, imageFilter, useImageAdjust, ViewControls } from "./ViewControls";
import type { Notice } from "./useTaskActions";
import { useTaskActions } from "./useTaskActions";

/** One clipboard for every task opened in this tab: copy on one task, paste on the next. */
const clipboard = new Clipboard();

/** "12 of 3,400": this task's place among all of the project's tasks (the ones finished, plus this one). */
export function taskPosition(counts: Record<string, number> | undefined): string {
  const total = Object.values(counts ?? {}).reduce((a, b) => a + b, 0);
  const finished = (counts?.accepted ?? 0) + (counts?.submitted ?? 0) + (counts?.in_review ?? 0);
  return `${Math.min(total, finished + 1).toLocaleString("en")} of ${total.toLocaleString("en")}`;
}

type PageImage = LoadedTask["image"];

/**
 * PDF pages: pixels per point to fetch them at. It starts at `pageScale` and follows the zoom up
 * (zoom × device pixels, at most 8) once the zoom has rested, so text stays sharp when zoomed in;
 * it never goes down (a sharper page serves every smaller zoom). 1 for everything else.
 */
function usePageScale(editor: Editor, asset: { kind?: string | null; width?: number | null }): number {
  const [scale, setScale] = useState(() => pageScale(asset));
  useEffect(() => {
    if (asset.kind !== "document") return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const stop = editor.subscribe(() => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        const want = Math.min(8, Math.ceil(editor.viewport.zoom * (window.devicePixelRatio || 1)));
        setScale((s) => (want > s ? want : s));
      }, 300);
    }, ["view"]);
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }, [editor, asset.kind]);
  return scale;
}

/** The image of the shown page: page 0 is the task's image; others (and sharper renders) load once when first shown. */
function usePageImage(editor: Editor, assetId: number, scale: number, page: number, first: PageImage, onError: (e: unknown) => void): PageImage {
  const cache = useRef(new Map<string, PageImage>([[`0@${scale}`, first]]));
  const [shown, setShown] = useState<{ image: PageImage; view: Viewport | null }>({ image: first, view: null });
  useEffect(() => {
    const show = (image: PageImage) => setShown((s) => (s.image === image ? s : { image, view: editor.viewport }));
    const key = `${page}@${scale}`;
    const hit = cache.current.get(key);
    if (hit) return show(hit);
    let live = true;
    loadImage(pageImageUrl(assetId, page, scale)).then((img) => {
      cache.current.set(key, img);
      if (live) show(img);
    }, onError);
    return () => void (live = false);
  }, [editor, assetId, scale, page, onError]);
  // The viewer is rebuilt for the new picture (and fits it); keep the zoom and pan the labeler had.
  useEffect(() => {
    if (!shown.view) return;
    editor.setViewport(shown.view);
    editor.notify();
  }, [editor, shown]);
  return shown.image;
}

function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return !!t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
}

declare global {
  interface Window {
    __labelhubEditor?: Editor;
  }
}


/** The labeling and review screen: top bar, tool rail, canvas, right panel. */
export function Workbench({ task, mode }: { task: LoadedTask; mode: EditorMode }) {
  const { detail, project, ontology, image } = task;
  const taskId = detail.task.id;
  const editor = useMemo(
    () =>
      new Editor({
        ontology,
        assetSize: { width: detail.asset.width ?? image.naturalWidth, height: detail.asset.height ?? image.naturalHeight },
        annotation: structuredClone(task.annotation),
        clipboard,
      }),
    [ontology, detail, image, task.annotation],
  );
  useTextLayers(editor, detail.asset); // PDFs with a text_span class: the Text tool and span highlights
  const sync = useDraftSync(editor, task, mode === "label");
  const syncStatus = useSyncStatus(sync);
  const time = useActiveTime(taskId, detail.active_seconds ?? 0, mode === "label");
  const [notice, setNotice] = useState<Notice>(null);
  const assist = useTaskAssist(editor, taskId);
  const [assistInfo, setAssistInfo] = useState<string | null>(null);
  // After a refused submit, the open required questions stay marked (recomputed as they are answered).
  const { busy, setBusy, checked, objectComments, setObjectComments, fail, submit, review } = useTaskActions(editor, task, sync, time.timer, setNotice);
  // The page and the tool (ui), and once a submit was refused the open questions (document); panels
  // and bars below subscribe to what they show themselves, so a pan or zoom re-renders none of them.
  useEditorChannels(editor, checked ? ["ui", "document"] : ["ui"]);
  const missing: Missing = checked ? missingRequired(editor, ontology) : { ids: new Set(), text: [] };
  const [dialog, setDialog] = useState<"skip" | "reject" | "keys" | null>(null);
  const [adjust, setAdjust] = useImageAdjust();
  const [theme, toggleTheme] = useTheme();
  const pages = Math.max(1, detail.asset.pages ?? 1);
  const pageError = useCallback((e: unknown) => setNotice({ kind: "error", text: `This page could not be shown: ${e instanceof Error ? e.message : String(e)}` }), []);
  const scale = usePageScale(editor, detail.asset);
  const pageImage = usePageImage(editor, detail.asset.id, scale, pages > 1 ? editor.page : 0, image, pageError);
  const canvas = useRef<HTMLElement>(null);

  // The live editor, for the browser tests and bench/editor (read its viewport, set an exact zoom).
  useEffect(() => {
    window.__labelhubEditor = editor;
    return () => void (window.__labelhubEditor = undefined);
  }, [editor]);
  useEffect(() => (canvas.current?.querySelector("div") as HTMLElement | null)?.focus(), [editor]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!typing(e) && !e.ctrlKey && !e.metaKey && (e.key === "?" || (e.key === "Escape" && dialog === "keys"))) {
        e.preventDefault();
        setDialog(dialog === "keys" ? null : dialog ?? "keys");
        return;
      }
      if (!typing(e) && pages > 1 && (e.key === "PageDown" || e.key === "PageUp") && dialog === null) {
        e.preventDefault();
        editor.setPage(editor.page + (e.key === "PageDown" ? 1 : -1), pages);
        editor.notify();
        return;
      }
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.defaultPrevented && dialog === null) {
        e.preventDefault();
        if (mode === "label") submit();
        else review("accept", "");
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [submit, review, mode, dialog, editor, pages]);

  return (
    <div className={`shell mode-${mode}${pages > 1 ? " has-pages" : ""}`}>
      <GammaFilter gamma={adjust.gamma} />
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
          <>
            <AssistButtons editor={editor} port={assist} projectId={project.id} taskId={taskId} onInfo={setAssistInfo} />
            <ViewControls adjust={adjust} onChange={setAdjust} />
            <button aria-label={theme === "dark" ? "Light theme" : "Dark theme"} title={theme === "dark" ? "Light theme" : "Dark theme"} onClick={toggleTheme}>
              {theme === "dark" ? "☀" : "☾"}
            </button>
            <button aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => setDialog("keys")}>
              ?
            </button>
          </>
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
      <ToolRail editor={editor} />
      <main className="canvas" ref={canvas} style={{ "--image-filter": imageFilter(adjust) } as CSSProperties}>
        <ImageViewerView editor={editor} image={pageImage} />
        <SuggestionTags editor={editor} />
        <AssistOverlay editor={editor} port={assist} info={assistInfo} onDismissInfo={() => setAssistInfo(null)} />
        {notice && (
          <div className={`notice ${notice.kind}`} role="alert" onClick={() => setNotice(null)}>
            {notice.text}
          </div>
        )}
      </main>
      <SidePanel
        editor={editor}
        mode={mode}
        missing={missing.ids}
        rejections={task.rejections}
        objectComments={objectComments}
        setObjectComment={(id, text) => setObjectComments((c) => ({ ...c, [id]: text }))}
      />
      {pages > 1 && <PageStrip editor={editor} pages={pages} />}
      {dialog === "keys" && <ShortcutOverlay editor={editor} onClose={() => setDialog(null)} />}
      {dialog === "skip" && (
        <Dialog title="Skip this task" label="Reason" placeholder="e.g. image is blank or unreadable" confirm="Skip task" onCancel={() => setDialog(null)} onConfirm={(reason) => {
          setDialog(null);
          setBusy(true);
          sync.reset();
          skipTask(taskId, reason).then(() => goNext(project.id, "label")).catch(fail);
        }} />
      )}
      {dialog === "reject" && (
        <Dialog title="Reject and send back" label="What should the labeler fix?" placeholder="Comment for the labeler" confirm="Reject" danger onCancel={() => setDialog(null)} onConfirm={(comment) => {
          setDialog(null);
          review("reject", comment);
        }} />
      )}
    </div>
  );
}
