import { describe, expect, it } from "vitest";
import type { AnnotationObject } from "../src/schema";
import { bitmapRegion, MAX_SCALE_LOG2, missingFrom, planBitmap, stillShows } from "../src/viewers/image/batchBitmap";

const obj = (id: string): AnnotationObject => ({
  id, class_id: "car", page: 0, geometry: { type: "bbox", xyxy: [0, 0, 1, 1] }, attributes: {}, source: { kind: "human" }, confidence: null,
});

const asset = { minX: 0, minY: 0, maxX: 10_000, maxY: 5_000 };
const content = { minX: -50, minY: -50, maxX: 10_050, maxY: 5_050 };

describe("batch bitmap planning", () => {
  it("covers the view and half a view around it, clipped to the image", () => {
    const view = { minX: 4000, minY: 2000, maxX: 5000, maxY: 2600 };
    expect(bitmapRegion(view, content, 1)).toEqual({ minX: 3500, minY: 1700, maxX: 5500, maxY: 2900 });
    // At fit the whole image (and its stroke margin) is the region.
    expect(bitmapRegion({ minX: -500, minY: -1000, maxX: 10_500, maxY: 6_000 }, content, 0.13)).toEqual(content);
    // Too many pixels: just the view.
    expect(bitmapRegion(view, content, 1, 1, 1_000_000)).toEqual(view);
  });

  it("reuses the bitmap while panning inside it, rasterizes again when the view leaves it", () => {
    const view = { minX: 4000, minY: 2000, maxX: 5000, maxY: 2600 };
    const first = planBitmap(null, view, asset, content, 1, true);
    expect(first.reuse).toBe(false);
    const cached = { region: first.region, zoom: 1 };
    const panned = { minX: 4300, minY: 2100, maxX: 5300, maxY: 2700 };
    expect(planBitmap(cached, panned, asset, content, 1, true)).toEqual({ reuse: true, region: first.region });
    const far = { minX: 7000, minY: 2000, maxX: 8000, maxY: 2600 };
    expect(planBitmap(cached, far, asset, content, 1, true).reuse).toBe(false);
  });

  it("scales while zooming (up to MAX_SCALE_LOG2), then rasterizes sharp once the zoom settles", () => {
    const fit = { minX: -500, minY: -1000, maxX: 10_500, maxY: 6_000 };
    const cached = { region: content, zoom: 0.13 };
    const zoomedIn = 0.13 * 2 ** (MAX_SCALE_LOG2 / 2);
    expect(planBitmap(cached, fit, asset, content, zoomedIn, false).reuse).toBe(true);
    expect(planBitmap(cached, fit, asset, content, zoomedIn, true).reuse).toBe(false);
    expect(planBitmap(cached, fit, asset, content, 0.13 * 2 ** (MAX_SCALE_LOG2 * 1.5), false).reuse).toBe(false);
    expect(planBitmap(cached, fit, asset, content, 0.13, true).reuse).toBe(true);
  });
});

describe("bitmap content", () => {
  const [a, b, c] = [obj("a"), obj("b"), obj("c")];
  it("still shows the batch when objects left it only to be drawn as nodes over it", () => {
    expect(stillShows([a, b, c], [a, b, c], new Set())).toBe(true);
    expect(stillShows([a, b, c], [a, c], new Set([b]))).toBe(true); // b selected or hovered
    expect(stillShows([a, b, c], [a, c], new Set())).toBe(false); // b hidden or deleted
    expect(stillShows([a, b, c], [a, c], new Set([{ ...b }]))).toBe(false); // b moved: a new value
    expect(stillShows([a, c], [a, b, c], new Set())).toBe(false); // b back in the batch, not drawn
    expect(stillShows([a, b, c], [b, a, c], new Set())).toBe(false); // restacked
  });
});

describe("objects drawn live over the bitmap", () => {
  const [a, b, c, d] = [obj("a"), obj("b"), obj("c"), obj("d")];
  it("lists the few batched objects the bitmap lacks, and refuses ghosts and restacking", () => {
    expect(missingFrom([a, c], [a, b, c], new Set())).toEqual([b]); // b deselected after it was moved
    expect(missingFrom([a, c], [a, c, d], new Set())).toEqual([d]); // d created
    expect(missingFrom([a, b, c], [a, c, d], new Set([b]))).toEqual([d]);
    expect(missingFrom([a, b, c], [a, c], new Set([{ ...b }]))).toBeNull(); // b's old value would show
    expect(missingFrom([a, b, c], [b, a, c], new Set())).toBeNull();
    expect(missingFrom([a], [a, ...Array.from({ length: 40 }, (_, i) => obj(`n${i}`))], new Set())).toBeNull(); // too many: raster
  });
});
