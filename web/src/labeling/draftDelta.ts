import type { Schemas } from "../api";
import { api, ApiError, call } from "../api";
import type { Annotation, AnnotationObject } from "../schema";

/**
 * Delta saves (PATCH /tasks/{id}/draft): after the first full save, only the objects that changed
 * travel. The editor's objects are immutable values (editor/objectStore.ts), so an object that is
 * not the very one last saved has changed. The server applies the delta to the draft stored at
 * `updatedAt` and answers 409 if that is no longer the stored one; the caller then saves whole.
 */
export interface SavedDraft {
  /** The stored draft's `updated_at`, as the server sent it. */
  updatedAt: string;
  /** The objects of the saved body, by id (by reference). */
  objects: ReadonlyMap<string, AnnotationObject>;
}

export interface DraftDelta {
  upsert: AnnotationObject[];
  delete: string[];
  /** Every object id of the body, in z-order. */
  order: string[];
  classifications: Annotation["classifications"];
}

/** Past this many changed objects a delta gains nothing: the whole draft is sent. */
export const MAX_DELTA = 500;

export function savedDraft(body: Annotation, updatedAt: string): SavedDraft {
  return { updatedAt, objects: new Map(body.objects.map((o) => [o.id, o])) };
}

/** What changed from `saved` to `body`; null when a full save is the better (or the only sound) choice. */
export function draftDelta(saved: SavedDraft, body: Annotation): DraftDelta | null {
  const extra = Object.keys(body).filter((k) => k !== "objects" && k !== "classifications");
  if (extra.length > 0) return null; // e.g. per-slice answers: only a full save carries them
  const upsert: AnnotationObject[] = [];
  const order: string[] = [];
  for (const o of body.objects) {
    order.push(o.id);
    if (saved.objects.get(o.id) !== o && upsert.push(o) > MAX_DELTA) return null;
  }
  const present = new Set(order);
  if (present.size !== order.length) return null; // duplicate ids: the full save reports them
  const removed = [...saved.objects.keys()].filter((id) => !present.has(id));
  return { upsert, delete: removed, order, classifications: body.classifications };
}

/** Keepalive requests (sent while the page is left) may carry at most 64 kB; larger drafts rely on the local backup. */
const KEEPALIVE_LIMIT = 60_000;

/** Saves a task's draft: a delta once the server holds one, else (or when the delta is refused) whole. */
export class DraftSaver {
  constructor(
    private readonly taskId: number,
    private readonly baseRevisionId: number | null,
    /** What the server holds; null: unknown, the next save is whole. */
    public saved: SavedDraft | null,
  ) {}

  readonly save = async (body: Annotation, { keepalive }: { keepalive: boolean }): Promise<void> => {
    const path = { params: { path: { task_id: this.taskId } } };
    const delta = this.saved ? draftDelta(this.saved, body) : null;
    if (this.saved && delta) {
      const patch = { draft_updated_at: this.saved.updatedAt, base_revision_id: this.baseRevisionId, ...delta } as unknown as Schemas["DraftPatch"];
      const small = keepalive && JSON.stringify(patch).length < KEEPALIVE_LIMIT;
      try {
        const done = await call(api.PATCH("/api/v1/tasks/{task_id}/draft", { ...path, body: patch, ...(small ? { keepalive: true } : {}) }));
        this.saved = done ? savedDraft(body, done.updated_at) : null;
        return;
      } catch (e) {
        // The stored draft is another one by now (409), or the delta was refused: save it whole.
        if (!(e instanceof ApiError) || (e.status !== 409 && e.status !== 400)) throw e;
        this.saved = null;
      }
    }
    const payload = { body: body as unknown as Record<string, unknown>, base_revision_id: this.baseRevisionId };
    const small = keepalive && JSON.stringify(payload).length < KEEPALIVE_LIMIT;
    const done = await call(api.PUT("/api/v1/tasks/{task_id}/draft", { ...path, body: payload, ...(small ? { keepalive: true } : {}) }));
    this.saved = done ? savedDraft(body, done.updated_at) : null;
  };
}
