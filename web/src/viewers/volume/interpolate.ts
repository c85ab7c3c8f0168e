import type { LabelVolume } from "./labels";
import type { PlaneMap } from "./planes";
import { sliceStrides } from "./planes";

const INF = 1e20;

/** Squared Euclidean distance transform in 1-D (Felzenszwalb & Huttenlocher), in place over f[offset + n*stride]. */
function edt1d(f: Float64Array, offset: number, stride: number, n: number, scale2: number, v: Int32Array, z: Float64Array, d: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -INF;
  z[1] = INF;
  const at = (q: number) => f[offset + q * stride] as number;
  for (let q = 1; q < n; q++) {
    let s: number;
    for (;;) {
      const p = v[k] as number;
      s = (at(q) + scale2 * q * q - (at(p) + scale2 * p * p)) / (2 * scale2 * (q - p));
      if (s <= (z[k] as number) && k > 0) k--;
      else break;
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = INF;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while ((z[k + 1] as number) < q) k++;
    const p = v[k] as number;
    d[q] = scale2 * (q - p) * (q - p) + at(p);
  }
  for (let q = 0; q < n; q++) f[offset + q * stride] = d[q] as number;
}

/** Distance (mm) from each pixel to the nearest pixel where `inside` is `target`; pixel sizes su x sv mm. */
export function distanceTransform(inside: Uint8Array, w: number, h: number, target: number, su: number, sv: number): Float64Array {
  const f = new Float64Array(w * h);
  for (let n = 0; n < f.length; n++) f[n] = inside[n] === target ? 0 : INF;
  const m = Math.max(w, h);
  const v = new Int32Array(m);
  const z = new Float64Array(m + 1);
  const d = new Float64Array(m);
  for (let y = 0; y < h; y++) edt1d(f, y * w, 1, w, su * su, v, z, d);
  for (let x = 0; x < w; x++) edt1d(f, x, w, h, sv * sv, v, z, d);
  for (let n = 0; n < f.length; n++) f[n] = Math.sqrt(f[n] as number);
  return f;
}

/** Signed distance: negative inside the mask, positive outside (mm). */
export function signedDistance(mask: Uint8Array, w: number, h: number, su: number, sv: number): Float64Array {
  const outside = distanceTransform(mask, w, h, 1, su, sv);
  const inside = distanceTransform(mask, w, h, 0, su, sv);
  const out = new Float64Array(w * h);
  for (let n = 0; n < out.length; n++) out[n] = (outside[n] as number) - (inside[n] as number);
  return out;
}

function readSlice(labels: LabelVolume, map: PlaneMap, s: number, value: number): Uint8Array {
  const { origin, du, dv } = sliceStrides(map, labels.dims, s);
  const out = new Uint8Array(map.width * map.height);
  for (let pv = 0; pv < map.height; pv++)
    for (let pu = 0; pu < map.width; pu++) out[pv * map.width + pu] = labels.data[origin + pu * du + pv * dv] === value ? 1 : 0;
  return out;
}

/** Slices of `map` holding at least one voxel of `value`. */
export function labelledSlices(labels: LabelVolume, map: PlaneMap, value: number): number[] {
  const found: number[] = [];
  for (let s = 0; s < map.depth; s++) if (readSlice(labels, map, s, value).includes(1)) found.push(s);
  return found;
}

/**
 * Shape-based interpolation (signed distance maps blended linearly, Raya & Udupa 1990) of class
 * `value` across every gap between labelled slices of `map` (within [from, to] when given). Only
 * unlabelled voxels are filled. One undo step. Returns the number of voxels set.
 */
export function interpolateGaps(labels: LabelVolume, map: PlaneMap, value: number, range?: [number, number]): number {
  const slices = labelledSlices(labels, map, value).filter((s) => !range || (s >= range[0] && s <= range[1]));
  const w = map.width;
  const h = map.height;
  let filled = 0;
  labels.begin("interpolate");
  for (let n = 0; n + 1 < slices.length; n++) {
    const a = slices[n] as number;
    const b = slices[n + 1] as number;
    if (b - a < 2) continue;
    const da = signedDistance(readSlice(labels, map, a, value), w, h, map.spacingU, map.spacingV);
    const db = signedDistance(readSlice(labels, map, b, value), w, h, map.spacingU, map.spacingV);
    for (let s = a + 1; s < b; s++) {
      const t = (s - a) / (b - a);
      const { origin, du, dv } = sliceStrides(map, labels.dims, s);
      for (let pv = 0; pv < h; pv++)
        for (let pu = 0; pu < w; pu++) {
          const p = pv * w + pu;
          if ((1 - t) * (da[p] as number) + t * (db[p] as number) > 0) continue;
          const index = origin + pu * du + pv * dv;
          if (labels.data[index] !== 0) continue;
          labels.set(index, value);
          filled++;
        }
    }
  }
  labels.end();
  labels.version++;
  return filled;
}
