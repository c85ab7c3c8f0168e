import type { MaskBitmap } from "../../geometry";
import { decodeRle } from "../../geometry";
import type { Rle } from "../../schema";
import { hexToRgb } from "./style";

const cache = new WeakMap<Rle, Map<string, HTMLCanvasElement>>();

/** Paints set pixels in `color` at `alpha` (0-255) onto a canvas the size of the mask. */
export function paintMask(mask: MaskBitmap, color: string, alpha = 110, target?: HTMLCanvasElement): HTMLCanvasElement {
  const canvas = target ?? document.createElement("canvas");
  canvas.width = mask.width;
  canvas.height = mask.height;
  const ctx = canvas.getContext("2d");
  if (!ctx || mask.width === 0 || mask.height === 0) return canvas;
  const image = ctx.createImageData(mask.width, mask.height);
  const [r, g, b] = hexToRgb(color);
  for (let i = 0; i < mask.data.length; i++) {
    if (!mask.data[i]) continue;
    const o = i * 4;
    image.data[o] = r;
    image.data[o + 1] = g;
    image.data[o + 2] = b;
    image.data[o + 3] = alpha;
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

/** Canvas for a stored mask; RLE objects are immutable, so one decode per (rle, colour). */
export function maskCanvasFor(rle: Rle, color: string): HTMLCanvasElement {
  let byColor = cache.get(rle);
  if (!byColor) {
    byColor = new Map();
    cache.set(rle, byColor);
  }
  let canvas = byColor.get(color);
  if (!canvas) {
    canvas = paintMask(decodeRle(rle), color);
    byColor.set(color, canvas);
  }
  return canvas;
}
