import { describe, expect, it } from "vitest";
import {
  boundsOfGeometry,
  distanceToSegment,
  ellipseBounds,
  hitTestGeometry,
  nearestEdge,
  pointInEllipse,
  pointInPolygon,
  rotatedBoxCorners,
} from "../src/geometry";
import type { CuboidGeometry } from "../src/schema";

const round = (v: { x: number; y: number }) => [Number(v.x.toFixed(6)) + 0, Number(v.y.toFixed(6)) + 0];

describe("rotated box corners (tl, tr, br, bl of the unrotated box; clockwise on screen)", () => {
  const box = (angle: number) => rotatedBoxCorners([0, 0, 4, 2, angle]).map(round);

  it("0 degrees", () => expect(box(0)).toEqual([[-2, -1], [2, -1], [2, 1], [-2, 1]]));
  it("90 degrees, exactly", () => {
    expect(rotatedBoxCorners([0, 0, 4, 2, 90]).map((p) => [p.x, p.y])).toEqual([[1, -2], [1, 2], [-1, 2], [-1, -2]]);
  });
  it("180 degrees", () => expect(box(180)).toEqual([[2, 1], [-2, 1], [-2, -1], [2, -1]]));
  it("-90 degrees equals 270", () => {
    expect(box(-90)).toEqual([[-1, 2], [-1, -2], [1, -2], [1, 2]]);
    expect(box(270)).toEqual(box(-90));
  });
  it("45 degrees", () => {
    const c = Math.SQRT1_2;
    expect(box(45)).toEqual([[-c, -3 * c], [3 * c, c], [c, 3 * c], [-3 * c, -c]].map(([x, y]) => round({ x: x as number, y: y as number })));
  });
  it("30 degrees about a centre", () => {
    const [, tr] = rotatedBoxCorners([10, 20, 4, 2, 30]);
    expect(tr?.x).toBeCloseTo(10 + Math.sqrt(3) + 0.5, 12);
    expect(tr?.y).toBeCloseTo(20 + 1 - Math.sqrt(3) / 2, 12);
  });
});

describe("point in polygon and distances", () => {
  const square = [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }, { x: 0, y: 10 }];
  const concave = [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }, { x: 5, y: 5 }, { x: 0, y: 10 }];

  it("inside, outside and in the notch of a concave polygon", () => {
    expect(pointInPolygon({ x: 5, y: 2 }, square)).toBe(true);
    expect(pointInPolygon({ x: 11, y: 5 }, square)).toBe(false);
    expect(pointInPolygon({ x: 5, y: 8 }, concave)).toBe(false);
    expect(pointInPolygon({ x: 8, y: 8 }, concave)).toBe(true);
  });

  it("distance to a segment: perpendicular, beyond the ends, degenerate", () => {
    expect(distanceToSegment({ x: 5, y: 3 }, { x: 0, y: 0 }, { x: 10, y: 0 })).toBe(3);
    expect(distanceToSegment({ x: 13, y: 4 }, { x: 0, y: 0 }, { x: 10, y: 0 })).toBe(5);
    expect(distanceToSegment({ x: 3, y: 4 }, { x: 0, y: 0 }, { x: 0, y: 0 })).toBe(5);
  });

  it("nearest edge of a closed ring includes the closing edge", () => {
    expect(nearestEdge({ x: -1, y: 5 }, square, true)).toEqual({ index: 3, distance: 1, point: { x: 0, y: 5 } });
    expect(nearestEdge({ x: -1, y: 5 }, square, false)?.index).toBe(0);
  });
});

describe("ellipse", () => {
  it("hit test respects the rotation", () => {
    expect(pointInEllipse([0, 0, 10, 2, 0], { x: 9, y: 0 })).toBe(true);
    expect(pointInEllipse([0, 0, 10, 2, 90], { x: 9, y: 0 })).toBe(false);
    expect(pointInEllipse([0, 0, 10, 2, 90], { x: 0, y: 9 })).toBe(true);
    expect(pointInEllipse([0, 0, 10, 2, 0], { x: 0, y: 3 }, 1)).toBe(true);
  });

  it("bounds are exact for rotated ellipses", () => {
    expect(ellipseBounds([5, 5, 10, 2, 90])).toEqual({ minX: 3, minY: -5, maxX: 7, maxY: 15 });
    const b = ellipseBounds([0, 0, 10, 10, 37]);
    expect(b.maxX).toBeCloseTo(10, 12);
  });
});

describe("bounds and hit tests of each geometry", () => {
  it("bounds", () => {
    expect(boundsOfGeometry({ type: "rotated_bbox", cxcywha: [0, 0, 4, 2, 90] })).toEqual({ minX: -1, minY: -2, maxX: 1, maxY: 2 });
    expect(boundsOfGeometry({ type: "keypoints", points: [[1, 2, 2], [0, 0, 0], [5, 9, 1]] })).toEqual({ minX: 1, minY: 2, maxX: 5, maxY: 9 });
    expect(boundsOfGeometry({ type: "mask", rle: { size: [3, 3], counts: [3, 2, 2, 1, 1] } })).toEqual({ minX: 1, minY: 0, maxX: 3, maxY: 2 });
    expect(boundsOfGeometry({ type: "mask", rle: { size: [3, 3], counts: [4, 2, 3] } })).toEqual({ minX: 1, minY: 1, maxX: 2, maxY: 3 });
    // A run crossing from column 0 (row 2) into column 1 (row 0).
    expect(boundsOfGeometry({ type: "mask", rle: { size: [3, 3], counts: [2, 2, 5] } })).toEqual({ minX: 0, minY: 0, maxX: 2, maxY: 3 });
  });

  it("hit tests", () => {
    const p = { x: 5, y: 5 };
    expect(hitTestGeometry({ type: "polyline", points_xy: [[0, 4], [10, 4]] }, p, 1)).toBe(true);
    expect(hitTestGeometry({ type: "polyline", points_xy: [[0, 4], [10, 4]] }, p, 0.5)).toBe(false);
    expect(hitTestGeometry({ type: "point", xy: [7, 5] }, p, 2)).toBe(true);
    expect(hitTestGeometry({ type: "keypoints", points: [[5, 5, 0]] }, p, 2)).toBe(false);
    expect(hitTestGeometry({ type: "rotated_bbox", cxcywha: [5, 0, 20, 2, 90] }, p, 0)).toBe(true);
    expect(hitTestGeometry({ type: "mask", rle: { size: [10, 10], counts: [55, 1, 44] } }, p, 0)).toBe(true);
    expect(hitTestGeometry({ type: "mask", rle: { size: [10, 10], counts: [54, 1, 45] } }, p, 0)).toBe(false);
    const cuboid: CuboidGeometry = {
      type: "cuboid",
      front_xy: [[0, 0], [4, 0], [4, 4], [0, 4]],
      back_xy: [[10, 10], [14, 10], [14, 14], [10, 14]],
    };
    expect(hitTestGeometry(cuboid, { x: 7, y: 9 }, 0.5)).toBe(false);
    expect(hitTestGeometry(cuboid, { x: 7, y: 3 }, 0.5)).toBe(true);
  });
});
