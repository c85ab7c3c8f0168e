import { describe, expect, it } from "vitest";
import { imageOf, orientationLetters, planeMap, sliceStrides, toPatient, voxelOf } from "../src/viewers/volume/planes";
import type { PlaneName } from "../src/viewers/volume/planes";
import { boxFromDrag, boxOnSlice, dragBoxEdges } from "../src/viewers/volume/viewMath";

const dims: [number, number, number] = [6, 5, 4];
// A head-first supine axial CT: i -> +x (patient's left), j -> +y (posterior), k -> +z (superior).
const axialCt = [
  [0.7, 0, 0, -100],
  [0, 0.8, 0, -120],
  [0, 0, 2.5, 40],
  [0, 0, 0, 1],
];

const markers = (affine: number[][], plane: PlaneName) => planeMap({ dims, affine }, plane).markers;

describe("planes from affine_lps", () => {
  it("axial CT: radiological layout and markers", () => {
    expect(markers(axialCt, "axial")).toEqual({ right: "L", left: "R", bottom: "P", top: "A" });
    expect(markers(axialCt, "coronal")).toEqual({ right: "L", left: "R", bottom: "I", top: "S" });
    expect(markers(axialCt, "sagittal")).toEqual({ right: "P", left: "A", bottom: "I", top: "S" });
    const ax = planeMap({ dims, affine: axialCt }, "axial");
    expect([ax.fixed, ax.u, ax.v, ax.flipU, ax.flipV, ax.width, ax.height, ax.depth]).toEqual([2, 0, 1, false, false, 6, 5, 4]);
    const cor = planeMap({ dims, affine: axialCt }, "coronal");
    // Superior at the top: slices run upwards, so v is flipped.
    expect([cor.fixed, cor.u, cor.v, cor.flipV, cor.spacingV]).toEqual([1, 0, 2, true, 2.5]);
  });

  it("columns running to the patient's right are flipped so the display stays radiological", () => {
    const rightward = axialCt.map((r, n) => (n === 0 ? [-0.7, 0, 0, 100] : r));
    const ax = planeMap({ dims, affine: rightward }, "axial");
    expect(ax.flipU).toBe(true);
    expect(ax.markers.right).toBe("L");
    // Image column 0 is the last voxel column.
    expect(voxelOf(ax, 0, 0, 1)).toEqual([5, 0, 1]);
  });

  it("a sagittal acquisition: the axial plane fixes the voxel axis that runs along z", () => {
    // i -> +y (posterior), j -> -z (inferior), k -> +x (left).
    const sag = [
      [0, 0, 1.2, -80],
      [1, 0, 0, -90],
      [0, -1, 0, 100],
      [0, 0, 0, 1],
    ];
    const ax = planeMap({ dims, affine: sag }, "axial");
    expect([ax.fixed, ax.u, ax.v]).toEqual([1, 2, 0]);
    expect(ax.markers).toEqual({ right: "L", left: "R", bottom: "P", top: "A" });
    const sg = planeMap({ dims, affine: sag }, "sagittal");
    expect([sg.fixed, sg.flipV]).toEqual([2, false]);
    expect(sg.markers.top).toBe("S");
  });

  it("oblique directions name the dominant and the secondary axis", () => {
    expect(orientationLetters([0.8, 0.5, 0])).toBe("LP");
    expect(orientationLetters([-0.1, 0, -1])).toBe("I");
  });

  it("voxelOf / imageOf / sliceStrides agree", () => {
    for (const plane of ["axial", "coronal", "sagittal"] as const) {
      const map = planeMap({ dims, affine: axialCt }, plane);
      const s = 1;
      const { origin, du, dv } = sliceStrides(map, dims, s);
      for (let pv = 0; pv < map.height; pv++)
        for (let pu = 0; pu < map.width; pu++) {
          const [i, j, k] = voxelOf(map, pu, pv, s);
          expect(origin + pu * du + pv * dv).toBe((k * dims[1] + j) * dims[0] + i);
          const back = imageOf(map, [i, j, k]);
          expect([back.pu - 0.5, back.pv - 0.5, back.s]).toEqual([pu, pv, s]);
        }
    }
  });

  it("patient position of a voxel", () => {
    expect(toPatient(axialCt, [2, 3, 4])).toEqual([-98.6, -117.6, 50]);
  });
});

describe("3-D boxes", () => {
  const ax = planeMap({ dims: [40, 40, 30], affine: axialCt }, "axial");
  const cor = planeMap({ dims: [40, 40, 30], affine: axialCt }, "coronal");

  it("a drag on the axial plane makes a box whose depth matches its size in mm", () => {
    const box = boxFromDrag(ax, 10, [5.2, 6.9], [15.4, 16.6], "b1", "tumour");
    // 10 x 10 voxels = 7 x 8 mm -> 7.5 mm deep = 3 slices of 2.5 mm around slice 10.
    expect(box?.xyzxyz).toEqual([5, 7, 9, 15, 17, 12]);
    expect(boxFromDrag(ax, 10, [5, 5], [5.2, 9], "b2", "tumour")).toBeNull();
  });

  it("appears on the coronal slices it crosses and its edges move there", () => {
    const box = { id: "b", classId: "c", xyzxyz: [5, 7, 9, 15, 17, 12] as [number, number, number, number, number, number] };
    expect(boxOnSlice(cor, box, 6)).toBeNull();
    // Coronal v runs from superior (k = 30) down: k 9..12 -> v 18..21.
    expect(boxOnSlice(cor, box, 10)).toEqual([5, 18, 15, 21]);
    const moved = dragBoxEdges(cor, box, { boxId: "b", entries: [{ index: 5, along: "v" }] }, 0, 14);
    expect(moved.xyzxyz).toEqual([5, 7, 9, 15, 17, 16]);
    const clamped = dragBoxEdges(cor, box, { boxId: "b", entries: [{ index: 0, along: "u" }] }, 30, 0);
    expect(clamped.xyzxyz[0]).toBe(14);
  });
});
