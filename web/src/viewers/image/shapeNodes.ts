import Konva from "konva";
import { rotatedBoxCorners } from "../../geometry";
import type { Geometry, Skeleton, XY } from "../../schema";
import { maskCanvasFor } from "./maskCanvas";
import type { ShapeStyle } from "./style";

/** Point markers are this many screen pixels across whatever the zoom. */
const POINT_RADIUS_PX = 4;

const flat = (points: readonly (readonly [number, number] | XY)[]): number[] => points.flatMap(([x, y]) => [x, y]);

function common(style: ShapeStyle, filled: boolean): Konva.ShapeConfig {
  return {
    stroke: style.color,
    strokeWidth: style.strokeWidth,
    strokeScaleEnabled: false,
    dash: style.dash,
    fill: filled ? style.color : undefined,
    fillEnabled: filled,
    opacity: 1,
    listening: false,
    perfectDrawEnabled: false,
  };
}

function withFill<T extends Konva.Shape>(shape: T, style: ShapeStyle): T {
  // Separate fill and stroke opacity: Konva has one opacity, so draw the fill with an rgba colour instead.
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(style.color.slice(i, i + 2), 16));
  shape.fill(`rgba(${r}, ${g}, ${b}, ${style.fillOpacity})`);
  return shape;
}

function marker(x: number, y: number, style: ShapeStyle, zoom: number, hollow = false): Konva.Circle {
  return new Konva.Circle({
    ...common(style, !hollow),
    x,
    y,
    radius: POINT_RADIUS_PX / zoom,
    fill: hollow ? undefined : style.color,
  });
}

/**
 * A Konva node drawing `g` in asset coordinates (the parent layer carries
 * the viewport transform). Strokes and point markers keep their screen size.
 */
export function buildShapeNode(g: Geometry, style: ShapeStyle, zoom: number, skeleton?: Skeleton | null): Konva.Shape | Konva.Group {
  switch (g.type) {
    case "bbox": {
      const [x1, y1, x2, y2] = g.xyxy;
      return withFill(new Konva.Rect({ ...common(style, true), x: x1, y: y1, width: x2 - x1, height: y2 - y1 }), style);
    }
    case "rotated_bbox": {
      const corners = rotatedBoxCorners(g.cxcywha).map((p): XY => [p.x, p.y]);
      return withFill(new Konva.Line({ ...common(style, true), points: flat(corners), closed: true }), style);
    }
    case "polygon":
      return withFill(new Konva.Line({ ...common(style, true), points: flat(g.points_xy), closed: true }), style);
    case "polyline":
      return new Konva.Line({ ...common(style, false), points: flat(g.points_xy), lineCap: "round", lineJoin: "round" });
    case "point":
      return marker(g.xy[0], g.xy[1], style, zoom);
    case "keypoints": {
      const group = new Konva.Group({ listening: false });
      for (const [i, j] of skeleton?.edges ?? []) {
        const a = g.points[i];
        const b = g.points[j];
        if (a && b && a[2] > 0 && b[2] > 0) group.add(new Konva.Line({ ...common(style, false), points: [a[0], a[1], b[0], b[1]] }));
      }
      for (const [x, y, v] of g.points) if (v > 0) group.add(marker(x, y, style, zoom, v === 1));
      return group;
    }
    case "ellipse": {
      const [cx, cy, rx, ry, angle] = g.cxcyrxrya;
      return withFill(new Konva.Ellipse({ ...common(style, true), x: cx, y: cy, radiusX: rx, radiusY: ry, rotation: angle }), style);
    }
    case "cuboid": {
      const group = new Konva.Group({ listening: false });
      group.add(new Konva.Line({ ...common(style, false), points: flat(g.back_xy), closed: true, opacity: 0.7 }));
      g.front_xy.forEach((f, i) => {
        const b = g.back_xy[i] as XY;
        group.add(new Konva.Line({ ...common(style, false), points: [f[0], f[1], b[0], b[1]] }));
      });
      group.add(withFill(new Konva.Line({ ...common(style, true), points: flat(g.front_xy), closed: true }), style));
      return group;
    }
    case "mask": {
      return new Konva.Image({ image: maskCanvasFor(g.rle, style.color), x: 0, y: 0, listening: false });
    }
  }
}
