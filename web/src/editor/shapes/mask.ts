import { decodeRle, encodeRle, translateMask } from "../../geometry";
import type { MaskGeometry } from "../../schema";
import type { ShapeUtil } from "./types";

/** Masks have no handles; they move by whole pixels (the offset is rounded). */
export const maskShape: ShapeUtil<MaskGeometry> = {
  handles: () => [],
  dragHandle: (g) => g,
  translate(g, dx, dy) {
    const ix = Math.round(dx);
    const iy = Math.round(dy);
    if (ix === 0 && iy === 0) return g;
    return { type: "mask", rle: encodeRle(translateMask(decodeRle(g.rle), ix, iy)) };
  },
};
