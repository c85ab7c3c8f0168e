import { describe, expect, it } from "vitest";
import { createMask, decodeRle, encodeRle, rleArea, rlePixel, stampDisk, stampSegment } from "../src/geometry";

/** Row-major rows of 0/1 to a mask. */
function maskOf(rows: number[][]) {
  const mask = createMask(rows[0]?.length ?? 0, rows.length);
  rows.forEach((row, y) => row.forEach((v, x) => (mask.data[y * mask.width + x] = v)));
  return mask;
}

describe("COCO RLE (uncompressed, column-major, first run counts zeros)", () => {
  it("encodes a known 3x3 mask", () => {
    // columns top to bottom: [0,0,0] [1,1,0] [0,1,0] -> 0 0 0 1 1 0 0 1 0
    const mask = maskOf([
      [0, 1, 0],
      [0, 1, 1],
      [0, 0, 0],
    ]);
    expect(encodeRle(mask)).toEqual({ size: [3, 3], counts: [3, 2, 2, 1, 1] });
  });

  it("starts with a zero-length run when the first pixel is set", () => {
    expect(encodeRle(maskOf([[1, 0], [1, 0]]))).toEqual({ size: [2, 2], counts: [0, 2, 2] });
  });

  it("encodes a non-square mask column by column (size is [height, width])", () => {
    const mask = maskOf([
      [1, 0, 0, 1],
      [0, 0, 1, 1],
    ]);
    expect(encodeRle(mask)).toEqual({ size: [2, 4], counts: [0, 1, 4, 3] });
  });

  it("decodes back to the same pixels", () => {
    const rows = [
      [0, 1, 0, 1],
      [1, 1, 0, 0],
      [0, 0, 0, 1],
    ];
    const rle = encodeRle(maskOf(rows));
    expect(Array.from(decodeRle(rle).data)).toEqual(rows.flat());
    expect(rleArea(rle)).toBe(5);
    expect(rlePixel(rle, 1, 1)).toBe(true);
    expect(rlePixel(rle, 2, 1)).toBe(false);
    expect(rlePixel(rle, 3, 2)).toBe(true);
    expect(rlePixel(rle, 4, 0)).toBe(false);
  });

  it("an empty mask is one run of zeros", () => {
    expect(encodeRle(createMask(4, 2))).toEqual({ size: [2, 4], counts: [8] });
  });
});

describe("brush stamping", () => {
  it("a disc of radius 1 at a pixel centre sets the pixel and its 4 neighbours", () => {
    const mask = createMask(5, 5);
    expect(stampDisk(mask, { x: 2.5, y: 2.5 }, 1, 1)).toEqual({ minX: 1, minY: 1, maxX: 5, maxY: 5 });
    expect(encodeRle(mask)).toEqual({ size: [5, 5], counts: [7, 1, 3, 3, 3, 1, 7] });
  });

  it("erasing clears pixels; stamps are clipped to the mask", () => {
    const mask = maskOf([
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 1],
    ]);
    stampDisk(mask, { x: 0, y: 0 }, 1, 0);
    expect(Array.from(mask.data)).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(stampDisk(mask, { x: -10, y: -10 }, 1, 0)).toBeNull();
  });

  it("a segment stamps a capsule", () => {
    const mask = createMask(6, 3);
    stampSegment(mask, { x: 0.5, y: 1.5 }, { x: 5.5, y: 1.5 }, 0.5, 1);
    expect(encodeRle(mask)).toEqual({ size: [3, 6], counts: [1, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 1] });
  });
});
