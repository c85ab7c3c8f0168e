import type { PlaneMap, PlaneName } from "./planes";

/** A polygon on one slice of the volume, as stored: the voxel axis the slice fixes, the slice, points in voxel coordinates. */
export interface VolumePolygon {
  id: string;
  classId: string;
  /** Voxel axis the slice fixes: 0 = i, 1 = j, 2 = k (axial for volumes stored the usual way). */
  axis: 0 | 1 | 2;
  slice: number;
  /** Continuous voxel coordinates (voxel n spans [n, n + 1]) along the two other axes, in i, j, k order. */
  points: [number, number][];
}

/** The polygon being drawn: image coordinates on one slice of one plane. */
export interface PolygonDraft {
  plane: PlaneName;
  slice: number;
  points: [number, number][];
}

export type PolygonInput =
  | { kind: "click"; plane: PlaneName; slice: number; at: [number, number]; /** Image units within which a click closes on the first vertex. */ closeRadius: number }
  | { kind: "enter" }
  | { kind: "escape" }
  | { kind: "backspace" };

/** Result of one input: the new draft, and the finished outline (image coordinates) when the polygon closed. */
export interface PolygonStep {
  draft: PolygonDraft | null;
  done: PolygonDraft | null;
}

/**
 * The polygon tool as a state machine: clicks add vertices; a click on the first vertex (3 or
 * more placed) or Enter closes; Backspace removes the last vertex (the last one cancels); Esc
 * cancels. A click on another plane or slice starts over there.
 */
export function polygonStep(draft: PolygonDraft | null, input: PolygonInput): PolygonStep {
  switch (input.kind) {
    case "escape":
      return { draft: null, done: null };
    case "backspace": {
      if (!draft) return { draft: null, done: null };
      const points = draft.points.slice(0, -1);
      return { draft: points.length > 0 ? { ...draft, points } : null, done: null };
    }
    case "enter":
      return draft && draft.points.length >= 3 ? { draft: null, done: draft } : { draft, done: null };
    case "click": {
      if (!draft || draft.plane !== input.plane || draft.slice !== input.slice) return { draft: { plane: input.plane, slice: input.slice, points: [input.at] }, done: null };
      const first = draft.points[0];
      if (first && draft.points.length >= 3 && Math.hypot(input.at[0] - first[0], input.at[1] - first[1]) <= input.closeRadius) return { draft: null, done: draft };
      const last = draft.points[draft.points.length - 1];
      if (last && last[0] === input.at[0] && last[1] === input.at[1]) return { draft, done: null };
      return { draft: { ...draft, points: [...draft.points, input.at] }, done: null };
    }
  }
}

/** The two voxel axes other than `axis`, in i, j, k order. */
export function inPlaneAxes(axis: 0 | 1 | 2): [0 | 1 | 2, 0 | 1 | 2] {
  return axis === 0 ? [1, 2] : axis === 1 ? [0, 2] : [0, 1];
}

function area(points: readonly [number, number][]): number {
  let s = 0;
  points.forEach(([x1, y1], n) => {
    const [x2, y2] = points[(n + 1) % points.length] ?? [0, 0];
    s += x1 * y2 - x2 * y1;
  });
  return s / 2;
}

/**
 * The stored polygon of a finished outline drawn on `map` (image coordinates, clamped to the
 * slice), or null when it has fewer than 3 distinct points or no area (the server refuses those).
 */
export function polygonFromImage(map: PlaneMap, draft: PolygonDraft, id: string, classId: string): VolumePolygon | null {
  const [a] = inPlaneAxes(map.fixed);
  const clamp = (x: number, hi: number) => Math.round(Math.max(0, Math.min(hi, x)) * 100) / 100;
  const points = draft.points.map(([pu, pv]): [number, number] => {
    const cu = clamp(map.flipU ? map.width - pu : pu, map.width);
    const cv = clamp(map.flipV ? map.height - pv : pv, map.height);
    return map.u === a ? [cu, cv] : [cv, cu];
  });
  if (new Set(points.map((p) => p.join(","))).size < 3 || area(points) === 0) return null;
  return { id, classId, axis: map.fixed, slice: draft.slice, points };
}

/** Image coordinates of a stored polygon on `map`, or null when it lies on another plane's axis. */
export function polygonToImage(map: PlaneMap, polygon: VolumePolygon): [number, number][] | null {
  if (polygon.axis !== map.fixed) return null;
  const [a] = inPlaneAxes(map.fixed);
  return polygon.points.map(([x, y]): [number, number] => {
    const cu = map.u === a ? x : y;
    const cv = map.u === a ? y : x;
    return [map.flipU ? map.width - cu : cu, map.flipV ? map.height - cv : cv];
  });
}

export const AXIS_NAMES = ["i", "j", "k"] as const;
