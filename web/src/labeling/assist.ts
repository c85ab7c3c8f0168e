import type { Schemas } from "../api";
import { api, must } from "../api";
import type { Editor } from "../editor";
import type { AssistPort, FrameCutAnswer, ScissorsAnswer } from "../editor/tools/frameCut";
import { AssistStatus, assistOf, attachAssist, toFailure } from "../editor/tools/frameCut";
import type { AnnotationObject, Geometry, Rle, XY } from "../schema";
import { GEOMETRY_TYPES } from "../schema";

export type ProjectModel = Schemas["ProjectModelPublic"];

/**
 * The editor's link to the assist API of one task: Frame Cut and Smart Scissors (through the
 * tools' port), Auto Detect and OCR (buttons). Every failure lands in the port's status, which
 * the screen shows; a 503 or a 4xx other than 400/422 turns that tool off for the task.
 */
export function createAssistPort(editor: Editor, taskId: number): AssistPort {
  const path = { params: { path: { task_id: taskId } } };
  const status = new AssistStatus();
  return {
    status,
    changed: () => {
      // A tool the server turned off hands over to Select (its message stays on screen).
      if (status.blocked(editor.toolId)) editor.setTool("select");
      editor.notify();
    },
    async frameCut(request): Promise<FrameCutAnswer> {
      const r = await must(api.POST("/api/v1/tasks/{task_id}/assist/frame-cut", { ...path, body: request }));
      return { polygon: r.polygon.map((p): XY => [p[0] ?? 0, p[1] ?? 0]), mask: toRle(r.mask), score: r.score, method: r.method };
    },
    async scissors(request): Promise<ScissorsAnswer> {
      const r = await must(api.POST("/api/v1/tasks/{task_id}/assist/scissors", { ...path, body: request }));
      return { path: r.path.map((p): XY => [p[0] ?? 0, p[1] ?? 0]), closed: r.closed };
    },
  };
}

/** Attaches a port for `taskId` to `editor` (replacing any earlier one) and returns it. */
export function attachTaskAssist(editor: Editor, taskId: number): AssistPort {
  const port = createAssistPort(editor, taskId);
  attachAssist(editor, port);
  return port;
}

function toRle(mask: Record<string, unknown> | null | undefined): Rle | null {
  if (!mask) return null;
  const size = mask.size;
  const counts = mask.counts;
  if (!Array.isArray(size) || size.length !== 2 || !Array.isArray(counts)) return null;
  return { size: [Number(size[0]), Number(size[1])], counts: counts.map(Number) };
}

/**
 * A suggestion from the server as an editor object on the current page. `document_region`
 * (which the image editor does not draw) is shown and edited as a box; the server stores it
 * back as a document region for the document_region class. Unknown geometry gives null.
 */
export function toSuggestion(raw: Record<string, unknown>, page: number): AnnotationObject | null {
  const g = raw.geometry as { type?: string; xyxy?: number[] } | undefined;
  if (!g || typeof raw.id !== "string" || typeof raw.class_id !== "string") return null;
  let geometry: Geometry;
  if (g.type === "document_region" && Array.isArray(g.xyxy) && g.xyxy.length === 4) {
    const [x1, y1, x2, y2] = g.xyxy as [number, number, number, number];
    geometry = { type: "bbox", xyxy: [x1, y1, x2, y2] };
  } else if (g.type && (GEOMETRY_TYPES as readonly string[]).includes(g.type)) {
    geometry = g as Geometry;
  } else return null;
  const source = raw.source as AnnotationObject["source"] | undefined;
  return {
    id: raw.id,
    class_id: raw.class_id,
    page,
    geometry,
    attributes: (raw.attributes as AnnotationObject["attributes"] | undefined) ?? {},
    source: source && source.kind === "model" ? source : { kind: "model", name: "model", version: "" },
    confidence: typeof raw.confidence === "number" ? raw.confidence : null,
  };
}

/**
 * Adds suggestions as one undo step. A suggestion already in the document (same id: asking the
 * same model twice gives the same ids) is skipped, so an accepted or edited one is never replaced.
 */
export function addSuggestions(editor: Editor, label: string, raw: readonly Record<string, unknown>[]): { added: number; skipped: number } {
  const objects = raw.map((o) => toSuggestion(o, editor.page));
  const fresh = objects.filter((o): o is AnnotationObject => o !== null && !editor.store.has(o.id));
  if (fresh.length > 0) editor.commit(label, fresh, [], []);
  return { added: fresh.length, skipped: raw.length - fresh.length };
}

export async function loadProjectModels(projectId: number): Promise<ProjectModel[]> {
  return must(api.GET("/api/v1/projects/{project_id}/models", { params: { path: { project_id: projectId } } }));
}

/** Runs Auto Detect with `modelId` on the shown page; returns what to tell the labeler. */
export async function runDetect(editor: Editor, taskId: number, modelId: number | null): Promise<string | null> {
  const status = assistOf(editor)?.status;
  if (!status || status.isBusy("detect") || status.blocked("detect")) return null;
  status.setBusy("detect", true);
  editor.notify();
  try {
    const r = await must(api.POST("/api/v1/tasks/{task_id}/assist/detect", { params: { path: { task_id: taskId } }, body: { model_id: modelId, page: editor.page } }));
    status.succeeded("detect");
    const { added, skipped } = addSuggestions(editor, "Auto Detect", r.objects as Record<string, unknown>[]);
    const hidden = r.below_threshold > 0 ? ` · ${r.below_threshold} below the ${Math.round(r.threshold * 100)} % threshold hidden` : "";
    const dup = skipped > 0 ? ` · ${skipped} already here` : "";
    return `${r.model} found ${added + skipped} object${added + skipped === 1 ? "" : "s"}: ${added} suggestion${added === 1 ? "" : "s"} added${dup}${hidden}.`;
  } catch (e) {
    status.fail("detect", "Auto Detect", toFailure(e));
    return null;
  } finally {
    status.setBusy("detect", false);
    editor.notify();
  }
}

/** Reads the text of the shown page (one line per object); returns what to tell the labeler. */
export async function runOcr(editor: Editor, taskId: number, classId: string | null): Promise<string | null> {
  const status = assistOf(editor)?.status;
  if (!status || status.isBusy("ocr") || status.blocked("ocr")) return null;
  status.setBusy("ocr", true);
  editor.notify();
  try {
    const r = await must(api.POST("/api/v1/tasks/{task_id}/assist/ocr", { params: { path: { task_id: taskId } }, body: { page: editor.page, class_id: classId, granularity: "line" } }));
    status.succeeded("ocr");
    const { added } = addSuggestions(editor, "OCR", r.objects);
    const where = r.attribute_id ? " Select one to correct its text in the panel." : " (The class has no text question, so the text is not kept.)";
    return `OCR read ${r.lines.length} line${r.lines.length === 1 ? "" : "s"}: ${added} suggestion${added === 1 ? "" : "s"} added.${added > 0 ? where : ""}`;
  } catch (e) {
    status.fail("ocr", "OCR", toFailure(e));
    return null;
  } finally {
    status.setBusy("ocr", false);
    editor.notify();
  }
}
