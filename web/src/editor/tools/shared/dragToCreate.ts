import type { Vec2 } from "../../../geometry";
import type { Geometry, GeometryType } from "../../../schema";
import type { ToolPointerEvent } from "../../events";
import { StateBase } from "../types";
import type { HandleDragMemo } from "./handleDrag";
import { movedBeyond, tryStartHandleDrag } from "./handleDrag";

/** Memo of tools that create a shape by dragging from one corner to the other. */
export interface DragCreateMemo extends HandleDragMemo {
  origin: Vec2;
  originScreen: Vec2;
}

export type DragCreateStates = "idle" | "drawing" | "dragging_handle";

export const createDragCreateMemo = (): DragCreateMemo => ({ drag: null, origin: { x: 0, y: 0 }, originScreen: { x: 0, y: 0 } });

/** Builds the shape spanned by the drag from `a` to `b`; `shift` asks for the square/circle variant. */
export type BuildFromDrag = (a: Vec2, b: Vec2, shift: boolean) => Geometry;

/** Idle: down on a selected object's handle edits it; anywhere else starts a new shape. */
export function dragCreateIdle<S extends string = "drawing">(type: GeometryType, drawingState: S = "drawing" as S) {
  return class DragCreateIdle extends StateBase<DragCreateMemo, "idle" | "dragging_handle" | S> {
    onPointerDown(e: ToolPointerEvent): void {
      if (e.button !== 0) return;
      if (tryStartHandleDrag(this.ctx, e)) return;
      if (!this.host.classForTool(type)) return;
      this.memo.origin = e.point;
      this.memo.originScreen = e.screen;
      this.transition(drawingState);
    }
  };
}

/** Drawing: the draft follows the pointer; release commits unless it was only a click. */
export function dragCreateDrawing(type: GeometryType, label: string, build: BuildFromDrag) {
  return class DragCreateDrawing extends StateBase<DragCreateMemo, DragCreateStates> {
    onPointerMove(e: ToolPointerEvent): void {
      const cls = this.host.classForTool(type);
      if (cls) this.host.setDraft({ kind: "geometry", classId: cls.id, geometry: build(this.memo.origin, e.point, e.shift) });
    }

    onPointerUp(e: ToolPointerEvent): void {
      const cls = this.host.classForTool(type);
      this.host.setDraft(null);
      if (cls && movedBeyond(this.memo.originScreen, e)) {
        this.host.createObject(label, cls.id, build(this.memo.origin, e.point, e.shift));
      }
      this.transition("idle");
    }

    onCancel(): void {
      this.host.setDraft(null);
      this.transition("idle");
    }
  };
}
