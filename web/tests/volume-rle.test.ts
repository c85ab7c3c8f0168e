import { describe, expect, it } from "vitest";
import fixture from "./volume-fixtures/rle3d.json?raw";
import { decodeCountsString, decodeVolumeRle, encodeVolumeRle } from "../src/viewers/volume/rle3d";

interface Case {
  name: string;
  size: [number, number, number];
  voxels_c_order: number[];
  counts: number[];
  counts_string: string;
}

// Written by Python (volume-fixtures/make_rle3d.py): numpy ravel(order="F") + labelhub.core.rle's string codec.
const cases = JSON.parse(fixture) as Case[];

describe("volume_mask RLE agrees with the Python encoder", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s: encode gives Python's counts", (_name, c) => {
    const labels = Uint8Array.from(c.voxels_c_order, (v) => v * 3);
    const rle = encodeVolumeRle(labels, c.size, 3);
    expect(rle.size).toEqual(c.size);
    expect(rle.counts).toEqual(c.counts);
    expect((rle.counts as number[]).reduce((a, b) => a + b, 0)).toBe(c.size[0] * c.size[1] * c.size[2]);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s: decode of list and string counts gives Python's voxels", (_name, c) => {
    for (const counts of [c.counts, c.counts_string]) {
      const labels = new Uint8Array(c.voxels_c_order.length);
      const set = decodeVolumeRle({ size: c.size, counts }, labels, 2);
      expect(Array.from(labels, (v) => (v === 2 ? 1 : 0))).toEqual(c.voxels_c_order);
      expect(set).toBe(c.voxels_c_order.filter((v) => v === 1).length);
    }
    expect(decodeCountsString(c.counts_string)).toEqual(c.counts);
  });

  it("encodes only the requested class and leaves other voxels alone on decode", () => {
    const labels = Uint8Array.from([0, 1, 2, 2, 1, 0, 0, 2]);
    const rle = encodeVolumeRle(labels, [2, 2, 2], 2);
    const out = Uint8Array.from([5, 5, 0, 0, 0, 0, 0, 0]);
    decodeVolumeRle(rle, out, 7);
    // Fortran order over [d, h, w]: depth varies fastest.
    expect(Array.from(out)).toEqual([5, 5, 7, 7, 0, 0, 0, 7]);
  });

  it("refuses counts that do not sum to the voxel count and sizes that do not match", () => {
    expect(() => decodeVolumeRle({ size: [1, 2, 2], counts: [1, 2] }, new Uint8Array(4), 1)).toThrow(/sum to 3, expected the voxel count 4/);
    expect(() => decodeVolumeRle({ size: [1, 2, 2], counts: [3, 4] }, new Uint8Array(4), 1)).toThrow(/non-negative runs/);
    expect(() => decodeVolumeRle({ size: [2, 2, 2], counts: [8] }, new Uint8Array(4), 1)).toThrow(/does not match/);
    expect(() => encodeVolumeRle(new Uint8Array(3), [1, 2, 2], 1)).toThrow(/expected 4/);
  });
});
