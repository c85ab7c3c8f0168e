import type { Vec2 } from "./vec";

/** Closest point to `p` on segment a-b and its parameter t in [0, 1]. */
export function closestPointOnSegment(p: Vec2, a: Vec2, b: Vec2): { point: Vec2; t: number } {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy;
  if (lengthSquared === 0) return { point: { x: a.x, y: a.y }, t: 0 };
  const raw = ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared;
  const t = Math.max(0, Math.min(1, raw));
  return { point: { x: a.x + t * dx, y: a.y + t * dy }, t };
}

export function distanceToSegment(p: Vec2, a: Vec2, b: Vec2): number {
  const { point } = closestPointOnSegment(p, a, b);
  return Math.hypot(p.x - point.x, p.y - point.y);
}
