"""Geometry conversions shared by the exporters, with one clipping rule for all of them.

Coordinates are labelhub's (``docs/annotations.md``): pixels, origin at the top-left corner of the
top-left pixel, x right, y down; rotated boxes are ``cxcywha`` with the angle in degrees, clockwise
on screen.  Corners are computed in pixels *before* any normalization by width and height, which is
what keeps rotated boxes right on non-square images.

The rule: every shape is clipped to ``[0, width] x [0, height]``; a shape that is empty after
clipping (zero width, height or area, or no finite numbers) is dropped and counted in the report
(reason ``outside`` or ``degenerate``).  Nothing raises on bad stored geometry.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from labelhub.core import rle as rle_codec

Point = tuple[float, float]
EPS = 1e-9
_NUM = frozenset((int, float))


class Dropped(Exception):
    """A shape that cannot be written; ``reason`` goes to the export report."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def finite(values: Sequence[Any]) -> list[float]:
    try:
        out = [float(v) for v in values]
    except (TypeError, ValueError):
        raise Dropped("degenerate: not numbers") from None
    if not all(math.isfinite(v) for v in out):
        raise Dropped("degenerate: not finite")
    return out


def clip_box(xyxy: Sequence[Any], w: float, h: float) -> tuple[list[float], bool]:
    """(clipped [x1, y1, x2, y2], whether clipping changed it); ``Dropped`` when nothing is left."""
    if len(xyxy) != 4:
        raise Dropped("degenerate: a box needs 4 numbers")
    x1, y1, x2, y2 = xyxy
    if _NUM.issuperset((type(x1), type(y1), type(x2), type(y2))) and 0 <= x1 < x2 <= w and 0 <= y1 < y2 <= h:
        return [x1, y1, x2, y2], False  # the common case: a stored, validated box (NaN fails the comparisons)
    x1, y1, x2, y2 = finite(xyxy)
    x1, x2 = min(x1, x2), max(x1, x2)
    y1, y2 = min(y1, y2), max(y1, y2)
    if x2 <= 0 or y2 <= 0 or x1 >= w or y1 >= h:
        raise Dropped("outside the image")
    c = [max(x1, 0.0), max(y1, 0.0), min(x2, w), min(y2, h)]
    if c[2] - c[0] <= EPS or c[3] - c[1] <= EPS:
        raise Dropped("degenerate: zero width or height")
    return c, c != [x1, y1, x2, y2]


def rotated_corners(cxcywha: Sequence[Any]) -> list[Point]:
    """The four corners of a rotated box, clockwise on screen from the box's own top-left."""
    if len(cxcywha) != 5:
        raise Dropped("degenerate: a rotated box needs 5 numbers")
    cx, cy, bw, bh, angle = finite(cxcywha)
    if bw <= 0 or bh <= 0:
        raise Dropped("degenerate: zero width or height")
    t = math.radians(angle)
    cos, sin = math.cos(t), math.sin(t)
    out = []
    for dx, dy in ((-bw / 2, -bh / 2), (bw / 2, -bh / 2), (bw / 2, bh / 2), (-bw / 2, bh / 2)):
        out.append((cx + dx * cos - dy * sin, cy + dx * sin + dy * cos))
    return out


def ellipse_polygon(cxcyrxrya: Sequence[Any], n: int = 32) -> list[Point]:
    if len(cxcyrxrya) != 5:
        raise Dropped("degenerate: an ellipse needs 5 numbers")
    cx, cy, rx, ry, angle = finite(cxcyrxrya)
    if rx <= 0 or ry <= 0:
        raise Dropped("degenerate: zero radius")
    t = math.radians(angle)
    cos, sin = math.cos(t), math.sin(t)
    pts = []
    for k in range(n):
        a = 2 * math.pi * k / n
        dx, dy = rx * math.cos(a), ry * math.sin(a)
        pts.append((cx + dx * cos - dy * sin, cy + dx * sin + dy * cos))
    return pts


def polygon_points(points_xy: Any) -> list[Point]:
    if not isinstance(points_xy, list) or len(points_xy) < 3:
        raise Dropped("degenerate: a polygon needs 3 points")
    out = []
    for p in points_xy:
        if not isinstance(p, list | tuple) or len(p) < 2:
            raise Dropped("degenerate: a point needs x and y")
        x, y = finite(p[:2])
        out.append((x, y))
    return out


def area(pts: Sequence[Point]) -> float:
    n = len(pts)
    s = 0.0
    for i in range(n):
        x1, y1 = pts[i]
        x2, y2 = pts[(i + 1) % n]
        s += x1 * y2 - x2 * y1
    return abs(s) / 2


def clip_polygon(pts: Sequence[Point], w: float, h: float) -> tuple[list[Point], bool]:
    """Sutherland-Hodgman against the image rectangle; ``Dropped`` when nothing with area is left."""
    inside = all(0 <= x <= w and 0 <= y <= h for x, y in pts)
    out = list(pts)
    if not inside:
        for axis, limit, keep_below in ((0, 0.0, False), (0, w, True), (1, 0.0, False), (1, h, True)):
            out = _clip_edge(out, axis, limit, keep_below)
            if not out:
                raise Dropped("outside the image")
    if len({(round(x, 6), round(y, 6)) for x, y in out}) < 3 or area(out) <= EPS:
        raise Dropped("degenerate: zero area")
    return out, not inside


def _clip_edge(pts: list[Point], axis: int, limit: float, keep_below: bool) -> list[Point]:
    def ok(p: Point) -> bool:
        return p[axis] <= limit if keep_below else p[axis] >= limit

    out: list[Point] = []
    for i, cur in enumerate(pts):
        prev = pts[i - 1]
        if ok(cur):
            if not ok(prev):
                out.append(_cross(prev, cur, axis, limit))
            out.append(cur)
        elif ok(prev):
            out.append(_cross(prev, cur, axis, limit))
    return out


def _cross(a: Point, b: Point, axis: int, limit: float) -> Point:
    t = (limit - a[axis]) / (b[axis] - a[axis])
    x, y = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
    return (limit, y) if axis == 0 else (x, limit)


def bounds(pts: Sequence[Point]) -> list[float]:
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return [min(xs), min(ys), max(xs), max(ys)]


def shape_polygon(g: dict[str, Any], w: float, h: float) -> tuple[list[Point], bool]:
    """A polygon-like geometry (polygon, rotated box, ellipse) as a clipped polygon."""
    t = g.get("type")
    if t == "polygon":
        pts = polygon_points(g.get("points_xy"))
    elif t == "rotated_bbox":
        pts = rotated_corners(g.get("cxcywha") or [])
    elif t == "ellipse":
        pts = ellipse_polygon(g.get("cxcyrxrya") or [])
    else:
        raise Dropped(f"unsupported shape {t}")
    return clip_polygon(pts, w, h)


def rle_of(g: dict[str, Any], w: int, h: int) -> dict[str, Any]:
    """A mask's RLE with compact string counts, checked against the image size."""
    r = g.get("rle")
    if not isinstance(r, dict) or r.get("size") != [h, w]:
        raise Dropped("degenerate: the mask's size is not the image's")
    try:
        counts = rle_codec.counts_list(r.get("counts"))
    except Exception:
        raise Dropped("degenerate: unreadable RLE") from None
    if sum(counts) != w * h or any(c < 0 for c in counts):
        raise Dropped("degenerate: the RLE does not cover the image")
    if not any(counts[1::2]):
        raise Dropped("degenerate: empty mask")
    return {"size": [h, w], "counts": rle_codec.encode_counts_string(counts)}


def rle_box_area(rle: dict[str, Any]) -> tuple[list[float], int]:
    """(COCO bbox [x, y, w, h], pixel area) from the runs, without decoding the mask."""
    h = rle["size"][0]
    counts = rle_codec.counts_list(rle["counts"])
    pos, total = 0, 0
    x0 = y0 = 1 << 62
    x1 = y1 = -1
    for i, run in enumerate(counts):
        if i % 2 and run:
            end = pos + run - 1
            cs, ce = pos // h, end // h
            x0, x1 = min(x0, cs), max(x1, ce)
            if cs == ce:
                y0, y1 = min(y0, pos % h), max(y1, end % h)
            else:
                y0, y1 = 0, h - 1
            total += run
        pos += run
    if x1 < 0:
        return [0.0, 0.0, 0.0, 0.0], 0
    return [float(x0), float(y0), float(x1 - x0 + 1), float(y1 - y0 + 1)], total


def keypoints_of(g: dict[str, Any], w: float, h: float) -> tuple[list[list[float]], bool]:
    """Keypoints ``[[x, y, v], ...]`` with visible ones clamped into the image (``v`` 0 -> 0, 0, 0)."""
    pts = g.get("points")
    if not isinstance(pts, list) or not pts:
        raise Dropped("degenerate: no keypoints")
    out, clipped = [], False
    for p in pts:
        if not isinstance(p, list | tuple) or len(p) != 3:
            raise Dropped("degenerate: a keypoint needs x, y, visibility")
        x, y, v = finite(p)
        if not v:
            out.append([0.0, 0.0, 0.0])
            continue
        cx, cy = min(max(x, 0.0), w), min(max(y, 0.0), h)
        clipped |= (cx, cy) != (x, y)
        out.append([cx, cy, v])
    if not any(p[2] for p in out):
        raise Dropped("degenerate: no visible keypoint")
    return out, clipped


__all__ = [
    "Dropped",
    "area",
    "bounds",
    "clip_box",
    "clip_polygon",
    "ellipse_polygon",
    "keypoints_of",
    "polygon_points",
    "rle_box_area",
    "rle_of",
    "rotated_corners",
    "shape_polygon",
]
