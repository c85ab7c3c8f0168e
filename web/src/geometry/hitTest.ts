import type { Geometry } from "../schema";
import { pointInEllipse } from "./ellipse";
import { nearestEdge, pointInPolygon } from "./polygon";
import { rlePixel } from "./rle";
import { pointInRotatedBox } from "./rotatedBox";
import { toVec } from "./shapeBounds";
import type { Vec2 } from "./vec";

function nearPath(p: Vec2, points: readonly Vec2[], closed: boolean, tolerance: number): boolean {
  const edge = nearestEdge(p, points, closed);
  return edge !== null && edge.distance <= tolerance;
}

function inOrNearRing(p: Vec2, ring: readonly Vec2[], tolerance: number): boolean {
  return pointInPolygon(p, ring) || nearPath(p, ring, true, tolerance);
}

/**
 * Does `p` (asset pixels) hit the shape? Filled shapes hit inside or within
 * `tolerance` of their outline; polylines, points and keypoints within `tolerance`;
 * masks on set pixels.
 */
export function hitTestGeometry(g: Geometry, p: Vec2, tolerance: number): boolean {
  switch (g.type) {
    case "bbox": {
      const [x1, y1, x2, y2] = g.xyxy;
      return p.x >= x1 - tolerance && p.x <= x2 + tolerance && p.y >= y1 - tolerance && p.y <= y2 + tolerance;
    }
    case "rotated_bbox":
      return pointInRotatedBox(g.cxcywha, p, tolerance);
    case "polygon":
      return inOrNearRing(p, g.points_xy.map(toVec), tolerance);
    case "polyline":
      return nearPath(p, g.points_xy.map(toVec), false, tolerance);
    case "point":
      return Math.hypot(p.x - g.xy[0], p.y - g.xy[1]) <= tolerance;
    case "keypoints":
      return g.points.some(([x, y, v]) => v > 0 && Math.hypot(p.x - x, p.y - y) <= tolerance);
    case "ellipse":
      return pointInEllipse(g.cxcyrxrya, p, tolerance);
    case "cuboid": {
      const front = g.front_xy.map(toVec);
      const back = g.back_xy.map(toVec);
      if (inOrNearRing(p, front, tolerance) || inOrNearRing(p, back, tolerance)) return true;
      return front.some((f, i) => nearPath(p, [f, back[i] as Vec2], false, tolerance));
    }
    case "mask":
      return rlePixel(g.rle, Math.floor(p.x), Math.floor(p.y));
  }
}
