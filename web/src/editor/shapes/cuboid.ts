import type { CuboidGeometry, Quad, XY } from "../../schema";
import type { ShapeUtil } from "./types";

/** Axis-aligned front face from two corners, ordered top-left, top-right, bottom-right, bottom-left. */
export function quadFromCorners(ax: number, ay: number, bx: number, by: number): Quad {
  const x1 = Math.min(ax, bx);
  const x2 = Math.max(ax, bx);
  const y1 = Math.min(ay, by);
  const y2 = Math.max(ay, by);
  return [[x1, y1], [x2, y1], [x2, y2], [x1, y2]];
}

export function offsetQuad(q: Quad, dx: number, dy: number): Quad {
  return q.map(([x, y]): XY => [x + dx, y + dy]) as Quad;
}

/** Back face = front face shifted by (dx, dy): the cuboid's depth. */
export function cuboidFromFront(front: Quad, dx: number, dy: number): CuboidGeometry {
  return { type: "cuboid", front_xy: front, back_xy: offsetQuad(front, dx, dy) };
}

/**
 * Front corner handles f0..f3 resize the front face (opposite corner fixed) and
 * carry the back face along; back handles b0..b3 change the depth offset.
 */
export const cuboidShape: ShapeUtil<CuboidGeometry> = {
  handles: (g) => [
    ...g.front_xy.map(([x, y], i) => ({ id: `f${i}`, x, y, kind: "corner" as const })),
    ...g.back_xy.map(([x, y], i) => ({ id: `b${i}`, x, y, kind: "vertex" as const })),
  ],
  dragHandle(g, handleId, p) {
    const match = /^([fb])([0-3])$/.exec(handleId);
    if (!match) return g;
    const index = Number(match[2]);
    const front = g.front_xy[index] as XY;
    if (match[1] === "b") return cuboidFromFront(g.front_xy, p.x - front[0], p.y - front[1]);
    const opposite = g.front_xy[(index + 2) % 4] as XY;
    const dx = g.back_xy[0][0] - g.front_xy[0][0];
    const dy = g.back_xy[0][1] - g.front_xy[0][1];
    return cuboidFromFront(quadFromCorners(opposite[0], opposite[1], p.x, p.y), dx, dy);
  },
  translate: (g, dx, dy) => ({ type: "cuboid", front_xy: offsetQuad(g.front_xy, dx, dy), back_xy: offsetQuad(g.back_xy, dx, dy) }),
};
