import type { Keypoint, KeypointsGeometry, PointGeometry } from "../../schema";
import type { ShapeUtil } from "./types";

export const pointShape: ShapeUtil<PointGeometry> = {
  handles: (g) => [{ id: "p", x: g.xy[0], y: g.xy[1], kind: "point" }],
  dragHandle: (g, handleId, p) => (handleId === "p" ? { type: "point", xy: [p.x, p.y] } : g),
  translate: (g, dx, dy) => ({ type: "point", xy: [g.xy[0] + dx, g.xy[1] + dy] }),
};

export const keypointHandleId = (i: number): string => `k${i}`;

/** Absent keypoints (v = 0) have no handle and do not move. */
export const keypointsShape: ShapeUtil<KeypointsGeometry> = {
  handles: (g) =>
    g.points.flatMap(([x, y, v], i) => (v > 0 ? [{ id: keypointHandleId(i), x, y, kind: "point" as const }] : [])),
  dragHandle(g, handleId, p) {
    const match = /^k(\d+)$/.exec(handleId);
    const index = match ? Number(match[1]) : -1;
    return {
      type: "keypoints",
      points: g.points.map((k, i): Keypoint => (i === index && k[2] > 0 ? [p.x, p.y, k[2]] : k)),
    };
  },
  translate: (g, dx, dy) => ({
    type: "keypoints",
    points: g.points.map(([x, y, v]): Keypoint => (v > 0 ? [x + dx, y + dy, v] : [x, y, v])),
  }),
};
