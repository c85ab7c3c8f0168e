import type { Geometry, XY } from "../schema";
import type { Bounds } from "./bounds";
import { boundsOfPoints } from "./bounds";
import { ellipseBounds } from "./ellipse";
import { rleBounds } from "./rle";
import { rotatedBoxCorners } from "./rotatedBox";
import type { Vec2 } from "./vec";

export const toVec = (xy: readonly [number, number] | XY): Vec2 => ({ x: xy[0], y: xy[1] });
export const toXY = (v: Vec2): XY => [v.x, v.y];

/** Axis-aligned bounds of any wire geometry, in asset pixels. An empty mask gives a zero-size box at the origin. */
export function boundsOfGeometry(g: Geometry): Bounds {
  switch (g.type) {
    case "bbox":
      return { minX: g.xyxy[0], minY: g.xyxy[1], maxX: g.xyxy[2], maxY: g.xyxy[3] };
    case "rotated_bbox":
      return boundsOfPoints(rotatedBoxCorners(g.cxcywha));
    case "polygon":
    case "polyline":
      return boundsOfPoints(g.points_xy.map(toVec));
    case "point":
      return { minX: g.xy[0], minY: g.xy[1], maxX: g.xy[0], maxY: g.xy[1] };
    case "keypoints": {
      const placed = g.points.filter((p) => p[2] > 0).map((p) => ({ x: p[0], y: p[1] }));
      return placed.length > 0 ? boundsOfPoints(placed) : { minX: 0, minY: 0, maxX: 0, maxY: 0 };
    }
    case "ellipse":
      return ellipseBounds(g.cxcyrxrya);
    case "cuboid":
      return boundsOfPoints([...g.front_xy, ...g.back_xy].map(toVec));
    case "mask":
      return rleBounds(g.rle) ?? { minX: 0, minY: 0, maxX: 0, maxY: 0 };
  }
  // Objects without coordinates (text spans on a PDF page, drawn from the text layer): a zero box.
  return { minX: 0, minY: 0, maxX: 0, maxY: 0 };
}
