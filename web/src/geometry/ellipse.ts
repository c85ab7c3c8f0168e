import type { Bounds } from "./bounds";
import type { Vec2 } from "./vec";
import { cosSin } from "./vec";

/** [cx, cy, rx, ry, angle degrees], as in the wire geometry. */
export type Cxcyrxrya = readonly [number, number, number, number, number];

/** Inside the ellipse whose radii are grown by `tolerance`. */
export function pointInEllipse(e: Cxcyrxrya, p: Vec2, tolerance = 0): boolean {
  const [cx, cy, rx, ry, angle] = e;
  const [cos, sin] = cosSin(angle);
  const dx = p.x - cx;
  const dy = p.y - cy;
  const lx = dx * cos + dy * sin;
  const ly = -dx * sin + dy * cos;
  const a = rx + tolerance;
  const b = ry + tolerance;
  if (a <= 0 || b <= 0) return false;
  return (lx * lx) / (a * a) + (ly * ly) / (b * b) <= 1;
}

/** Exact axis-aligned bounds of a rotated ellipse. */
export function ellipseBounds(e: Cxcyrxrya): Bounds {
  const [cx, cy, rx, ry, angle] = e;
  const [cos, sin] = cosSin(angle);
  const halfW = Math.sqrt(rx * rx * cos * cos + ry * ry * sin * sin);
  const halfH = Math.sqrt(rx * rx * sin * sin + ry * ry * cos * cos);
  return { minX: cx - halfW, minY: cy - halfH, maxX: cx + halfW, maxY: cy + halfH };
}
