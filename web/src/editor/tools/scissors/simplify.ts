import type { XY } from "../../../schema";

function segmentDistance(p: XY, a: XY, b: XY): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** Douglas-Peucker on an open path: keeps the ends and every point further than `tolerance` from the simplified line. */
export function simplifyPath(points: readonly XY[], tolerance: number): XY[] {
  if (points.length <= 2) return points.map((p): XY => [p[0], p[1]]);
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [from, to] = stack.pop() as [number, number];
    let worst = -1;
    let worstDistance = tolerance;
    for (let i = from + 1; i < to; i++) {
      const d = segmentDistance(points[i] as XY, points[from] as XY, points[to] as XY);
      if (d > worstDistance) {
        worst = i;
        worstDistance = d;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push([from, worst], [worst, to]);
    }
  }
  return points.filter((_, i) => keep[i]).map((p): XY => [p[0], p[1]]);
}

/** A closed outline (first point may repeat at the end) simplified into polygon vertices. */
export function simplifyRing(points: readonly XY[], tolerance: number): XY[] {
  const ring = points.length > 1 && points[0]?.[0] === points.at(-1)?.[0] && points[0]?.[1] === points.at(-1)?.[1] ? points.slice(0, -1) : points.slice();
  if (ring.length <= 3) return ring.map((p): XY => [p[0], p[1]]);
  // Split at the point furthest from the first so both halves are open paths.
  const first = ring[0] as XY;
  let far = 1;
  for (let i = 1; i < ring.length; i++) {
    const p = ring[i] as XY;
    const q = ring[far] as XY;
    if (Math.hypot(p[0] - first[0], p[1] - first[1]) > Math.hypot(q[0] - first[0], q[1] - first[1])) far = i;
  }
  const a = simplifyPath(ring.slice(0, far + 1), tolerance);
  const b = simplifyPath([...ring.slice(far), first], tolerance);
  return [...a, ...b.slice(1, -1)];
}
