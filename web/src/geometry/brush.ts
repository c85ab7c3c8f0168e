import type { Bounds } from "./bounds";
import type { MaskBitmap } from "./rle";
import { distanceToSegment } from "./segment";
import type { Vec2 } from "./vec";

/**
 * Paints (value 1) or erases (value 0) every pixel whose centre (x + 0.5, y + 0.5)
 * lies within `radius` of the segment a-b: one stroke step of a round brush.
 * Returns the touched pixel rectangle (pixel edges), or null when nothing was inside the mask.
 */
export function stampSegment(mask: MaskBitmap, a: Vec2, b: Vec2, radius: number, value: 0 | 1): Bounds | null {
  const minX = Math.max(0, Math.floor(Math.min(a.x, b.x) - radius));
  const minY = Math.max(0, Math.floor(Math.min(a.y, b.y) - radius));
  const maxX = Math.min(mask.width - 1, Math.ceil(Math.max(a.x, b.x) + radius));
  const maxY = Math.min(mask.height - 1, Math.ceil(Math.max(a.y, b.y) + radius));
  if (minX > maxX || minY > maxY) return null;
  for (let y = minY; y <= maxY; y++) {
    for (let x = minX; x <= maxX; x++) {
      if (distanceToSegment({ x: x + 0.5, y: y + 0.5 }, a, b) <= radius) mask.data[y * mask.width + x] = value;
    }
  }
  return { minX, minY, maxX: maxX + 1, maxY: maxY + 1 };
}

/** A single round dab at `center`. */
export function stampDisk(mask: MaskBitmap, center: Vec2, radius: number, value: 0 | 1): Bounds | null {
  return stampSegment(mask, center, center, radius, value);
}

export function isMaskEmpty(mask: MaskBitmap): boolean {
  return !mask.data.some((v) => v !== 0);
}
