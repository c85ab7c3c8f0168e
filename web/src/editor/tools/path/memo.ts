import type { Vec2 } from "../../../geometry";
import type { HandleDragMemo } from "../shared/handleDrag";

export type PathKind = "polygon" | "polyline";
export type PathStates = "idle" | "drawing" | "dragging_handle";

export interface PathMemo extends HandleDragMemo {
  kind: PathKind;
  /** Vertices placed so far while drawing. */
  points: Vec2[];
  /** Where the rubber-band edge ends. */
  cursor: Vec2 | null;
}

export const createPathMemo = (kind: PathKind) => (): PathMemo => ({ drag: null, kind, points: [], cursor: null });

/** Screen pixels within which a click counts as "on" a vertex or an edge. */
export const VERTEX_RADIUS_PX = 8;
