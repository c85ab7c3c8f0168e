import type { Project, ReviewEvent, TaskDetail } from "../api";
import { api, API_BASE, ApiError, call, must } from "../api";
import type { Annotation, Ontology } from "../schema";
import { emptyAnnotation } from "../schema";
import type { TiledImage } from "../viewers/image";
import { loadAssetImage } from "../viewers/image";

export type EditorMode = "label" | "review";

export interface LoadedTask {
  detail: TaskDetail;
  project: Project;
  ontology: Ontology;
  /** The whole image, or the tile pyramid of a large one (viewers/image loads only the tiles in view). */
  image: HTMLImageElement | TiledImage;
  annotation: Annotation;
  /** Where the annotation came from: the labeler's draft, the head revision, a local unsaved copy, or nothing. */
  origin: "draft" | "head" | "local" | "empty";
  /** The stored draft's `updated_at` when the annotation is that draft (delta saves start from it). */
  draftUpdatedAt: string | null;
  baseRevisionId: number | null;
  /** Rejections, newest first. */
  rejections: ReviewEvent[];
}

/** The server's ontology JSON as the editor's type (classifications may be absent on old versions). */
export function toOntology(raw: Record<string, unknown> | null | undefined): Ontology {
  const o = (raw ?? {}) as Partial<Ontology>;
  return { classes: o.classes ?? [], classifications: o.classifications ?? [], allow_overlapping_spans: o.allow_overlapping_spans ?? false };
}

export function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new ApiError(0, `The image could not be loaded (${src}).`));
    img.src = src;
  });
}

/**
 * Pixels per point at which the server renders a PDF page for the editor: at least 3 (216 dpi), more
 * for small pages so that a page fitted to the screen is still sharper than the screen, at most 8.
 * The page is drawn at its size in points, so coordinates stay in page points whatever the scale.
 */
export function pageScale(asset: { kind?: string | null; width?: number | null }): number {
  if (asset.kind !== "document") return 1;
  const fit = (window.innerWidth * (window.devicePixelRatio || 1)) / Math.max(1, asset.width ?? 600);
  return Math.min(8, Math.max(3, Math.ceil(fit)));
}

/** One page of a multi-page image or document, rendered by the server as PNG (`scale` pixels per point, PDFs only). */
export const pageImageUrl = (assetId: number, page: number, scale = 1) =>
  `${API_BASE}/assets/${assetId}/pages/${page}.png${scale !== 1 ? `?scale=${scale}` : ""}`;

export const backupKey = (taskId: number) => `labelhub.unsaved.${taskId}`;

function localBackup(taskId: number): Annotation | null {
  try {
    const raw = window.localStorage.getItem(backupKey(taskId));
    return raw ? (JSON.parse(raw) as Annotation) : null;
  } catch {
    return null;
  }
}

/** Task, project (ontology), image, and the annotation to start from: unsaved local copy > draft > head revision. */
export async function loadTask(taskId: number, mode: EditorMode): Promise<LoadedTask> {
  const path = { params: { path: { task_id: taskId } } };
  const detail = await must(api.GET("/api/v1/tasks/{task_id}", path));
  const projectPath = { params: { path: { project_id: detail.task.project_id } } };
  const [project, draft, head, image] = await Promise.all([
    must(api.GET("/api/v1/projects/{project_id}", projectPath)),
    mode === "label" ? call(api.GET("/api/v1/tasks/{task_id}/draft", path)) : Promise.resolve(null),
    call(api.GET("/api/v1/tasks/{task_id}/annotation", path)),
    // Volumes and texts are fetched by their own viewers (viewers/volume, viewers/text), not as an <img>.
    detail.asset.kind === "volume" || detail.asset.kind === "text"
      ? new Image()
      : (detail.asset.pages ?? 1) > 1 || detail.asset.kind === "document"
        ? loadImage(pageImageUrl(detail.asset.id, 0, pageScale(detail.asset))) // multi-page TIFFs and PDFs: pages as PNG
        : loadAssetImage(API_BASE, detail.asset, loadImage),
  ]);
  const local = mode === "label" ? localBackup(taskId) : null;
  const rejections = detail.reviews.filter((r) => r.decision === "rejected").reverse();
  let annotation = emptyAnnotation();
  let origin: LoadedTask["origin"] = "empty";
  if (local) [annotation, origin] = [local, "local"];
  else if (draft) [annotation, origin] = [draft.body as unknown as Annotation, "draft"];
  else if (head) [annotation, origin] = [head.body as unknown as Annotation, "head"];
  return {
    detail,
    project,
    ontology: toOntology(project.ontology),
    image,
    annotation: {
      objects: annotation.objects ?? [],
      classifications: annotation.classifications ?? {},
      // Volumes: per-slice answers, kept so the volume screen can load and save them back.
      ...(annotation.slice_classifications ? { slice_classifications: annotation.slice_classifications } : {}),
    },
    origin,
    draftUpdatedAt: origin === "draft" && draft ? draft.updated_at : null,
    baseRevisionId: draft?.base_revision_id ?? head?.id ?? null,
    rejections,
  };
}
