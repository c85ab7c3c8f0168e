import type { Vec2 } from "../../../geometry";
import type { Quad } from "../../../schema";
import type { DragCreateMemo } from "../shared/dragToCreate";

export type CuboidStates = "idle" | "drawing_front" | "offsetting_back" | "dragging_handle";

export interface CuboidMemo extends DragCreateMemo {
  front: Quad | null;
  /** Where the front face was released; the back face offset is measured from here. */
  offsetFrom: Vec2;
  offset: Vec2;
}

export const createCuboidMemo = (): CuboidMemo => ({
  drag: null,
  origin: { x: 0, y: 0 },
  originScreen: { x: 0, y: 0 },
  front: null,
  offsetFrom: { x: 0, y: 0 },
  offset: { x: 0, y: 0 },
});
