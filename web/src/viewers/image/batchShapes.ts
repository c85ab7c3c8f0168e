import { rotatedBoxCorners } from "../../geometry";
import type { Bounds } from "../../geometry";
import type { AnnotationObject, Geometry } from "../../schema";
import type { ShapeStyle } from "./style";

/** Below this many screen pixels across, a shape is drawn as its bounding rectangle (level of detail). */
export const LOD_MIN_SCREEN_PX = 4;
/** Ring vertices closer than this many screen pixels to the last one drawn are skipped (level of detail). */
export const LOD_VERTEX_STEP_PX = 1.5;

/** Shapes drawn in batches: one path per style, one fill and one stroke per batch per frame. */
export function isBatchable(g: Geometry): boolean {
  return g.type === "bbox" || g.type === "rotated_bbox" || g.type === "polygon" || g.type === "polyline" || g.type === "ellipse";
}

const orientation = new WeakMap<Geometry, boolean>();

/** True when the ring's signed area (y down) is negative; cached per immutable geometry. */
function reversed(g: Geometry, ring: readonly (readonly [number, number])[]): boolean {
  let flip = orientation.get(g);
  if (flip === undefined) {
    let area = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[j] as readonly [number, number];
      const b = ring[i] as readonly [number, number];
      area += a[0] * b[1] - b[0] * a[1];
    }
    flip = area < 0;
    orientation.set(g, flip);
  }
  return flip;
}

function ring(ctx: CanvasPath, g: Geometry, pts: readonly (readonly [number, number])[], minStep = 0): void {
  // One orientation for every ring, so the nonzero fill of a batch never cuts holes where shapes overlap.
  // Rings end with a line back to their first vertex, not closePath(): Chromium's closePath is
  // linear in the path built so far, which made one path of 5,000 rings take seconds.
  const n = pts.length;
  const flip = reversed(g, pts);
  const first = pts[flip ? n - 1 : 0] as readonly [number, number];
  ctx.moveTo(first[0], first[1]);
  let [lx, ly] = first;
  for (let k = 1; k < n; k++) {
    const p = pts[flip ? n - 1 - k : k] as readonly [number, number];
    // Vertices a fraction of a screen pixel apart add edges to rasterize but nothing to see.
    if (Math.abs(p[0] - lx) < minStep && Math.abs(p[1] - ly) < minStep) continue;
    ctx.lineTo(p[0], p[1]);
    [lx, ly] = p;
  }
  ctx.lineTo(first[0], first[1]);
}

function rect(ctx: CanvasPath, b: Bounds): void {
  ctx.moveTo(b.minX, b.minY);
  ctx.lineTo(b.maxX, b.minY);
  ctx.lineTo(b.maxX, b.maxY);
  ctx.lineTo(b.minX, b.maxY);
  ctx.lineTo(b.minX, b.minY);
}

function tracePath(ctx: CanvasPath, o: AnnotationObject, bounds: Bounds | undefined, zoom: number): void {
  const g = o.geometry;
  if (bounds && g.type !== "polyline" && Math.max(bounds.maxX - bounds.minX, bounds.maxY - bounds.minY) * zoom < LOD_MIN_SCREEN_PX) {
    rect(ctx, bounds);
    return;
  }
  switch (g.type) {
    case "bbox": {
      const [x1, y1, x2, y2] = g.xyxy;
      rect(ctx, { minX: x1, minY: y1, maxX: x2, maxY: y2 });
      return;
    }
    case "rotated_bbox":
      ring(ctx, g, rotatedBoxCorners(g.cxcywha).map((p): [number, number] => [p.x, p.y]));
      return;
    case "polygon":
      ring(ctx, g, g.points_xy, LOD_VERTEX_STEP_PX / zoom);
      return;
    case "polyline": {
      g.points_xy.forEach(([x, y], k) => (k === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
      return;
    }
    case "ellipse": {
      const [cx, cy, rx, ry, angle] = g.cxcyrxrya;
      const a = (angle * Math.PI) / 180;
      ctx.moveTo(cx + rx * Math.cos(a), cy + rx * Math.sin(a));
      ctx.ellipse(cx, cy, rx, ry, a, 0, 2 * Math.PI);
      return;
    }
    default:
      return;
  }
}

interface Batch {
  style: ShapeStyle;
  filled: AnnotationObject[];
  open: AnnotationObject[];
}

interface CachedBatch {
  filled: AnnotationObject[];
  open: AnnotationObject[];
  lod: number;
  fillPath: Path2D;
  openPath: Path2D;
}

const sameList = (a: readonly AnnotationObject[], b: readonly AnnotationObject[]): boolean => a.length === b.length && a.every((o, i) => o === b[i]);

/**
 * Draws many plain shapes with a handful of canvas calls: objects are grouped
 * by class (and suggestion look), each group traced into one Path2D in asset
 * coordinates (the context carries the viewport transform), then filled and
 * stroked once. Tiny shapes are traced as their bounding rectangle. A group's
 * path is kept while its objects (immutable values) and the zoom's level of
 * detail stay the same, so panning re-rasterizes cached paths and builds nothing.
 */
export class BatchRenderer {
  private readonly cache = new Map<string, CachedBatch>();

  draw(
    ctx: CanvasRenderingContext2D,
    objects: readonly AnnotationObject[],
    styleOf: (o: AnnotationObject) => ShapeStyle,
    boundsOf: (id: string) => Bounds | undefined,
    zoom: number,
  ): void {
    const batches = new Map<string, Batch>();
    for (const o of objects) {
      const key = o.source.kind === "model" ? `${o.class_id}\u0000m` : o.class_id;
      let batch = batches.get(key);
      if (!batch) {
        batch = { style: styleOf(o), filled: [], open: [] };
        batches.set(key, batch);
      }
      (o.geometry.type === "polyline" ? batch.open : batch.filled).push(o);
    }
    // Level of detail changes in steps of 2^(1/4) in zoom; between steps the cached path is exact enough.
    const lod = Math.round(Math.log2(zoom) * 4);
    const lodZoom = 2 ** (lod / 4);
    ctx.lineJoin = "bevel";
    ctx.lineCap = "butt";
    for (const [key, { style, filled, open }] of batches) {
      let cached = this.cache.get(key);
      if (!cached || cached.lod !== lod || !sameList(cached.filled, filled) || !sameList(cached.open, open)) {
        const fillPath = new Path2D();
        for (const o of filled) tracePath(fillPath, o, boundsOf(o.id), lodZoom);
        const openPath = new Path2D();
        for (const o of open) tracePath(openPath, o, boundsOf(o.id), lodZoom);
        cached = { filled, open, lod, fillPath, openPath };
        this.cache.set(key, cached);
      }
      ctx.setLineDash(style.dash ? style.dash.map((d) => d / zoom) : []);
      ctx.lineWidth = style.strokeWidth / zoom;
      ctx.strokeStyle = style.color;
      if (filled.length > 0) {
        const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(style.color.slice(i, i + 2), 16));
        ctx.fillStyle = `rgba(${r}, ${g}, ${b}, ${style.fillOpacity})`;
        ctx.fill(cached.fillPath, "nonzero");
        ctx.stroke(cached.fillPath);
      }
      if (open.length > 0) ctx.stroke(cached.openPath);
    }
    for (const key of this.cache.keys()) if (!batches.has(key)) this.cache.delete(key);
    ctx.setLineDash([]);
  }
}
