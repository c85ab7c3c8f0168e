import { useCallback, useEffect, useRef, useState } from "react";
import type { Editor } from "../editor";
import type { ActiveTimer } from "./activeTime";
import { decide, goNext, missingRequired, submitTask } from "./actions";
import type { DraftSync } from "./draftSync";
import type { LoadedTask } from "./loadTask";
import { backupKey } from "./loadTask";
import { watchDocument } from "./useDraftSync";

export type Notice = { kind: "error" | "info"; text: string } | null;

/**
 * What the labeling screens built on the headless `Editor` (images, text) do with a task: submit
 * (refused with a message while required questions are open), review (accept or reject, with the
 * reviewer's per-object comments and, when they edited, the corrected body), and the busy flag
 * and error notice around both.
 */
export function useTaskActions(editor: Editor, task: LoadedTask, sync: DraftSync, timer: ActiveTimer, setNotice: (notice: Notice) => void) {
  const taskId = task.detail.task.id;
  const projectId = task.project.id;
  const [busy, setBusy] = useState(false);
  /** Set by the first submit: required questions are flagged from then on. */
  const [checked, setChecked] = useState(false);
  const [objectComments, setObjectComments] = useState<Record<string, string>>({});
  const corrected = useRef(false);
  useEffect(() => watchDocument(editor, () => (corrected.current = true)), [editor]);

  const fail = useCallback(
    (e: unknown) => {
      setBusy(false);
      setNotice({ kind: "error", text: e instanceof Error ? e.message : String(e) });
    },
    [setNotice],
  );

  const submit = useCallback(() => {
    if (busy) return;
    const open = missingRequired(editor, task.ontology);
    setChecked(true);
    if (open.text.length > 0) {
      setNotice({ kind: "error", text: `Answer the required question${open.text.length > 1 ? "s" : ""} first: ${open.text.join(", ")}.` });
      return;
    }
    setBusy(true);
    sync.reset();
    submitTask(taskId, editor, task.baseRevisionId, timer.take())
      .then(() => {
        window.localStorage.removeItem(backupKey(taskId));
        return goNext(projectId, "label");
      })
      .catch(fail);
  }, [busy, editor, task.ontology, task.baseRevisionId, sync, taskId, timer, projectId, setNotice, fail]);

  const review = useCallback(
    (decision: "accept" | "reject", comment: string) => {
      setBusy(true);
      const comments = Object.fromEntries(Object.entries(objectComments).filter(([, t]) => t.trim()));
      decide(taskId, decision, comment, comments, corrected.current ? { editor, baseRevisionId: task.baseRevisionId } : null)
        .then(() => goNext(projectId, "review"))
        .catch(fail);
    },
    [objectComments, taskId, editor, task.baseRevisionId, projectId, fail],
  );

  return { busy, setBusy, checked, objectComments, setObjectComments, fail, submit, review };
}
