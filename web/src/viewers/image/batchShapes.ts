import { rotatedBoxCorners } from "../../geometry";
import type { Bounds } from "../../geometry";
import type { AnnotationObject, Geometry } from "../../schema";
import type { ShapeStyle } from "./style";

/** Below this many screen pixels across, a shape is drawn as its bounding rectangle (level of detail). */
export const LOD_MIN_SCREEN_PX = 4;

/** Shapes drawn in batches: one path per style, one fill and one stroke per batch per frame. */
export function isBatchable(g: Geometry): boolean {
  return g.type === "bbox" || g.type === "rotated_bbox" || g.type === "polygon" || g.type === "polyline" || g.type === "ellipse";
}

interface Batch {
  style: ShapeStyle;
  filled: AnnotationObject[];
  open: AnnotationObject[];
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

function ring(ctx: CanvasRenderingContext2D, g: Geometry, pts: readonly (readonly [number, number])[]): void {
  // One orientation for every ring, so the nonzero fill of a batch never cuts holes where shapes overlap.
  const n = pts.length;
  const flip = reversed(g, pts);
  for (let k = 0; k < n; k++) {
    const p = pts[flip ? n - 1 - k : k] as readonly [number, number];
    if (k === 0) ctx.moveTo(p[0], p[1]);
    else ctx.lineTo(p[0], p[1]);
  }
  ctx.closePath();
}

function rect(ctx: CanvasRenderingContext2D, b: Bounds): void {
  ctx.moveTo(b.minX, b.minY);
  ctx.lineTo(b.maxX, b.minY);
  ctx.lineTo(b.maxX, b.maxY);
  ctx.lineTo(b.minX, b.maxY);
  ctx.closePath();
}

function tracePath(ctx: CanvasRenderingContext2D, o: AnnotationObject, bounds: Bounds | undefined, zoom: number): void {
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
      ring(ctx, g, g.points_xy);
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
      ctx.closePath();
      return;
    }
    default:
      return;
  }
}

/**
 * Draws many plain shapes with a handful of canvas calls: objects are grouped
 * by style, each group traced into one path in asset coordinates (the context
 * carries the viewport transform), then filled and stroked once. Tiny shapes
 * are traced as their bounding rectangle. Per frame this is a walk over the
 * visible objects and their vertices; no canvas or Konva objects are created.
 */
export function drawBatches(
  ctx: CanvasRenderingContext2D,
  objects: readonly AnnotationObject[],
  styleOf: (o: AnnotationObject) => ShapeStyle,
  boundsOf: (id: string) => Bounds | undefined,
  zoom: number,
): void {
  const batches = new Map<string, Batch>();
  for (const o of objects) {
    const style = styleOf(o);
    const key = `${style.color}|${style.fillOpacity}|${style.strokeWidth}|${style.dash?.join(",") ?? ""}`;
    let batch = batches.get(key);
    if (!batch) {
      batch = { style, filled: [], open: [] };
      batches.set(key, batch);
    }
    (o.geometry.type === "polyline" ? batch.open : batch.filled).push(o);
  }
  ctx.lineJoin = "round";
  ctx.lineCap = "round";
  for (const { style, filled, open } of batches.values()) {
    ctx.setLineDash(style.dash ? style.dash.map((d) => d / zoom) : []);
    ctx.lineWidth = style.strokeWidth / zoom;
    ctx.strokeStyle = style.color;
    if (filled.length > 0) {
      ctx.beginPath();
      for (const o of filled) tracePath(ctx, o, boundsOf(o.id), zoom);
      const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(style.color.slice(i, i + 2), 16));
      ctx.fillStyle = `rgba(${r}, ${g}, ${b}, ${style.fillOpacity})`;
      ctx.fill("nonzero");
      ctx.stroke();
    }
    if (open.length > 0) {
      ctx.beginPath();
      for (const o of open) tracePath(ctx, o, boundsOf(o.id), zoom);
      ctx.stroke();
    }
  }
  ctx.setLineDash([]);
}
