import type { AnnotationObject } from "../../../schema";
import type { ToolPointerEvent } from "../../events";
import { dragShapeHandle, vertexIndexOf } from "../../shapes";
import type { ToolHost } from "../host";
import type { ToolContext } from "../types";
import { StateBase } from "../types";

export interface HandleDrag {
  objectId: string;
  handleId: string;
  /** The object when the drag began (after any vertex insertion). */
  start: AnnotationObject;
}

/** Memo field every tool that can drag handles carries. */
export interface HandleDragMemo {
  drag: HandleDrag | null;
}

type DragStates = "idle" | "dragging_handle";

/**
 * Begins dragging `handleId` of `object`. The caller may have opened the edit
 * session already (e.g. after inserting a vertex) so that the insertion and
 * the drag undo as one step.
 */
export function beginHandleDrag<M extends HandleDragMemo>(
  ctx: ToolContext<M, DragStates>,
  object: AnnotationObject,
  handleId: string,
  editAlreadyOpen = false,
): void {
  if (!editAlreadyOpen) ctx.host.beginEdit([object.id]);
  ctx.memo.drag = { objectId: object.id, handleId, start: object };
  const vertex = vertexIndexOf(handleId);
  ctx.host.setSelectedVertex(vertex >= 0 ? { objectId: object.id, index: vertex } : null);
  ctx.transition("dragging_handle");
}

/** If `e` hits a handle of a selected object, starts dragging it and returns true. */
export function tryStartHandleDrag<M extends HandleDragMemo>(ctx: ToolContext<M, DragStates>, e: ToolPointerEvent): boolean {
  const hit = ctx.host.hitTestHandle(e.point);
  const object = hit ? ctx.host.getObject(hit.objectId) : undefined;
  if (!hit || !object) return false;
  beginHandleDrag(ctx, object, hit.handle.id);
  return true;
}

function dragLabel(handleId: string): string {
  if (handleId === "rotate") return "Rotate";
  if (vertexIndexOf(handleId) >= 0) return "Move vertex";
  return "Resize";
}

function angleOf(o: AnnotationObject): number | undefined {
  if (o.geometry.type === "rotated_bbox") return o.geometry.cxcywha[4];
  if (o.geometry.type === "ellipse") return o.geometry.cxcyrxrya[4];
  return undefined;
}

/** Shared state: a handle follows the pointer; up commits one undo step, Esc restores. */
export class DraggingHandle<M extends HandleDragMemo> extends StateBase<M, DragStates> {
  onPointerMove(e: ToolPointerEvent): void {
    const drag = this.memo.drag;
    if (!drag) return;
    const geometry = dragShapeHandle(drag.start.geometry, drag.handleId, e.point, { shift: e.shift });
    const moved = { ...drag.start, geometry };
    this.host.previewEdit([moved]);
    const angle = angleOf(moved);
    this.host.setHud(drag.handleId === "rotate" && angle !== undefined ? { angleDegrees: angle } : null);
  }

  onPointerUp(e: ToolPointerEvent): void {
    this.onPointerMove(e);
    const drag = this.memo.drag;
    if (drag) this.host.finishEdit(dragLabel(drag.handleId));
    this.end();
  }

  onCancel(): void {
    this.host.cancelEdit();
    this.end();
  }

  private end(): void {
    this.memo.drag = null;
    this.host.setHud(null);
    this.transition("idle");
  }
}

/** True once the pointer has travelled `screenPixels` from where it went down (a click is not a drag). */
export function movedBeyond(downScreen: { x: number; y: number }, e: ToolPointerEvent, screenPixels = 3): boolean {
  return Math.hypot(e.screen.x - downScreen.x, e.screen.y - downScreen.y) >= screenPixels;
}

export function hostHasClass(host: ToolHost, tool: Parameters<ToolHost["classForTool"]>[0]): string | null {
  return host.classForTool(tool)?.id ?? null;
}
