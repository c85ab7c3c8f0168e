import { api, call, must } from "../api";
import type { Editor } from "../editor";
import type { Ontology } from "../schema";
import { unansweredRequired } from "../schema";
import { navigate } from "../ui/router";

export interface Missing {
  /** Question ids still open (asset scope and the objects' own). */
  ids: Set<string>;
  /** Readable list for the message. */
  text: string[];
}

/** Required questions that apply and have no answer, over the whole asset and every object. */
export function missingRequired(editor: Editor, ontology: Ontology): Missing {
  const ids = new Set<string>();
  const text: string[] = [];
  const names = new Map<string, string>();
  const collect = (qs: Ontology["classifications"]) => {
    for (const q of qs) {
      names.set(q.id, q.name);
      for (const o of q.options ?? []) collect(o.questions ?? []);
    }
  };
  collect(ontology.classifications);
  for (const id of unansweredRequired(ontology.classifications, editor.document.classifications)) {
    ids.add(id);
    text.push(names.get(id) ?? id);
  }
  for (const o of editor.store.all()) {
    const cls = ontology.classes.find((c) => c.id === o.class_id);
    collect(cls?.attributes ?? []);
    for (const id of unansweredRequired(cls?.attributes ?? [], o.attributes)) {
      ids.add(`${o.id}:${id}`);
      text.push(`${cls?.name ?? o.class_id} ${o.id}: ${names.get(id) ?? id}`);
    }
  }
  return { ids, text };
}

/** After a submit, skip or review: open the next task of the same kind, or go back to the project. */
export async function goNext(projectId: number, mode: "label" | "review"): Promise<void> {
  const path = { params: { path: { project_id: projectId } } };
  const next = await call(mode === "label" ? api.POST("/api/v1/projects/{project_id}/next-task", path) : api.POST("/api/v1/projects/{project_id}/review/next", path));
  navigate(next ? (mode === "label" ? `/tasks/${next.task.id}` : `/tasks/${next.task.id}/review`) : `/projects/${projectId}`);
}

export async function submitTask(taskId: number, editor: Editor, baseRevisionId: number | null, activeSeconds: number) {
  return must(
    api.POST("/api/v1/tasks/{task_id}/submit", {
      params: { path: { task_id: taskId } },
      body: { body: editor.toAnnotation() as unknown as Record<string, unknown>, base_revision_id: baseRevisionId, active_seconds: Math.min(activeSeconds, 3600) },
    }),
  );
}

export async function skipTask(taskId: number, reason: string) {
  return must(api.POST("/api/v1/tasks/{task_id}/skip", { params: { path: { task_id: taskId } }, body: { reason } }));
}

export async function decide(
  taskId: number,
  decision: "accept" | "reject",
  comment: string,
  objectComments: Record<string, string>,
  corrected: { editor: Editor; baseRevisionId: number | null } | null,
) {
  return must(
    api.POST("/api/v1/tasks/{task_id}/review", {
      params: { path: { task_id: taskId } },
      body: {
        decision,
        comment,
        object_comments: objectComments,
        ...(corrected ? { body: corrected.editor.toAnnotation() as unknown as Record<string, unknown>, base_revision_id: corrected.baseRevisionId } : {}),
      },
    }),
  );
}
