import { describe, expect, it } from "vitest";
import fixture from "./volume-fixtures/volume-blobs.json?raw";
import type { VolumeHeader } from "../src/viewers/volume/blob";
import { decodeOnMainThread, decodeVolume, parseHeader } from "../src/viewers/volume/blob";
import { ChunkedDecode, chunkPlan } from "../src/viewers/volume/zstdPool";

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

function planOf(h: VolumeHeader, rawBytes: number) {
  const plan = chunkPlan(h, rawBytes);
  if (!plan) throw new Error("expected a chunked header");
  return plan;
}

describe("chunked zstd volumes", () => {
  const header = (chunks: number[] | undefined, slices: number | undefined) =>
    ({ dtype: "int16", shape: [5, 2, 3], compression: "zstd", chunks, chunk_slices: slices }) as unknown as VolumeHeader;

  it("places each frame at its slab, the last one short", () => {
    const plan = chunkPlan(header([10, 20, 7], 2), 5 * 6 * 2);
    expect(plan).toEqual({ from: [0, 10, 30], sizes: [10, 20, 7], outAt: [0, 24, 48], outSizes: [24, 24, 12] });
    expect(chunkPlan(header(undefined, undefined), 60)).toBeNull();
    expect(() => chunkPlan(header([10, 20], 2), 60)).toThrow(/do not cover/);
  });

  it("starts each frame as soon as its bytes are in and assembles them whatever order they finish in", async () => {
    const plan = planOf(header([2, 2, 2], 2), 60);
    const started: number[] = [];
    const finish: (() => void)[] = [];
    // A fake decoder: frame n's "compressed" bytes are [n, n]; it decodes to `size` bytes of n + 1.
    const decode = (frame: Uint8Array, size: number) =>
      new Promise<Uint8Array>((resolve) => {
        const n = frame[0] as number;
        started.push(n);
        finish.push(() => resolve(new Uint8Array(size).fill(n + 1)));
      });
    const body = new Uint8Array([0, 0, 1, 1, 2, 2]);
    const chunked = new ChunkedDecode(plan, body, 60, decode);
    chunked.offer(3); // frame 0 complete, frame 1 half there
    expect(started).toEqual([0]);
    chunked.offer(6);
    expect(started).toEqual([0, 1, 2]);
    finish.reverse().forEach((f) => f()); // the last frame finishes first
    const out = await chunked.done();
    expect(Array.from(out.subarray(0, 24)).every((v) => v === 1)).toBe(true);
    expect(Array.from(out.subarray(24, 48)).every((v) => v === 2)).toBe(true);
    expect(Array.from(out.subarray(48)).every((v) => v === 3)).toBe(true);
  });

  it("reports a truncated body and a frame that decodes to the wrong size", async () => {
    const plan = planOf(header([2, 2, 2], 2), 60);
    const short = new ChunkedDecode(plan, new Uint8Array(6), 60, (_f, size) => Promise.resolve(new Uint8Array(size)));
    short.offer(4);
    await expect(short.done()).rejects.toThrow(/truncated/);
    const wrong = new ChunkedDecode(plan, new Uint8Array(6), 60, () => Promise.resolve(new Uint8Array(5)));
    wrong.offer(6);
    await expect(wrong.done()).rejects.toThrow(/does not match/);
  });

  it("decodes the frames of a real chunked blob on the main thread, where there are no workers", async () => {
    const chunked = blobs.find((b) => b.compression === "zstd/1 slice per frame") as Blob;
    const v = await decodeVolume(bytes(chunked).buffer, decodeOnMainThread);
    expect(v.header.chunks).toHaveLength(4);
    expect(Array.from(v.voxels)).toEqual(chunked.voxels_c_order);
  });
});
