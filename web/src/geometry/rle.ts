import type { Rle } from "../schema";
import type { Bounds } from "./bounds";

/**
 * A binary mask in memory: row-major (data[y * width + x]), 1 = set, as a
 * canvas wants it. The wire RLE is column-major; encode/decode convert.
 */
export interface MaskBitmap {
  width: number;
  height: number;
  data: Uint8Array;
}

export function createMask(width: number, height: number): MaskBitmap {
  return { width, height, data: new Uint8Array(width * height) };
}

/** COCO uncompressed RLE: walk columns left to right, each top to bottom; the first run counts zeros. */
export function encodeRle(mask: MaskBitmap): Rle {
  const { width, height, data } = mask;
  const counts: number[] = [];
  let current = 0;
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      const value = data[y * width + x] ? 1 : 0;
      if (value !== current) {
        counts.push(run);
        run = 0;
        current = value;
      }
      run++;
    }
  }
  counts.push(run);
  return { size: [height, width], counts };
}

export function decodeRle(rle: Rle): MaskBitmap {
  const [height, width] = rle.size;
  const mask = createMask(width, height);
  let index = 0;
  rle.counts.forEach((run, i) => {
    if (i % 2 === 1) {
      for (let k = index; k < index + run; k++) {
        const x = Math.floor(k / height);
        const y = k - x * height;
        mask.data[y * width + x] = 1;
      }
    }
    index += run;
  });
  return mask;
}

/** Number of set pixels. */
export function rleArea(rle: Rle): number {
  let area = 0;
  for (let i = 1; i < rle.counts.length; i += 2) area += rle.counts[i] ?? 0;
  return area;
}

/** Whether pixel (x, y) (integer column and row) is set, without decoding. */
export function rlePixel(rle: Rle, x: number, y: number): boolean {
  const [height, width] = rle.size;
  if (x < 0 || y < 0 || x >= width || y >= height) return false;
  const target = x * height + y;
  let index = 0;
  for (let i = 0; i < rle.counts.length; i++) {
    index += rle.counts[i] ?? 0;
    if (target < index) return i % 2 === 1;
  }
  return false;
}

/** Bounds of the set pixels in pixel-edge coordinates, or null for an empty mask. */
export function rleBounds(rle: Rle): Bounds | null {
  const height = rle.size[0];
  let bounds: Bounds | null = null;
  let index = 0;
  rle.counts.forEach((run, i) => {
    if (i % 2 === 1 && run > 0) {
      const first = index;
      const last = index + run - 1;
      const x0 = Math.floor(first / height);
      const x1 = Math.floor(last / height);
      const y0 = x1 > x0 ? 0 : first % height;
      const y1 = x1 > x0 ? height - 1 : last % height;
      const b = { minX: x0, minY: y0, maxX: x1 + 1, maxY: y1 + 1 };
      bounds = bounds
        ? { minX: Math.min(bounds.minX, b.minX), minY: Math.min(bounds.minY, b.minY), maxX: Math.max(bounds.maxX, b.maxX), maxY: Math.max(bounds.maxY, b.maxY) }
        : b;
    }
    index += run;
  });
  return bounds;
}

/** Shifts a mask by whole pixels; pixels pushed outside are dropped. */
export function translateMask(mask: MaskBitmap, dx: number, dy: number): MaskBitmap {
  const { width, height } = mask;
  const out = createMask(width, height);
  for (let y = 0; y < height; y++) {
    const ty = y + dy;
    if (ty < 0 || ty >= height) continue;
    for (let x = 0; x < width; x++) {
      const tx = x + dx;
      if (tx >= 0 && tx < width && mask.data[y * width + x]) out.data[ty * width + tx] = 1;
    }
  }
  return out;
}
