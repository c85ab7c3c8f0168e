import type { EllipseGeometry } from "../../schema";
import type { ShapeUtil } from "./types";
import { angleTowards, fromFrame } from "./rotatedBbox";
import { toBoxFrame } from "../../geometry";

const AXIS_HANDLES: Readonly<Record<string, readonly [number, number]>> = { e: [1, 0], w: [-1, 0], s: [0, 1], n: [0, -1] };

/** Ellipse inscribed in the box between two corners; with `circle`, rx = ry = the larger. */
export function ellipseFromCorners(ax: number, ay: number, bx: number, by: number, circle = false): EllipseGeometry {
  let rx = Math.abs(bx - ax) / 2;
  let ry = Math.abs(by - ay) / 2;
  if (circle) rx = ry = Math.max(rx, ry);
  const cx = ax + Math.sign(bx - ax || 1) * rx;
  const cy = ay + Math.sign(by - ay || 1) * ry;
  return { type: "ellipse", cxcyrxrya: [cx, cy, rx, ry, 0] };
}

export const ellipseShape: ShapeUtil<EllipseGeometry> = {
  handles(g, options) {
    const [cx, cy, rx, ry, angle] = g.cxcyrxrya;
    const handles = Object.entries(AXIS_HANDLES).map(([id, [sx, sy]]) => {
      const p = fromFrame(cx, cy, angle, { x: sx * rx, y: sy * ry });
      return { id, x: p.x, y: p.y, kind: "edge" as const };
    });
    const r = fromFrame(cx, cy, angle, { x: 0, y: -ry - options.rotateOffset });
    return [...handles, { id: "rotate", x: r.x, y: r.y, kind: "rotate" as const }];
  },
  dragHandle(g, handleId, p, modifiers) {
    const [cx, cy, rx, ry, angle] = g.cxcyrxrya;
    if (handleId === "rotate") return { type: "ellipse", cxcyrxrya: [cx, cy, rx, ry, angleTowards(cx, cy, p, modifiers.shift)] };
    const local = toBoxFrame([cx, cy, 0, 0, angle], p);
    if (handleId === "e" || handleId === "w") {
      const r = Math.abs(local.x);
      return { type: "ellipse", cxcyrxrya: [cx, cy, r, modifiers.shift ? r : ry, angle] };
    }
    if (handleId === "n" || handleId === "s") {
      const r = Math.abs(local.y);
      return { type: "ellipse", cxcyrxrya: [cx, cy, modifiers.shift ? r : rx, r, angle] };
    }
    return g;
  },
  translate(g, dx, dy) {
    const [cx, cy, rx, ry, a] = g.cxcyrxrya;
    return { type: "ellipse", cxcyrxrya: [cx + dx, cy + dy, rx, ry, a] };
  },
};
