import { describe, expect, it } from "vitest";
import fixture from "./volume-fixtures/volume-blobs.json?raw";
import { decodeVolume, parseHeader } from "../src/viewers/volume/blob";

interface Blob {
  dtype: string;
  compression: string;
  voxels_c_order: number[];
  blob_base64: string;
}

// Blobs written by labelhub.media.volume.encode (volume-fixtures/make_rle3d.py).
const blobs = JSON.parse(fixture) as Blob[];
const bytes = (b: Blob) => Uint8Array.from(atob(b.blob_base64), (c) => c.charCodeAt(0));

describe("volume blob", () => {
  it.each(blobs.map((b) => [`${b.dtype}/${b.compression}`, b] as const))("decodes %s as Python wrote it", async (_name, b) => {
    const v = await decodeVolume(bytes(b).buffer);
    expect(v.header.shape).toEqual([4, 3, 2]);
    expect([v.nk, v.nj, v.ni]).toEqual([4, 3, 2]);
    expect(v.voxels).toBeInstanceOf(b.dtype === "int16" ? Int16Array : Float32Array);
    expect(Array.from(v.voxels)).toEqual(b.voxels_c_order);
    expect(v.range).toEqual([-1000, 1300]);
    expect(v.header.affine_lps[2]).toEqual([0, 0, 2.5, 40]);
    expect(v.header.window_presets.map((p) => p.name)).toEqual(["soft tissue", "lung", "bone", "brain"]);
  });

  it("refuses a bad magic, a future version and a truncated body with what to do", async () => {
    const good = bytes(blobs[0] as Blob);
    expect(() => parseHeader(new Uint8Array(20))).toThrow(/bad magic/);
    const future = good.slice();
    future[6] = 2;
    expect(() => parseHeader(future)).toThrow(/version 2/);
    await expect(decodeVolume(good.slice(0, good.length - 5).buffer)).rejects.toThrow();
  });
});
