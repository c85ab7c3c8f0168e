import type { Vec2 } from "./vec";
import { cosSin } from "./vec";

/** [cx, cy, w, h, angle degrees], as in the wire geometry. */
export type Cxcywha = readonly [number, number, number, number, number];

/**
 * Corners of a rotated box, in the order top-left, top-right, bottom-right,
 * bottom-left of the unrotated box, each rotated clockwise (y down) about the centre.
 */
export function rotatedBoxCorners(box: Cxcywha): [Vec2, Vec2, Vec2, Vec2] {
  const [cx, cy, w, h, angle] = box;
  const [cos, sin] = cosSin(angle);
  const corner = (lx: number, ly: number): Vec2 => ({ x: cx + lx * cos - ly * sin, y: cy + lx * sin + ly * cos });
  return [corner(-w / 2, -h / 2), corner(w / 2, -h / 2), corner(w / 2, h / 2), corner(-w / 2, h / 2)];
}

/** `p` in the box's own frame: origin at the centre, axes along its width and height. */
export function toBoxFrame(box: Cxcywha, p: Vec2): Vec2 {
  const [cx, cy, , , angle] = box;
  const [cos, sin] = cosSin(angle);
  const dx = p.x - cx;
  const dy = p.y - cy;
  return { x: dx * cos + dy * sin, y: -dx * sin + dy * cos };
}

/** Inside the box grown by `tolerance` on every side. */
export function pointInRotatedBox(box: Cxcywha, p: Vec2, tolerance = 0): boolean {
  const local = toBoxFrame(box, p);
  return Math.abs(local.x) <= box[2] / 2 + tolerance && Math.abs(local.y) <= box[3] / 2 + tolerance;
}
