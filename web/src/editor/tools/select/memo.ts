import type { Vec2 } from "../../../geometry";
import type { AnnotationObject } from "../../../schema";
import type { HandleDragMemo } from "../shared/handleDrag";

export type SelectStateName = "idle" | "pointing_shape" | "pointing_canvas" | "translating" | "dragging_handle";

export interface SelectMemo extends HandleDragMemo {
  downPoint: Vec2;
  downScreen: Vec2;
  lastPoint: Vec2;
  /** The selection as it was when translating began. */
  moving: AnnotationObject[];
}

export const createSelectMemo = (): SelectMemo => ({
  drag: null,
  downPoint: { x: 0, y: 0 },
  downScreen: { x: 0, y: 0 },
  lastPoint: { x: 0, y: 0 },
  moving: [],
});
