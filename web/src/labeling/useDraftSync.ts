import { useEffect, useMemo, useState } from "react";
import { api, call } from "../api";
import type { Editor } from "../editor";
import type { Annotation } from "../schema";
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

/** Keepalive requests are limited to 64 kB of body; larger drafts rely on the local backup. */
const KEEPALIVE_LIMIT = 60_000;

/**
 * Autosaves the labeler's draft (PUT /tasks/{id}/draft) right after each finished edit (a couple of
 * seconds after other changes), when the page is hidden or left, and keeps an unsaved copy in
 * localStorage (written when a body stays unsaved for a while, a save fails, or the page is left)
 * until the server has it.
 */
export function useDraftSync(editor: Editor, task: LoadedTask, enabled: boolean): DraftSync {
  const taskId = task.detail.task.id;
  const sync = useMemo(
    () =>
      new DraftSync({
        save: async (body: Annotation, { keepalive }) => {
          const payload = { body: body as unknown as Record<string, unknown>, base_revision_id: task.baseRevisionId };
          const small = keepalive && JSON.stringify(payload).length < KEEPALIVE_LIMIT;
          await call(api.PUT("/api/v1/tasks/{task_id}/draft", { params: { path: { task_id: taskId } }, body: payload, ...(small ? { keepalive: true } : {}) }));
        },
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
        // A finished edit is saved after the frame that shows it (serializing thousands of objects takes a while).
        soonMs: 30,
      }),
    [taskId, task.baseRevisionId],
  );
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
