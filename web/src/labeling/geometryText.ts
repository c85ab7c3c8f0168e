import { rleArea } from "../geometry";
import type { Geometry } from "../schema";

const n = (v: number) => String(Math.round(v * 10) / 10);

/** One line describing a shape in image pixels, for the selected object's panel ("angle 30.0°"). */
export function geometryText(g: Geometry): string {
  switch (g.type) {
    case "bbox": {
      const [x1, y1, x2, y2] = g.xyxy;
      return `${n(x1)}, ${n(y1)} → ${n(x2)}, ${n(y2)} · ${n(x2 - x1)} × ${n(y2 - y1)}`;
    }
    case "rotated_bbox": {
      const [cx, cy, w, h, a] = g.cxcywha;
      return `centre ${n(cx)}, ${n(cy)} · ${n(w)} × ${n(h)} · angle ${a.toFixed(1)}°`;
    }
    case "ellipse": {
      const [cx, cy, rx, ry, a] = g.cxcyrxrya;
      return `centre ${n(cx)}, ${n(cy)} · radii ${n(rx)} × ${n(ry)} · angle ${a.toFixed(1)}°`;
    }
    case "polygon":
    case "polyline":
      return `${g.points_xy.length} vertices`;
    case "point":
      return `${n(g.xy[0])}, ${n(g.xy[1])}`;
    case "keypoints":
      return `${g.points.filter((p) => p[2] > 0).length} of ${g.points.length} points placed`;
    case "cuboid": {
      const xs = g.front_xy.map((p) => p[0]);
      const ys = g.front_xy.map((p) => p[1]);
      const [f, b] = [g.front_xy[0], g.back_xy[0]];
      return `front ${n(Math.max(...xs) - Math.min(...xs))} × ${n(Math.max(...ys) - Math.min(...ys))} · back offset ${n(b[0] - f[0])}, ${n(b[1] - f[1])}`;
    }
    case "mask":
      return `${rleArea(g.rle).toLocaleString("en")} px`;
  }
}
