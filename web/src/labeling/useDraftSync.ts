import { useEffect, useMemo, useState } from "react";
import type { Editor } from "../editor";
import { DraftSaver, savedDraft } from "./draftDelta";
import { DraftSync } from "./draftSync";
import type { LoadedTask } from "./loadTask";
import { backupKey } from "./loadTask";

/**
 * Calls `onChange` whenever the document (objects, their order or whole-asset answers) changed;
 * `committed` is true when the change is a finished edit (it moved the undo history: create,
 * delete, a drag released, undo/redo), false while a gesture is still editing live.
 */
export function watchDocument(editor: Editor, onChange: (committed: boolean) => void): () => void {
  let history = editor.document.history.version;
  return editor.subscribe(() => {
    const next = editor.document.history.version;
    const committed = next !== history;
    history = next;
    onChange(committed);
  }, ["document"]);
}

/**
 * Autosaves the labeler's draft right after each finished edit — only what changed (PATCH
 * /tasks/{id}/draft, see draftDelta.ts) once the server holds a draft, else whole (PUT) — (a couple of
 * seconds after other changes), when the page is hidden or left, and keeps an unsaved copy in
 * localStorage (written when a body stays unsaved for a while, a save fails, or the page is left)
 * until the server has it.
 */
export function useDraftSync(editor: Editor, task: LoadedTask, enabled: boolean): DraftSync {
  const taskId = task.detail.task.id;
  const sync = useMemo(() => {
    // What the server holds: the loaded draft as the editor has it, until a save says otherwise.
    const saver = new DraftSaver(taskId, task.baseRevisionId, task.draftUpdatedAt ? savedDraft(editor.toAnnotation(), task.draftUpdatedAt) : null);
    return new DraftSync({
        save: saver.save,
        backup: {
          write: (body) => {
            try {
              window.localStorage.setItem(backupKey(taskId), JSON.stringify(body));
            } catch {
              /* storage full or disabled: the server copy is still coming */
            }
          },
          clear: () => window.localStorage.removeItem(backupKey(taskId)),
        },
        // A finished edit is saved after the frame that shows it.
        soonMs: 30,
      });
  }, [editor, taskId, task.baseRevisionId, task.draftUpdatedAt]);
  useEffect(() => {
    if (!enabled) return;
    // A copy restored from localStorage was never saved: save it now.
    if (task.origin === "local") sync.changed(editor.toAnnotation());
    const stop = watchDocument(editor, (committed) => sync.changed(editor.toAnnotation(), { soon: committed }));
    const leave = () => void sync.flush(true);
    const hidden = () => document.visibilityState === "hidden" && leave();
    window.addEventListener("pagehide", leave);
    document.addEventListener("visibilitychange", hidden);
    return () => {
      stop();
      window.removeEventListener("pagehide", leave);
      document.removeEventListener("visibilitychange", hidden);
      leave();
    };
  }, [editor, sync, enabled, task.origin]);
  return sync;
}

export function useSyncStatus(sync: DraftSync): DraftSync["status"] {
  const [status, setStatus] = useState(sync.status);
  useEffect(() => sync.subscribe(() => setStatus(sync.status)), [sync]);
  return status;
}
