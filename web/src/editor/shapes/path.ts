import type { PolygonGeometry, PolylineGeometry, XY } from "../../schema";
import type { ShapeUtil } from "./types";

export type PathGeometry = PolygonGeometry | PolylineGeometry;

/** Fewest vertices a path keeps: 3 for a polygon, 2 for a polyline. */
export function minVertices(g: PathGeometry): number {
  return g.type === "polygon" ? 3 : 2;
}

function withPoints<G extends PathGeometry>(g: G, points: XY[]): G {
  return { ...g, points_xy: points };
}

/** Inserts `p` as a new vertex after vertex `edgeIndex` (i.e. on the edge edgeIndex -> edgeIndex + 1). */
export function insertVertex<G extends PathGeometry>(g: G, edgeIndex: number, p: XY): G {
  const points = [...g.points_xy];
  points.splice(edgeIndex + 1, 0, p);
  return withPoints(g, points);
}

/** Removes vertex `index`; null when that would leave fewer than the minimum. */
export function deleteVertex<G extends PathGeometry>(g: G, index: number): G | null {
  if (g.points_xy.length <= minVertices(g) || index < 0 || index >= g.points_xy.length) return null;
  return withPoints(g, g.points_xy.filter((_, i) => i !== index));
}

/** Handle id of vertex i, and back. */
export const vertexHandleId = (i: number): string => `v${i}`;
export function vertexIndexOf(handleId: string): number {
  const match = /^v(\d+)$/.exec(handleId);
  return match ? Number(match[1]) : -1;
}

function pathShape<G extends PathGeometry>(): ShapeUtil<G> {
  return {
    handles: (g) => g.points_xy.map(([x, y], i) => ({ id: vertexHandleId(i), x, y, kind: "vertex" })),
    dragHandle(g, handleId, p) {
      const index = vertexIndexOf(handleId);
      if (index < 0 || index >= g.points_xy.length) return g;
      return withPoints(g, g.points_xy.map((v, i) => (i === index ? [p.x, p.y] : v)));
    },
    translate: (g, dx, dy) => withPoints(g, g.points_xy.map(([x, y]) => [x + dx, y + dy])),
  };
}

export const polygonShape = pathShape<PolygonGeometry>();
export const polylineShape = pathShape<PolylineGeometry>();
