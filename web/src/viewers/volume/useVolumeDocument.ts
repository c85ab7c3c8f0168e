import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { api, call } from "../../api";
import { DraftSync } from "../../labeling/draftSync";
import type { LoadedTask } from "../../labeling/loadTask";
import type { Annotation, Answers } from "../../schema";
import { loadAnnotation, toAnnotation } from "./document";
import type { VolumeSession } from "./session";
import type { SliceAnswers } from "./sliceAnswers";
import { answeredSlices } from "./sliceAnswers";

/**
 * The annotation body of a volume task: loaded into the session once; after each change (quiet
 * for 1.5 s: encoding a 78 M-voxel label map costs tens of milliseconds) the draft is saved with
 * the labeling page's DraftSync (PUT /tasks/{id}/draft). No localStorage backup: masks are large.
 * Per-volume and per-slice classification answers are kept here too; `edited` says whether anything changed
 * since the task opened (a reviewer's accept then sends the corrected body).
 */
export function useVolumeDocument(session: VolumeSession | null, task: LoadedTask, enabled: boolean) {
  const taskId = task.detail.task.id;
  const base = useMemo(() => {
    if (!session) return null;
    const loaded = loadAnnotation(session, task.ontology, task.annotation);
    session.markAnsweredSlices(answeredSlices(task.annotation.slice_classifications ?? {}));
    return { ...loaded, classifications: task.annotation.classifications };
  }, [session, task]);
  const sync = useMemo(
    () =>
      new DraftSync({
        delayMs: 100,
        save: async (body: Annotation) => {
          await call(api.PUT("/api/v1/tasks/{task_id}/draft", { params: { path: { task_id: taskId } }, body: { body: body as unknown as Record<string, unknown>, base_revision_id: task.baseRevisionId } }));
        },
      }),
    [taskId, task.baseRevisionId],
  );
  const [counts, setCounts] = useState<{ session: VolumeSession; counts: Uint32Array } | null>(null);
  // Per-volume answers live here (the session holds voxels and boxes); every change is a document change.
  const answersRef = useRef<Answers>(task.annotation.classifications);
  const [answers, setAnswersState] = useState<Answers>(task.annotation.classifications);
  // Per-slice answers (axial slice k -> answers), kept the same way.
  const sliceRef = useRef<SliceAnswers>(task.annotation.slice_classifications ?? {});
  const [sliceAnswers, setSliceAnswersState] = useState<SliceAnswers>(task.annotation.slice_classifications ?? {});
  const [edited, setEdited] = useState(false);
  const body = useMemo(
    () => (session && base ? () => toAnnotation(session, task.ontology, { ...base, classifications: answersRef.current, sliceClassifications: sliceRef.current }) : null),
    [session, base, task.ontology],
  );
  const setSliceAnswers = useCallback(
    (next: SliceAnswers) => {
      sliceRef.current = next;
      setSliceAnswersState(next);
      session?.markAnsweredSlices(answeredSlices(next));
      session?.documentChanged();
    },
    [session],
  );
  const setAnswers = useCallback(
    (next: Answers) => {
      answersRef.current = next;
      setAnswersState(next);
      session?.documentChanged();
    },
    [session],
  );

  useEffect(() => {
    if (!session || !body) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const stop = session.onDocumentChange(() => {
      setEdited(true);
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        setCounts({ session, counts: session.labels.histogram() });
        if (enabled) sync.changed(body());
      }, 1500);
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }, [session, body, sync, enabled]);
  // Counts of the loaded annotation until the first change (computed once per session).
  const initial = useMemo(() => (session && base ? session.labels.histogram() : null), [session, base]);
  return { sync, counts: counts && counts.session === session ? counts.counts : initial, body, answers, setAnswers, sliceAnswers, setSliceAnswers, edited };
}
