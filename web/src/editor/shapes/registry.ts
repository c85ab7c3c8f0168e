import type { Vec2 } from "../../geometry";
import type { Geometry, GeometryType } from "../../schema";
import { bboxShape } from "./bbox";
import { cuboidShape } from "./cuboid";
import { ellipseShape } from "./ellipse";
import { maskShape } from "./mask";
import { polygonShape, polylineShape } from "./path";
import { keypointsShape, pointShape } from "./points";
import { rotatedBboxShape } from "./rotatedBbox";
import type { DragModifiers, Handle, HandleOptions, ShapeUtil } from "./types";

const SHAPES: { [T in GeometryType]: ShapeUtil<Extract<Geometry, { type: T }>> } = {
  bbox: bboxShape,
  rotated_bbox: rotatedBboxShape,
  polygon: polygonShape,
  polyline: polylineShape,
  point: pointShape,
  keypoints: keypointsShape,
  ellipse: ellipseShape,
  cuboid: cuboidShape,
  mask: maskShape,
};

// TypeScript cannot correlate `g.type` with SHAPES[g.type]; the mapped type above guarantees it.
const utilFor = (g: Geometry): ShapeUtil<Geometry> => (SHAPES[g.type] as ShapeUtil<Geometry> | undefined) ?? NO_SHAPE;

/** Objects without coordinates (text spans on a PDF page): no handles, and moving leaves them as they are. */
const NO_SHAPE: ShapeUtil<Geometry> = { handles: () => [], dragHandle: (g) => g, translate: (g) => g };

export function shapeHandles(g: Geometry, options: HandleOptions): Handle[] {
  return utilFor(g).handles(g, options);
}

export function dragShapeHandle<G extends Geometry>(g: G, handleId: string, p: Vec2, modifiers: DragModifiers): G {
  return utilFor(g).dragHandle(g, handleId, p, modifiers) as G;
}

export function translateShape<G extends Geometry>(g: G, dx: number, dy: number): G {
  return utilFor(g).translate(g, dx, dy) as G;
}
