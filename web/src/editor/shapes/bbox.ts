import type { BboxGeometry } from "../../schema";
import type { ShapeUtil } from "./types";
import { BOX_HANDLE_SIGNS } from "./types";

/** Normalised box from two corners; with `square` the side is the larger extent. */
export function bboxFromCorners(ax: number, ay: number, bx: number, by: number, square = false): BboxGeometry {
  let ex = bx;
  let ey = by;
  if (square) {
    const side = Math.max(Math.abs(bx - ax), Math.abs(by - ay));
    ex = ax + Math.sign(bx - ax || 1) * side;
    ey = ay + Math.sign(by - ay || 1) * side;
  }
  return { type: "bbox", xyxy: [Math.min(ax, ex), Math.min(ay, ey), Math.max(ax, ex), Math.max(ay, ey)] };
}

export const bboxShape: ShapeUtil<BboxGeometry> = {
  handles(g) {
    const [x1, y1, x2, y2] = g.xyxy;
    const cx = (x1 + x2) / 2;
    const cy = (y1 + y2) / 2;
    return Object.entries(BOX_HANDLE_SIGNS).map(([id, [sx, sy]]) => ({
      id,
      x: sx < 0 ? x1 : sx > 0 ? x2 : cx,
      y: sy < 0 ? y1 : sy > 0 ? y2 : cy,
      kind: sx !== 0 && sy !== 0 ? "corner" : "edge",
    }));
  },
  dragHandle(g, handleId, p, modifiers) {
    const signs = BOX_HANDLE_SIGNS[handleId];
    if (!signs) return g;
    const [sx, sy] = signs;
    let [x1, y1, x2, y2] = g.xyxy;
    if (sx !== 0 && sy !== 0) {
      // Corner: the opposite corner stays put.
      const ax = sx < 0 ? x2 : x1;
      const ay = sy < 0 ? y2 : y1;
      return bboxFromCorners(ax, ay, p.x, p.y, modifiers.shift);
    }
    if (sx < 0) x1 = p.x;
    if (sx > 0) x2 = p.x;
    if (sy < 0) y1 = p.y;
    if (sy > 0) y2 = p.y;
    return bboxFromCorners(x1, y1, x2, y2);
  },
  translate(g, dx, dy) {
    const [x1, y1, x2, y2] = g.xyxy;
    return { type: "bbox", xyxy: [x1 + dx, y1 + dy, x2 + dx, y2 + dy] };
  },
};
