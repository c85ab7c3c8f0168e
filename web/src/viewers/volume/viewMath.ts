import type { PlaneMap } from "./planes";
import type { ViewTransform, VolumeBox } from "./session";

/** Screen placement of a plane's image in a canvas of cw x ch CSS pixels: screen = origin + image * scale. */
export interface Placement {
  ox: number;
  oy: number;
  /** CSS pixels per image pixel along u and v (aspect from the voxel spacing). */
  sx: number;
  sy: number;
}

export function placement(map: PlaneMap, view: ViewTransform, cw: number, ch: number): Placement {
  const wmm = map.width * map.spacingU;
  const hmm = map.height * map.spacingV;
  const fit = Math.min(cw / wmm, ch / hmm) * 0.96;
  const scale = fit * view.zoom;
  return { ox: (cw - wmm * scale) / 2 + view.panX, oy: (ch - hmm * scale) / 2 + view.panY, sx: map.spacingU * scale, sy: map.spacingV * scale };
}

export const toImage = (pl: Placement, x: number, y: number): [number, number] => [(x - pl.ox) / pl.sx, (y - pl.oy) / pl.sy];
export const toScreen = (pl: Placement, pu: number, pv: number): [number, number] => [pl.ox + pu * pl.sx, pl.oy + pv * pl.sy];

/** Image-space rectangle [u0, v0, u1, v1] of a box on this plane, or null when slice s misses it. */
export function boxOnSlice(map: PlaneMap, box: VolumeBox, s: number): [number, number, number, number] | null {
  const b = box.xyzxyz as readonly number[];
  const at = (n: number) => b[n] ?? 0;
  if (s + 0.5 < at(map.fixed) || s + 0.5 > at(map.fixed + 3)) return null;
  const uLo = at(map.u);
  const uHi = at(map.u + 3);
  const vLo = at(map.v);
  const vHi = at(map.v + 3);
  const [u0, u1] = map.flipU ? [map.width - uHi, map.width - uLo] : [uLo, uHi];
  const [v0, v1] = map.flipV ? [map.height - vHi, map.height - vLo] : [vLo, vHi];
  return [u0, v0, u1, v1];
}

/** Voxel-edge coordinate along the plane's u (or v) voxel axis of an image coordinate. */
export const voxelEdgeU = (map: PlaneMap, pu: number) => Math.round(map.flipU ? map.width - pu : pu);
export const voxelEdgeV = (map: PlaneMap, pv: number) => Math.round(map.flipV ? map.height - pv : pv);

export interface EdgeGrab {
  boxId: string;
  /** xyzxyz entries moved by the drag (one per grabbed edge: 1 for an edge, 2 for a corner). */
  entries: { index: number; along: "u" | "v" }[];
}

/** The edges of `box` within `tolerance` CSS pixels of (x, y) on this view. */
export function grabBoxEdge(map: PlaneMap, pl: Placement, box: VolumeBox, s: number, x: number, y: number, tolerance = 6): EdgeGrab | null {
  const r = boxOnSlice(map, box, s);
  if (!r) return null;
  const [x0, y0] = toScreen(pl, r[0], r[1]);
  const [x1, y1] = toScreen(pl, r[2], r[3]);
  if (x < x0 - tolerance || x > x1 + tolerance || y < y0 - tolerance || y > y1 + tolerance) return null;
  const entries: EdgeGrab["entries"] = [];
  const uEntry = (screenEdgeIsLow: boolean) => (screenEdgeIsLow !== map.flipU ? map.u : map.u + 3);
  const vEntry = (screenEdgeIsLow: boolean) => (screenEdgeIsLow !== map.flipV ? map.v : map.v + 3);
  if (Math.abs(x - x0) <= tolerance) entries.push({ index: uEntry(true), along: "u" });
  else if (Math.abs(x - x1) <= tolerance) entries.push({ index: uEntry(false), along: "u" });
  if (Math.abs(y - y0) <= tolerance) entries.push({ index: vEntry(true), along: "v" });
  else if (Math.abs(y - y1) <= tolerance) entries.push({ index: vEntry(false), along: "v" });
  return entries.length > 0 ? { boxId: box.id, entries } : null;
}

/** Moves grabbed edges to image point (pu, pv); keeps every axis at least one voxel thick. */
export function dragBoxEdges(map: PlaneMap, box: VolumeBox, grab: EdgeGrab, pu: number, pv: number): VolumeBox {
  const b: number[] = [...box.xyzxyz];
  const dims = [0, 0, 0];
  dims[map.u] = map.width;
  dims[map.v] = map.height;
  for (const { index, along } of grab.entries) {
    const axis = index % 3;
    const value = Math.max(0, Math.min(dims[axis] ?? 0, along === "u" ? voxelEdgeU(map, pu) : voxelEdgeV(map, pv)));
    if (index < 3) b[index] = Math.min(value, (b[index + 3] ?? 0) - 1);
    else b[index] = Math.max(value, (b[index - 3] ?? 0) + 1);
  }
  return { ...box, xyzxyz: b as VolumeBox["xyzxyz"] };
}

/** A new box from a drag between image points a and b on slice s; its depth matches its in-plane size in mm. */
export function boxFromDrag(map: PlaneMap, s: number, a: [number, number], b: [number, number], id: string, classId: string): VolumeBox | null {
  const u0 = Math.max(0, Math.min(voxelEdgeU(map, a[0]), voxelEdgeU(map, b[0])));
  const u1 = Math.min(map.width, Math.max(voxelEdgeU(map, a[0]), voxelEdgeU(map, b[0])));
  const v0 = Math.max(0, Math.min(voxelEdgeV(map, a[1]), voxelEdgeV(map, b[1])));
  const v1 = Math.min(map.height, Math.max(voxelEdgeV(map, a[1]), voxelEdgeV(map, b[1])));
  if (u1 - u0 < 1 || v1 - v0 < 1) return null;
  const sizeMm = ((u1 - u0) * map.spacingU + (v1 - v0) * map.spacingV) / 2;
  const half = Math.max(0.5, sizeMm / 2 / (map.fixedSpacing));
  const f0 = Math.max(0, Math.round(s + 0.5 - half));
  const f1 = Math.min(map.depth, Math.max(f0 + 1, Math.round(s + 0.5 + half)));
  const xyz = [0, 0, 0, 0, 0, 0] as VolumeBox["xyzxyz"];
  xyz[map.u] = u0;
  xyz[map.u + 3] = u1;
  xyz[map.v] = v0;
  xyz[map.v + 3] = v1;
  xyz[map.fixed] = f0;
  xyz[map.fixed + 3] = f1;
  return { id, classId, xyzxyz: xyz };
}
