import { describe, expect, it } from "vitest";
import { interpolateGaps, signedDistance } from "../src/viewers/volume/interpolate";
import { LabelVolume } from "../src/viewers/volume/labels";
import { planeMap, sliceStrides } from "../src/viewers/volume/planes";
import type { PlaneMap } from "../src/viewers/volume/planes";

const dims: [number, number, number] = [32, 32, 20];
const affine = [
  [1, 0, 0, 0],
  [0, 1, 0, 0],
  [0, 0, 1, 0],
  [0, 0, 0, 1],
];
const axial = planeMap({ dims, affine }, "axial");
const coronal = planeMap({ dims, affine }, "coronal");

function sliceCount(labels: LabelVolume, map: PlaneMap, s: number, value: number): number {
  const { origin, du, dv } = sliceStrides(map, labels.dims, s);
  let n = 0;
  for (let pv = 0; pv < map.height; pv++) for (let pu = 0; pu < map.width; pu++) if (labels.data[origin + pu * du + pv * dv] === value) n++;
  return n;
}

describe("label volume", () => {
  it("a dab on the axial plane shows in the coronal plane through it", () => {
    const labels = new LabelVolume(dims);
    labels.begin("brush");
    labels.dab(axial, 7, 16, 16, 4, 1);
    labels.end();
    const area = sliceCount(labels, axial, 7, 1);
    expect(area).toBeGreaterThan(Math.PI * 16 * 0.8);
    expect(area).toBeLessThan(Math.PI * 16 * 1.25);
    // Coronal slice j = 16 crosses the disc: one row (k = 7), about 8 voxels wide.
    expect(sliceCount(labels, coronal, 16, 1)).toBe(8);
    expect(sliceCount(labels, coronal, 25, 1)).toBe(0);
  });

  it("undo and redo restore every voxel of a stroke; the eraser only erases its class", () => {
    const labels = new LabelVolume(dims);
    labels.begin("brush");
    labels.stroke(axial, 3, [4, 4], [20, 4], 2, 2);
    labels.end();
    const painted = labels.data.slice();
    labels.begin("brush");
    labels.dab(axial, 3, 12, 4, 3, 1);
    labels.end();
    labels.begin("eraser");
    labels.dab(axial, 3, 12, 4, 6, 0, 1);
    labels.end();
    expect(sliceCount(labels, axial, 3, 1)).toBe(0);
    expect(sliceCount(labels, axial, 3, 2)).toBeGreaterThan(0);
    labels.undo();
    labels.undo();
    expect(labels.data).toEqual(painted);
    labels.undo();
    expect(labels.histogram()[2]).toBe(0);
    labels.redo();
    expect(labels.data).toEqual(painted);
    expect(labels.canRedo).toBe(true);
  });
});

describe("interpolation between slices", () => {
  it("signed distance is negative inside and grows by the pixel spacing outside", () => {
    const mask = new Uint8Array(5 * 5);
    mask[12] = 1;
    const d = signedDistance(mask, 5, 5, 2, 1);
    expect(d[12]).toBeLessThan(0);
    expect(d[13]).toBeCloseTo(2);
    expect(d[17]).toBeCloseTo(1);
    expect(d[18]).toBeCloseTo(Math.sqrt(5));
  });

  it("fills the slices between two discs with discs of interpolated radius, one undo step", () => {
    const labels = new LabelVolume(dims);
    labels.begin("brush");
    labels.dab(axial, 2, 16, 16, 4, 1);
    labels.dab(axial, 12, 16, 16, 8, 1);
    labels.end();
    // Another class in the way is never overwritten.
    labels.data[(7 * 32 + 16) * 32 + 16] = 3;
    const filled = interpolateGaps(labels, axial, 1);
    expect(filled).toBeGreaterThan(0);
    const radius = (s: number) => Math.sqrt(sliceCount(labels, axial, s, 1) / Math.PI);
    expect(radius(7)).toBeGreaterThan(5.3);
    expect(radius(7)).toBeLessThan(6.7);
    expect(radius(4)).toBeLessThan(radius(10));
    expect(labels.data[(7 * 32 + 16) * 32 + 16]).toBe(3);
    expect(sliceCount(labels, axial, 13, 1)).toBe(0);
    labels.undo();
    for (let s = 3; s < 12; s++) expect(sliceCount(labels, axial, s, 1)).toBe(0);
  });
});
