/**
 * The three planes of a volume as 2-D images, derived from `affine_lps` (voxel (i, j, k) -> LPS mm).
 *
 * Radiological display convention (as OHIF / Cornerstone): axial seen from the feet (patient's
 * right on the screen's left, anterior up), coronal seen from the front (right on the left,
 * superior up), sagittal seen from the patient's left (anterior on the left, superior up). For each
 * plane the voxel axis whose direction is closest to the plane's normal is fixed; the other two
 * become the image's u (across) and v (down) axes, flipped where needed. Voxels are never resampled.
 */
export type PlaneName = "axial" | "coronal" | "sagittal";
export const PLANES: readonly PlaneName[] = ["axial", "sagittal", "coronal"];

/** Voxel axes: 0 = i (columns), 1 = j (rows), 2 = k (slices). */
export type Axis = 0 | 1 | 2;

export interface PlaneMap {
  name: PlaneName;
  /** Voxel axis fixed by the slice, and the axes along the image's u (right) and v (down). */
  fixed: Axis;
  u: Axis;
  v: Axis;
  /** Whether u / v run against the voxel axis (u = 0 is the last voxel). */
  flipU: boolean;
  flipV: boolean;
  /** Image size in voxels and pixel spacing in mm. */
  width: number;
  height: number;
  spacingU: number;
  spacingV: number;
  /** Slice spacing (mm) along the fixed axis. */
  fixedSpacing: number;
  /** Number of slices along `fixed`. */
  depth: number;
  /** Orientation letters at the right, left, bottom and top edges of the image. */
  markers: { right: string; left: string; bottom: string; top: string };
}

export interface VolumeGeometry {
  dims: [number, number, number];
  affine: number[][];
}

/** Column `axis` of the affine: the LPS direction (mm) of one voxel step. */
export function axisVector(affine: number[][], axis: Axis): [number, number, number] {
  return [affine[0]?.[axis] ?? 0, affine[1]?.[axis] ?? 0, affine[2]?.[axis] ?? 0];
}

const norm = (v: number[]) => Math.hypot(...v) || 1;

/** Patient-orientation letters of a LPS direction: dominant first, then components over 30 %. */
export function orientationLetters(d: readonly number[]): string {
  const letters = [
    ["R", "L"],
    ["A", "P"],
    ["I", "S"],
  ] as const;
  const n = norm([...d]);
  return [0, 1, 2]
    .map((a) => ({ a, w: Math.abs(d[a] ?? 0) / n }))
    .filter((x) => x.w > 0.3)
    .sort((x, y) => y.w - x.w)
    .map(({ a }) => letters[a]?.[(d[a] ?? 0) > 0 ? 1 : 0] ?? "")
    .join("");
}

const opposite = (s: string) => s.replace(/./g, (c) => ({ R: "L", L: "R", A: "P", P: "A", S: "I", I: "S" })[c] ?? c);

/** Which LPS axis (0 x, 1 y, 2 z) each voxel axis is closest to, without reusing one. */
function dominantAxes(affine: number[][]): [number, number, number] {
  const used = new Set<number>();
  const out: number[] = [0, 0, 0];
  const weights = ([0, 1, 2] as Axis[]).map((a) => axisVector(affine, a).map((x) => Math.abs(x) / norm(axisVector(affine, a))));
  const pairs: { a: number; p: number; w: number }[] = [];
  weights.forEach((w, a) => w.forEach((x, p) => pairs.push({ a, p, w: x })));
  pairs.sort((x, y) => y.w - x.w);
  const done = new Set<number>();
  for (const { a, p } of pairs) {
    if (done.has(a) || used.has(p)) continue;
    out[a] = p;
    done.add(a);
    used.add(p);
  }
  return out as [number, number, number];
}

/** Per plane: the patient axis of its normal, of its u axis (+ direction wanted), of its v axis (+ wanted). */
const LAYOUT: Record<PlaneName, { normal: number; u: number; uSign: 1 | -1; v: number; vSign: 1 | -1 }> = {
  axial: { normal: 2, u: 0, uSign: 1, v: 1, vSign: 1 },
  coronal: { normal: 1, u: 0, uSign: 1, v: 2, vSign: -1 },
  sagittal: { normal: 0, u: 1, uSign: 1, v: 2, vSign: -1 },
};

export function planeMap(geometry: VolumeGeometry, name: PlaneName): PlaneMap {
  const { dims, affine } = geometry;
  const patientOf = dominantAxes(affine);
  const voxelFor = (p: number) => patientOf.indexOf(p) as Axis;
  const layout = LAYOUT[name];
  const fixed = voxelFor(layout.normal);
  const u = voxelFor(layout.u);
  const v = voxelFor(layout.v);
  const du = axisVector(affine, u);
  const dv = axisVector(affine, v);
  const flipU = Math.sign(du[layout.u] ?? 1) !== layout.uSign;
  const flipV = Math.sign(dv[layout.v] ?? 1) !== layout.vSign;
  const right = du.map((x) => (flipU ? -x : x));
  const down = dv.map((x) => (flipV ? -x : x));
  return {
    name,
    fixed,
    u,
    v,
    flipU,
    flipV,
    width: dims[u],
    height: dims[v],
    spacingU: norm(du),
    spacingV: norm(dv),
    fixedSpacing: norm(axisVector(affine, fixed)),
    depth: dims[fixed],
    markers: { right: orientationLetters(right), left: opposite(orientationLetters(right)), bottom: orientationLetters(down), top: opposite(orientationLetters(down)) },
  };
}

/** Voxel index triple (i, j, k) of image pixel (pu, pv) on slice `s` of the plane. */
export function voxelOf(map: PlaneMap, pu: number, pv: number, s: number): [number, number, number] {
  const out: [number, number, number] = [0, 0, 0];
  out[map.fixed] = s;
  out[map.u] = map.flipU ? map.width - 1 - pu : pu;
  out[map.v] = map.flipV ? map.height - 1 - pv : pv;
  return out;
}

/** Image coordinates (continuous, pixel centres at +0.5) of a continuous voxel position. */
export function imageOf(map: PlaneMap, voxel: readonly number[]): { pu: number; pv: number; s: number } {
  const cu = (voxel[map.u] ?? 0) + 0.5;
  const cv = (voxel[map.v] ?? 0) + 0.5;
  return { pu: map.flipU ? map.width - cu : cu, pv: map.flipV ? map.height - cv : cv, s: voxel[map.fixed] ?? 0 };
}

/** Linear-index walk of one slice: index(pu, pv) = origin + pu * du + pv * dv. */
export function sliceStrides(map: PlaneMap, dims: readonly [number, number, number], s: number): { origin: number; du: number; dv: number } {
  const stride = [1, dims[0], dims[0] * dims[1]];
  const [i, j, k] = voxelOf(map, 0, 0, s);
  const su = stride[map.u] ?? 1;
  const sv = stride[map.v] ?? 1;
  return { origin: i * (stride[0] ?? 1) + j * (stride[1] ?? 1) + k * (stride[2] ?? 1), du: map.flipU ? -su : su, dv: map.flipV ? -sv : sv };
}

/** LPS position (mm) of a continuous voxel position. */
export function toPatient(affine: number[][], voxel: readonly number[]): [number, number, number] {
  const [i = 0, j = 0, k = 0] = voxel;
  const row = (r: number) => (affine[r]?.[0] ?? 0) * i + (affine[r]?.[1] ?? 0) * j + (affine[r]?.[2] ?? 0) * k + (affine[r]?.[3] ?? 0);
  return [row(0), row(1), row(2)];
}
