import type { Vec2 } from "../../geometry";
import type { Geometry } from "../../schema";

export type HandleKind = "corner" | "edge" | "vertex" | "rotate" | "point";

/** A draggable spot on a shape, in asset pixels. Ids are stable per shape type ("nw", "v3", "rotate"). */
export interface Handle {
  id: string;
  x: number;
  y: number;
  kind: HandleKind;
}

export interface HandleOptions {
  /** How far (asset pixels) the rotate handle sits beyond the top edge; constant on screen, so zoom-dependent. */
  rotateOffset: number;
}

export interface DragModifiers {
  /** Square / circle / 15-degree snap / axis lock, depending on the handle. */
  shift: boolean;
}

/** Per-shape editing: handles and how they move. Bounds and hit tests live in src/geometry. */
export interface ShapeUtil<G extends Geometry> {
  handles(g: G, options: HandleOptions): Handle[];
  /** The geometry with `handleId` dragged to `p`; `g` is the geometry when the drag began. */
  dragHandle(g: G, handleId: string, p: Vec2, modifiers: DragModifiers): G;
  translate(g: G, dx: number, dy: number): G;
}

/** Unit offsets of the 8 box handles in the box's own frame (x right, y down). */
export const BOX_HANDLE_SIGNS: Readonly<Record<string, readonly [number, number]>> = {
  nw: [-1, -1],
  n: [0, -1],
  ne: [1, -1],
  e: [1, 0],
  se: [1, 1],
  s: [0, 1],
  sw: [-1, 1],
  w: [-1, 0],
};
