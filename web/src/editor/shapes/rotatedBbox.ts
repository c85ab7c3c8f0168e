import type { Vec2 } from "../../geometry";
import { cosSin, normalizeDegrees, toBoxFrame, toDegrees } from "../../geometry";
import type { RotatedBboxGeometry } from "../../schema";
import type { Handle, ShapeUtil } from "./types";
import { BOX_HANDLE_SIGNS } from "./types";

/** Frame point (origin at the centre, axes along the shape) back to asset pixels. */
export function fromFrame(cx: number, cy: number, angle: number, local: Vec2): Vec2 {
  const [cos, sin] = cosSin(angle);
  return { x: cx + local.x * cos - local.y * sin, y: cy + local.x * sin + local.y * cos };
}

/**
 * Angle that points a shape's "up" axis from the centre towards `p`, in (-180, 180];
 * with `snap`, rounded to 15 degrees.
 */
export function angleTowards(cx: number, cy: number, p: Vec2, snap: boolean): number {
  const raw = toDegrees(Math.atan2(p.y - cy, p.x - cx)) + 90;
  const angle = snap ? Math.round(raw / 15) * 15 : raw;
  return normalizeDegrees(angle) + 0; // "+ 0" turns -0 into 0
}

export const rotatedBboxShape: ShapeUtil<RotatedBboxGeometry> = {
  handles(g, options) {
    const [cx, cy, w, h, angle] = g.cxcywha;
    const handles: Handle[] = Object.entries(BOX_HANDLE_SIGNS).map(([id, [sx, sy]]) => {
      const p = fromFrame(cx, cy, angle, { x: (sx * w) / 2, y: (sy * h) / 2 });
      return { id, x: p.x, y: p.y, kind: sx !== 0 && sy !== 0 ? "corner" : "edge" };
    });
    const r = fromFrame(cx, cy, angle, { x: 0, y: -h / 2 - options.rotateOffset });
    handles.push({ id: "rotate", x: r.x, y: r.y, kind: "rotate" });
    return handles;
  },
  dragHandle(g, handleId, p, modifiers) {
    const [cx, cy, w, h, angle] = g.cxcywha;
    if (handleId === "rotate") return { type: "rotated_bbox", cxcywha: [cx, cy, w, h, angleTowards(cx, cy, p, modifiers.shift)] };
    const signs = BOX_HANDLE_SIGNS[handleId];
    if (!signs) return g;
    const [sx, sy] = signs;
    // Work in the box's frame: the opposite side stays fixed, the dragged side follows p.
    const local = toBoxFrame(g.cxcywha, p);
    const fixedX = (-sx * w) / 2;
    const fixedY = (-sy * h) / 2;
    const newW = sx === 0 ? w : Math.abs(local.x - fixedX);
    const newH = sy === 0 ? h : Math.abs(local.y - fixedY);
    const centre = fromFrame(cx, cy, angle, {
      x: sx === 0 ? 0 : (local.x + fixedX) / 2,
      y: sy === 0 ? 0 : (local.y + fixedY) / 2,
    });
    return { type: "rotated_bbox", cxcywha: [centre.x, centre.y, newW, newH, angle] };
  },
  translate(g, dx, dy) {
    const [cx, cy, w, h, a] = g.cxcywha;
    return { type: "rotated_bbox", cxcywha: [cx + dx, cy + dy, w, h, a] };
  },
};
