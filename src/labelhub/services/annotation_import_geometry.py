"""Geometry of imported objects: scaling normalized coordinates and converting to a class's tool.

A conversion is made only where it is faithful (anything with an extent to a box; a box or
rotated box to a polygon; a box or a four-corner polygon to a rotated box); otherwise
``ValueError`` says what cannot be drawn as what, and the import names the file and place.
"""

from __future__ import annotations

import math
from typing import Any

from labelhub.core import rle as rle_codec
from labelhub.core.ontology import ToolKind


def _corners(g: dict[str, Any]) -> list[list[float]]:
    cx, cy, w, h, a = g["cxcywha"]
    c, s = math.cos(math.radians(a)), math.sin(math.radians(a))
    return [
        [cx + dx * c - dy * s, cy + dx * s + dy * c]
        for dx, dy in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2))
    ]


def _points_of(g: dict[str, Any]) -> list[list[float]]:
    t = g["type"]
    if t == "bbox":
        x1, y1, x2, y2 = g["xyxy"]
        return [[x1, y1], [x2, y1], [x2, y2], [x1, y2]]
    if t == "rotated_bbox":
        return _corners(g)
    if t in ("polygon", "polyline"):
        return [list(p) for p in g["points_xy"]]
    if t == "keypoints":
        return [[x, y] for x, y, v in g["points"] if v]
    if t == "mask":
        ys, xs = rle_codec.decode(g["rle"]).nonzero()
        return [[float(xs.min()), float(ys.min())], [float(xs.max()) + 1, float(ys.max()) + 1]] if len(xs) else []
    raise ValueError(t)


def convert(g: dict[str, Any], tool: ToolKind) -> dict[str, Any]:
    """The geometry as ``tool`` draws it; ``ValueError`` when it cannot be converted faithfully."""
    t = g.get("type")
    if t == tool.value:
        return g
    if tool is ToolKind.BBOX and t in ("rotated_bbox", "polygon", "polyline", "keypoints", "mask"):
        pts = _points_of(g)
        if not pts:
            raise ValueError("empty")
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return {"type": "bbox", "xyxy": [min(xs), min(ys), max(xs), max(ys)]}
    if tool is ToolKind.POLYGON and t in ("bbox", "rotated_bbox"):
        return {"type": "polygon", "points_xy": _points_of(g)}
    if tool is ToolKind.ROTATED_BBOX and t == "bbox":
        x1, y1, x2, y2 = g["xyxy"]
        return {"type": "rotated_bbox", "cxcywha": [(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1, 0.0]}
    if tool is ToolKind.ROTATED_BBOX and t == "polygon" and len(g["points_xy"]) == 4:
        p = g["points_xy"]
        w, h = math.dist(p[0], p[1]), math.dist(p[1], p[2])
        angle = math.degrees(math.atan2(p[1][1] - p[0][1], p[1][0] - p[0][0]))
        cx, cy = sum(q[0] for q in p) / 4, sum(q[1] for q in p) / 4
        return {"type": "rotated_bbox", "cxcywha": [cx, cy, w, h, angle]}
    raise ValueError(f"a {t} cannot be drawn as a {tool.value}")


def scaled(g: dict[str, Any], w: float, h: float) -> dict[str, Any]:
    """Normalized coordinates (fractions of the image, as YOLO writes them) -> pixels."""
    t = g["type"]
    if t == "bbox":
        x1, y1, x2, y2 = g["xyxy"]
        return {"type": t, "xyxy": [x1 * w, y1 * h, x2 * w, y2 * h]}
    if t in ("polygon", "polyline"):
        return {"type": t, "points_xy": [[x * w, y * h] for x, y in g["points_xy"]]}
    if t == "keypoints":
        return {"type": t, "points": [[x * w, y * h, v] for x, y, v in g["points"]]}
    return g


__all__ = ["convert", "scaled"]
