import type { Geometry, GeometryType } from "./geometry";
import { GEOMETRY_TYPES } from "./geometry";
import type { Issue } from "./issues";
import { describe, isFiniteNumber, isNumberTuple, isRecord } from "./issues";

type Check = (g: Record<string, unknown>, path: string) => Issue[];

function pointList(value: unknown, min: number, path: string): Issue[] {
  if (!Array.isArray(value)) return [{ path, message: `expected a list of [x, y], got ${describe(value)}` }];
  const issues: Issue[] = [];
  if (value.length < min) issues.push({ path, message: `expected at least ${min} points, got ${value.length}` });
  value.forEach((p, i) => {
    if (!isNumberTuple(p, 2)) issues.push({ path: `${path}[${i}]`, message: "expected [x, y] of finite numbers" });
  });
  return issues;
}

function tuple(value: unknown, length: number, path: string, names: string): Issue[] {
  return isNumberTuple(value, length)
    ? []
    : [{ path, message: `expected ${names} (${length} finite numbers), got ${describe(value)}` }];
}

const CHECKS: Record<GeometryType, Check> = {
  bbox: (g, path) => {
    const issues = tuple(g.xyxy, 4, `${path}.xyxy`, "[x1, y1, x2, y2]");
    if (issues.length > 0) return issues;
    const [x1, y1, x2, y2] = g.xyxy as number[] as [number, number, number, number];
    return x1 <= x2 && y1 <= y2 ? [] : [{ path: `${path}.xyxy`, message: "expected x1 <= x2 and y1 <= y2" }];
  },
  rotated_bbox: (g, path) => {
    const issues = tuple(g.cxcywha, 5, `${path}.cxcywha`, "[cx, cy, w, h, angle]");
    if (issues.length > 0) return issues;
    const [, , w, h] = g.cxcywha as number[];
    return (w ?? -1) >= 0 && (h ?? -1) >= 0 ? [] : [{ path: `${path}.cxcywha`, message: "expected w >= 0 and h >= 0" }];
  },
  polygon: (g, path) => pointList(g.points_xy, 3, `${path}.points_xy`),
  polyline: (g, path) => pointList(g.points_xy, 2, `${path}.points_xy`),
  point: (g, path) => tuple(g.xy, 2, `${path}.xy`, "[x, y]"),
  keypoints: (g, path) => {
    if (!Array.isArray(g.points)) return [{ path: `${path}.points`, message: "expected a list of [x, y, v]" }];
    const issues: Issue[] = [];
    g.points.forEach((p: unknown, i) => {
      const ok = isNumberTuple(p, 3) && [0, 1, 2].includes(p[2] as number);
      if (!ok) issues.push({ path: `${path}.points[${i}]`, message: "expected [x, y, v] with v in {0, 1, 2}" });
    });
    return issues;
  },
  ellipse: (g, path) => {
    const issues = tuple(g.cxcyrxrya, 5, `${path}.cxcyrxrya`, "[cx, cy, rx, ry, angle]");
    if (issues.length > 0) return issues;
    const [, , rx, ry] = g.cxcyrxrya as number[];
    return (rx ?? -1) >= 0 && (ry ?? -1) >= 0 ? [] : [{ path: `${path}.cxcyrxrya`, message: "expected rx >= 0 and ry >= 0" }];
  },
  cuboid: (g, path) => {
    const issues = [...pointList(g.front_xy, 0, `${path}.front_xy`), ...pointList(g.back_xy, 0, `${path}.back_xy`)];
    for (const key of ["front_xy", "back_xy"]) {
      const list = g[key];
      if (Array.isArray(list) && list.length !== 4) issues.push({ path: `${path}.${key}`, message: `expected exactly 4 points, got ${list.length}` });
    }
    return issues;
  },
  mask: (g, path) => validateRle(g.rle, `${path}.rle`),
};

/** Checks COCO uncompressed RLE: integer size, non-negative integer runs summing to height * width. */
export function validateRle(rle: unknown, path = "rle"): Issue[] {
  if (!isRecord(rle)) return [{ path, message: `expected {size, counts}, got ${describe(rle)}` }];
  const size = rle.size;
  if (!isNumberTuple(size, 2) || !size.every((n) => Number.isInteger(n) && n >= 0)) {
    return [{ path: `${path}.size`, message: "expected [height, width] of non-negative integers" }];
  }
  const counts = rle.counts;
  if (!Array.isArray(counts) || !counts.every((n) => isFiniteNumber(n) && Number.isInteger(n) && n >= 0)) {
    return [{ path: `${path}.counts`, message: "expected a list of non-negative integers" }];
  }
  const total = (counts as number[]).reduce((a, b) => a + b, 0);
  const expected = (size[0] ?? 0) * (size[1] ?? 0);
  return total === expected ? [] : [{ path: `${path}.counts`, message: `runs sum to ${total}, expected height * width = ${expected}` }];
}

export function validateGeometry(value: unknown, path = "geometry"): Issue[] {
  if (!isRecord(value)) return [{ path, message: `expected an object, got ${describe(value)}` }];
  const type = value.type;
  if (typeof type !== "string" || !(GEOMETRY_TYPES as readonly string[]).includes(type)) {
    return [{ path: `${path}.type`, message: `unknown geometry type ${JSON.stringify(type)}; known: ${GEOMETRY_TYPES.join(", ")}` }];
  }
  return CHECKS[type as GeometryType](value, path);
}

export function isGeometry(value: unknown): value is Geometry {
  return validateGeometry(value).length === 0;
}
