import type { Bounds } from "../../geometry";
import type { AnnotationObject } from "../../schema";

/**
 * The batched shapes (see ./batchShapes) rasterized once into an offscreen bitmap that covers the
 * view and a margin around it, at one zoom. Frames that only pan draw that bitmap (one drawImage)
 * instead of filling and stroking thousands of paths again; frames that zoom draw it scaled until
 * the zoom has moved by more than `MAX_SCALE_LOG2` octaves or has settled, then it is rasterized
 * again at the exact zoom. Any change of the batched objects rasterizes again at once.
 */

/** How far (in octaves of zoom) a bitmap may be scaled before it is rasterized again. */
export const MAX_SCALE_LOG2 = 0.5;
/** A zoom unchanged for this long (ms) is settled: a scaled bitmap is then redrawn sharp. */
export const SETTLE_MS = 150;
/** Largest bitmap, in device pixels. */
export const MAX_BITMAP_PIXELS = 6_000_000;

/** This frame's decision: draw the bitmap as it is (`reuse`), or rasterize `region` first. */
export interface BitmapPlan {
  reuse: boolean;
  region: Bounds;
}

export interface BitmapKey {
  /** Asset rectangle the bitmap covers. */
  region: Bounds;
  /** Zoom it was rasterized at. */
  zoom: number;
}

const covers = (outer: Bounds, inner: Bounds): boolean => outer.minX <= inner.minX && outer.minY <= inner.minY && outer.maxX >= inner.maxX && outer.maxY >= inner.maxY;

const intersect = (a: Bounds, b: Bounds): Bounds => ({ minX: Math.max(a.minX, b.minX), minY: Math.max(a.minY, b.minY), maxX: Math.min(a.maxX, b.maxX), maxY: Math.min(a.maxY, b.maxY) });

/**
 * The asset rectangle to rasterize for `view` at `zoom`: the view grown by half its size on every
 * side (so panning stays inside it for a while), clipped to the content (`content`: the asset grown
 * by a stroke margin); shrunk to the view when that would exceed `maxPixels` device pixels.
 */
export function bitmapRegion(view: Bounds, content: Bounds, zoom: number, pixelRatio = 1, maxPixels = MAX_BITMAP_PIXELS): Bounds {
  const w = view.maxX - view.minX;
  const h = view.maxY - view.minY;
  const grown = intersect({ minX: view.minX - w / 2, minY: view.minY - h / 2, maxX: view.maxX + w / 2, maxY: view.maxY + h / 2 }, content);
  const px = (b: Bounds) => Math.max(0, b.maxX - b.minX) * Math.max(0, b.maxY - b.minY) * (zoom * pixelRatio) ** 2;
  if (px(grown) <= maxPixels) return grown;
  return intersect(view, content);
}

/**
 * The bitmap region for this frame: the cached one while it still covers the visible part of the
 * asset and its zoom is close enough (and, once the zoom has settled, exact); else a new region.
 */
export function planBitmap(
  cached: BitmapKey | null,
  view: Bounds,
  asset: Bounds,
  content: Bounds,
  zoom: number,
  settled: boolean,
  pixelRatio = 1,
  maxPixels = MAX_BITMAP_PIXELS,
): BitmapPlan {
  if (cached) {
    const scale = Math.abs(Math.log2(zoom / cached.zoom));
    const sharpEnough = scale === 0 || (!settled && scale <= MAX_SCALE_LOG2);
    if (sharpEnough && covers(cached.region, intersect(view, asset))) return { reuse: true, region: cached.region };
  }
  return { reuse: false, region: bitmapRegion(view, content, zoom, pixelRatio, maxPixels) };
}

/**
 * Whether a bitmap of `drawn` still shows `batched` correctly: `batched` is `drawn` in the same
 * order, less objects that are now drawn over it as their own nodes (`covered`: selected or
 * hovered, unchanged values), so selecting or hovering does not rasterize again. An object that
 * changed, vanished, was hidden or was restacked does.
 */
export function stillShows(drawn: readonly AnnotationObject[], batched: readonly AnnotationObject[], covered: ReadonlySet<AnnotationObject>): boolean {
  return missingFrom(drawn, batched, covered)?.length === 0;
}

/** At most this many batched objects missing from the bitmap are drawn over it live instead of rasterizing again at once. */
export const MAX_LIVE_EXTRAS = 32;

/**
 * The batched objects the bitmap of `drawn` lacks (e.g. one that was selected while the bitmap was
 * made and is back in the batch), or null when the bitmap shows something that must go (an object
 * changed, vanished or was hidden, and no node covers it) or the order differs.
 */
export function missingFrom(drawn: readonly AnnotationObject[], batched: readonly AnnotationObject[], covered: ReadonlySet<AnnotationObject>): AnnotationObject[] | null {
  const extras: AnnotationObject[] = [];
  let j = 0;
  for (const o of drawn) {
    while (j < batched.length && batched[j] !== o && !covered.has(o)) {
      // batched[j] is not in the bitmap here: an addition, unless the bitmap has it further on (restacked).
      extras.push(batched[j] as AnnotationObject);
      j++;
      if (extras.length > MAX_LIVE_EXTRAS) return null;
    }
    if (batched[j] === o) j++;
    else if (!covered.has(o)) return null;
  }
  for (; j < batched.length; j++) {
    extras.push(batched[j] as AnnotationObject);
    if (extras.length > MAX_LIVE_EXTRAS) return null;
  }
  // An "addition" the bitmap has after all means the order changed.
  if (extras.length > 0) {
    const drawnSet = new Set(drawn);
    if (extras.some((o) => drawnSet.has(o))) return null;
  }
  return extras;
}

/** Owns the bitmap canvas; `draw` paints it in asset coordinates (the context carries the viewport transform). */
export class BatchBitmap {
  private canvas: HTMLCanvasElement | null = null;
  private key: BitmapKey | null = null;
  private objects: readonly AnnotationObject[] = [];
  /** Counts rasterizations (for the stats). */
  rasters = 0;

  /** This frame's region (see `planBitmap`): cull the objects to it, then `draw` them. */
  plan(view: Bounds, asset: Bounds, content: Bounds, zoom: number, settled: boolean, pixelRatio: number): BitmapPlan {
    return planBitmap(this.key, view, asset, content, zoom, settled, pixelRatio);
  }

  /**
   * Draws `objects` (the batched shapes meeting `region`): from the bitmap when the plan reused it
   * and it still shows them (see `stillShows`; `covered`: objects drawn as nodes over it), else after `raster(ctx)` repainted it at `zoom` (and the
   * plan is marked reused: Konva may draw the layer again before the next plan). Returns whether
   * the bitmap was drawn scaled (the caller then redraws once the zoom settles).
   */
  draw(
    ctx: CanvasRenderingContext2D,
    objects: readonly AnnotationObject[],
    covered: ReadonlySet<AnnotationObject>,
    plan: BitmapPlan,
    zoom: number,
    pixelRatio: number,
    raster: (ctx: CanvasRenderingContext2D, objects: readonly AnnotationObject[]) => void,
  ): { scaled: boolean; stale: boolean } {
    const extras = plan.reuse && this.key ? missingFrom(this.objects, objects, covered) : null;
    if (extras === null) {
      const region = plan.region;
      const scale = zoom * pixelRatio;
      const width = Math.max(1, Math.ceil((region.maxX - region.minX) * scale));
      const height = Math.max(1, Math.ceil((region.maxY - region.minY) * scale));
      this.canvas ??= document.createElement("canvas");
      const canvas = this.canvas;
      if (canvas.width !== width || canvas.height !== height) [canvas.width, canvas.height] = [width, height];
      const bctx = canvas.getContext("2d");
      if (!bctx) return { scaled: false, stale: false };
      bctx.setTransform(1, 0, 0, 1, 0, 0);
      bctx.clearRect(0, 0, width, height);
      bctx.setTransform(scale, 0, 0, scale, -region.minX * scale, -region.minY * scale);
      raster(bctx, objects);
      this.key = { region, zoom };
      this.objects = objects;
      this.rasters++;
      plan.reuse = true;
    }
    const key = this.key as BitmapKey;
    const { region, zoom: at } = key;
    const canvas = this.canvas as HTMLCanvasElement;
    const scaled = at !== zoom;
    ctx.save();
    // Drawn 1:1 the bitmap stays pixel-exact; scaled (while zooming) it is smoothed until redrawn.
    ctx.imageSmoothingEnabled = scaled;
    ctx.drawImage(canvas, region.minX, region.minY, canvas.width / (at * pixelRatio), canvas.height / (at * pixelRatio));
    ctx.restore();
    // A few objects the bitmap lacks: drawn live over it (on top of the others until the caller
    // has it rasterized again, e.g. once the view is idle).
    const stale = extras !== null && extras.length > 0;
    if (stale) raster(ctx, extras);
    return { scaled, stale };
  }

  /** Makes the next `draw` rasterize again (the live extras go into the bitmap). */
  invalidate(): void {
    this.key = null;
  }

  /** Forgets the bitmap (the view is destroyed). */
  release(): void {
    if (this.canvas) [this.canvas.width, this.canvas.height] = [0, 0];
    this.canvas = null;
    this.key = null;
    this.objects = [];
  }
}
