import { closestPointOnSegment } from "./segment";
import type { Vec2 } from "./vec";

/** Even-odd rule (ray casting); points exactly on an edge may fall either way. */
export function pointInPolygon(p: Vec2, ring: readonly Vec2[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i] as Vec2;
    const b = ring[j] as Vec2;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** Shoelace area; positive when the ring turns clockwise on screen (y down). */
export function signedArea(ring: readonly Vec2[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j] as Vec2;
    const b = ring[i] as Vec2;
    sum += a.x * b.y - b.x * a.y;
  }
  return sum / 2;
}

export interface NearestEdge {
  /** The edge runs from vertex `index` to vertex `index + 1` (wrapping when closed). */
  index: number;
  distance: number;
  point: Vec2;
}

/** The edge of a path nearest to `p`; null for fewer than 2 vertices. */
export function nearestEdge(p: Vec2, points: readonly Vec2[], closed: boolean): NearestEdge | null {
  const edgeCount = closed ? points.length : points.length - 1;
  let best: NearestEdge | null = null;
  for (let i = 0; i < edgeCount; i++) {
    const a = points[i] as Vec2;
    const b = points[(i + 1) % points.length] as Vec2;
    const { point } = closestPointOnSegment(p, a, b);
    const d = Math.hypot(p.x - point.x, p.y - point.y);
    if (!best || d < best.distance) best = { index: i, distance: d, point };
  }
  return best;
}

/** Index of the vertex nearest to `p` within `tolerance`, or -1. */
export function nearestVertex(p: Vec2, points: readonly Vec2[], tolerance: number): number {
  let best = -1;
  let bestDistance = tolerance;
  points.forEach((v, i) => {
    const d = Math.hypot(p.x - v.x, p.y - v.y);
    if (d <= bestDistance) {
      best = i;
      bestDistance = d;
    }
  });
  return best;
}
