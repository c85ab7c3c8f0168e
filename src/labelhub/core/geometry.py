"""Validation of stored geometry, one function per ``ToolKind``.

Coordinates are in asset space, never screen space: pixels for images (origin at the top-left
corner of the top-left pixel, x right, y down, so a pixel's centre is at ``(i + 0.5, j + 0.5)``),
character offsets for text (``start`` inclusive, ``end`` exclusive), voxels for volumes,
page-relative pixels of the rendered page for documents.

Clipping rule (documented in docs/annotations.md): every number must be finite.  Boxes,
polygons, polylines, points, keypoints and cuboid corners are clamped to ``[0, width] x [0, height]``;
an object that lies wholly outside the asset, or that becomes degenerate after clamping (a box of
zero width or height, a polygon with fewer than 3 distinct vertices), is rejected.  Rotated boxes
and ellipses keep their exact shape but their centre must lie inside the asset.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from labelhub.core import rle as rle_codec
from labelhub.core.errors import InvalidInput
from labelhub.core.ontology import ObjectClass, ToolKind


@dataclass(frozen=True, slots=True)
class AssetExtent:
    """What geometry is checked against.  ``None`` means the asset has no such dimension."""

    width: int | None = None
    height: int | None = None
    pages: int = 1
    text_length: int | None = None
    depth: int | None = None
    #: Documents: the length in code points of page ``n``'s text layer (``None`` when unknown), which
    #: bounds a ``text_span`` on that page; ``text_page`` is the page being checked (for the message).
    page_text_length: Callable[[int], int | None] | None = None
    text_page: int | None = None


Geometry = dict[str, Any]
_Validator = Callable[[Mapping[str, Any], AssetExtent, ObjectClass, str], Geometry]


def _num(v: Any, path: str) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise InvalidInput(f"{path} must be a finite number, got {v!r}.")
    return float(v)


def _numbers(v: Any, n: int, path: str) -> list[float]:
    if not isinstance(v, list | tuple) or len(v) != n:
        raise InvalidInput(f"{path} must be a list of {n} numbers.")
    return [_num(x, f"{path}[{i}]") for i, x in enumerate(v)]


def _points(v: Any, path: str, min_count: int) -> list[list[float]]:
    if not isinstance(v, list | tuple) or len(v) < min_count:
        raise InvalidInput(f"{path} must be a list of at least {min_count} [x, y] points.")
    # Fast path (drafts hold thousands of polygons): plain [x, y] lists of finite ints or floats
    # (not bools), with no per-number error paths built; anything else takes the checked path below.
    out: list[list[float]] = []
    isfinite = math.isfinite
    for p in v:
        if type(p) is list and len(p) == 2:
            x, y = p
            tx, ty = type(x), type(y)
            if (tx is float or tx is int) and (ty is float or ty is int) and isfinite(x) and isfinite(y):
                out.append([float(x), float(y)])
                continue
        break
    else:
        return out
    return [_numbers(p, 2, f"{path}[{i}]") for i, p in enumerate(v)]


def _need_2d(extent: AssetExtent, kind: str) -> tuple[float, float]:
    if extent.width is None or extent.height is None:
        raise InvalidInput(f"A {kind} needs an image-like asset with a width and height.")
    return float(extent.width), float(extent.height)


def _clamp_points(pts: list[list[float]], w: float, h: float, path: str) -> list[list[float]]:
    """``pts`` clamped to the asset; callers pass fresh lists (from ``_points``), returned as is when all inside."""
    xs = [x for x, _ in pts]
    ys = [y for _, y in pts]
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    if max_x < 0 or min_x > w or max_y < 0 or min_y > h:
        raise InvalidInput(f"{path} lies wholly outside the {w:g} x {h:g} asset.")
    if min_x >= 0 and max_x <= w and min_y >= 0 and max_y <= h:
        return pts  # all inside: nothing to clamp
    return [[min(max(x, 0.0), w), min(max(y, 0.0), h)] for x, y in pts]


def _bbox(g: Mapping[str, Any], e: AssetExtent, c: ObjectClass, path: str) -> Geometry:
    w, h = _need_2d(e, "bounding box")
    x1, y1, x2, y2 = _numbers(g.get("xyxy"), 4, f"{path}.xyxy")
    if x2 < x1 or y2 < y1:
        raise InvalidInput(f"{path}.xyxy must have x1 <= x2 and y1 <= y2, got {[x1, y1, x2, y2]}.")
    (cx1, cy1), (cx2, cy2) = _clamp_points([[x1, y1], [x2, y2]], w, h, path)
    if cx2 - cx1 <= 0 or cy2 - cy1 <= 0:
        raise InvalidInput(f"{path}: the box has zero width or height inside the asset.")
    return {"type": "bbox", "xyxy": [cx1, cy1, cx2, cy2]}


def _centred(key: str, kind: str) -> _Validator:
    def check(g: Mapping[str, Any], e: AssetExtent, c: ObjectClass, path: str) -> Geometry:
        w, h = _need_2d(e, kind)
        cx, cy, a, b, angle = _numbers(g.get(key), 5, f"{path}.{key}")
        if a <= 0 or b <= 0:
            raise InvalidInput(f"{path}.{key}: sizes must be positive, got {a:g} and {b:g}.")
        if not (0 <= cx <= w and 0 <= cy <= h):
            raise InvalidInput(f"{path}.{key}: the centre ({cx:g}, {cy:g}) must lie inside the asset.")
        angle = (angle + 180.0) % 360.0 - 180.0
        return {"type": c.tool.value, key: [cx, cy, a, b, angle]}

    return check


def _poly(min_points: int, closed: bool) -> _Validator:
    def check(g: Mapping[str, Any], e: AssetExtent, c: ObjectClass, path: str) -> Geometry:
        w, h = _need_2d(e, c.tool.value)
        pts = _clamp_points(_points(g.get("points_xy"), f"{path}.points_xy", min_points), w, h, path)
        if len({(x, y) for x, y in pts}) < min_points:
            raise InvalidInput(f"{path}: needs at least {min_points} distinct points after clipping.")
        if closed and abs(_shoelace(pts)) == 0:
            raise InvalidInput(f"{path}: the polygon has zero area (all points on one line).")
        return {"type": c.tool.value, "points_xy": pts}

    return check


def _shoelace(pts: list[list[float]]) -> float:
    return 0.5 * sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1], strict=True))


def _point(g: Mapping[str, Any], e: AssetExtent, c: ObjectClass, path: str) -> Geometry:
    w, h = _need_2d(e, "point")
    x, y = _numbers(g.get("xy"), 2, f"{path}.xy")
    if not (0 <= x <= w and 0 <= y <= h):
        raise InvalidInput(f"{path}.xy ({x:g}, {y:g}) lies outside the {w:g} x {h:g} asset.")
    return {"type": "point", "xy": [x, y]}


def _keypoints(g: Mapping[str, Any], e: AssetExtent, c: ObjectClass, path: str) -> Geometry:
    """``points``: ``[[x, y, v], ...]`` with COCO visibility v (0 absent, 1 occluded, 2 visible)."""
    w, h = _need_2d(e, "keypoints")
    raw = g.get("points")
    if not isinstance(raw, list) or not raw:
        raise InvalidInput(f"{path}.points must be a list of [x, y, visibility] triples.")
    if c.skeleton and len(raw) != len(c.skeleton.points):
        raise InvalidInput(
            f"{path}.points has {len(raw)} points; class '{c.id}' has a skeleton of {len(c.skeleton.points)}."
        )
    out = []
    for i, p in enumerate(raw):
        x, y, v = _numbers(p, 3, f"{path}.points[{i}]")
        if v not in (0, 1, 2):
            raise InvalidInput(f"{path}.points[{i}] visibility must be 0, 1 or 2.")
        if v and not (0 <= x <= w and 0 <= y <= h):
            raise InvalidInput(f"{path}.points[{i}] ({x:g}, {y:g}) lies outside the asset.")
        out.append([x, y, int(v)] if v else [0.0, 0.0, 0])
    return {"type": "keypoints", "points": out}


def _cuboid(g: Mapping[str, Any], e: AssetExtent, c: ObjectClass, path: str) -> Geometry:
    """A 2D-projected cuboid: the front and the back face, four corners each, same order."""
    w, h = _need_2d(e, "cuboid")
    faces = {}
    for key in ("front_xy", "back_xy"):
        pts = _points(g.get(key), f"{path}.{key}", 4)
        if len(pts) != 4:
            raise InvalidInput(f"{path}.{key} must have exactly 4 corners.")
        faces[key] = _clamp_points(pts, w, h, f"{path}.{key}")
    return {"type": "cuboid", **faces}


def _mask(g: Mapping[str, Any], e: AssetExtent, c: ObjectClass, path: str) -> Geometry:
    w, h = _need_2d(e, "mask")
    expected = [int(h), int(w)]
    counts = _rle_counts(g.get("rle"), expected, f"{path}.rle", "[height, width]")
    if sum(counts) != int(h) * int(w):
        raise InvalidInput(f"{path}.rle.counts must be non-negative runs summing to height x width ({int(h * w)}).")
    return {"type": "mask", "rle": {"size": expected, "counts": g["rle"]["counts"]}}


def _rle_counts(rle: Any, expected: list[int], path: str, dims: str) -> list[int]:
    """Check the shape of a COCO RLE and return its runs; every malformed input is a 400, never a crash."""
    if not isinstance(rle, Mapping) or "size" not in rle or "counts" not in rle:
        raise InvalidInput(f"{path} must be COCO RLE: {{'size': {dims}, 'counts': [...] or '...'}}.")
    size, raw = rle["size"], rle["counts"]
    if not isinstance(size, list) or [s for s in size if isinstance(s, int) and not isinstance(s, bool)] != size:
        raise InvalidInput(f"{path}.size must be a list of integers {dims}, got {size!r}.")
    if size != expected:
        raise InvalidInput(f"{path}.size {size} does not match the asset's {dims} {expected}.")
    if isinstance(raw, str):
        counts = rle_codec.decode_counts_string(raw)
    elif isinstance(raw, list) and all(isinstance(n, int) and not isinstance(n, bool) for n in raw):
        counts = raw
    else:
        raise InvalidInput(f"{path}.counts must be a list of integers or a COCO counts string.")
    if any(n < 0 for n in counts):
        raise InvalidInput(f"{path}.counts must be non-negative runs.")
    return counts


def _text_span(g: Mapping[str, Any], e: AssetExtent, c: ObjectClass, path: str) -> Geometry:
    start, end = g.get("start"), g.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        raise InvalidInput(f"{path}: a text span needs integer 'start' and 'end' character offsets.")
    limit = e.text_length
    if start < 0 or end <= start or (limit is not None and end > limit):
        where = "" if e.text_page is None else f", the length of page {e.text_page}'s text layer"
        raise InvalidInput(f"{path}: span [{start}, {end}) must satisfy 0 <= start < end <= {limit}{where}.")
    return {"type": "text_span", "start": start, "end": end}


def _document_region(g: Mapping[str, Any], e: AssetExtent, c: ObjectClass, path: str) -> Geometry:
    box = _bbox(g, e, c, path)
    return {"type": "document_region", "xyxy": box["xyxy"]}


def _volume_box(g: Mapping[str, Any], e: AssetExtent, c: ObjectClass, path: str) -> Geometry:
    if e.width is None or e.height is None or e.depth is None:
        raise InvalidInput(f"{path}: a volume box needs a volume asset.")
    v = _numbers(g.get("xyzxyz"), 6, f"{path}.xyzxyz")
    dims = (e.width, e.height, e.depth)
    for i in range(3):
        lo, hi = v[i], v[i + 3]
        if hi <= lo:
            raise InvalidInput(f"{path}.xyzxyz: axis {'xyz'[i]} must have min < max.")
        v[i], v[i + 3] = max(lo, 0.0), min(hi, float(dims[i]))
        if v[i + 3] <= v[i]:
            raise InvalidInput(f"{path}: the box lies outside the volume along {'xyz'[i]}.")
    return {"type": "volume_box", "xyzxyz": v}


def _volume_mask(g: Mapping[str, Any], e: AssetExtent, c: ObjectClass, path: str) -> Geometry:
    if e.width is None or e.height is None or e.depth is None:
        raise InvalidInput(f"{path}: a volume mask needs a volume asset.")
    expected = [e.depth, e.height, e.width]
    counts = _rle_counts(g.get("rle"), expected, f"{path}.rle", "[depth, height, width]")
    if sum(counts) != e.depth * e.height * e.width:
        raise InvalidInput(f"{path}.rle.counts must be non-negative runs summing to the voxel count.")
    return {"type": "volume_mask", "rle": {"size": expected, "counts": g["rle"]["counts"]}}


_VOLUME_AXES = {"i": 0, "j": 1, "k": 2}


def _volume_polygon(g: Mapping[str, Any], e: AssetExtent, c: ObjectClass, path: str) -> Geometry:
    """A polygon on one slice of a volume: ``{"axis": "k", "slice": 12, "points": [[a, b], ...]}``.

    ``axis`` is the voxel axis the slice fixes (``k`` for the axial slices of a volume stored the
    usual way, ``j`` coronal, ``i`` sagittal); ``points`` are continuous voxel coordinates (voxel
    ``n`` spans ``[n, n + 1]``) along the two other axes in i, j, k order: ``[i, j]`` for ``k``,
    ``[i, k]`` for ``j``, ``[j, k]`` for ``i``.  Points must lie inside the slice (no clamping:
    a polygon drawn on a volume is never outside it) and span a non-zero area.
    """
    if e.width is None or e.height is None or e.depth is None:
        raise InvalidInput(f"{path}: a volume polygon needs a volume asset.")
    axis_raw = g.get("axis")
    if axis_raw not in _VOLUME_AXES:
        raise InvalidInput(f"{path}.axis must be 'i', 'j' or 'k' (the voxel axis the slice fixes), got {axis_raw!r}.")
    axis = _VOLUME_AXES[str(axis_raw)]
    dims = (e.width, e.height, e.depth)
    s = g.get("slice")
    if not isinstance(s, int) or isinstance(s, bool) or not 0 <= s < dims[axis]:
        raise InvalidInput(f"{path}.slice must be an integer in 0..{dims[axis] - 1} along axis {axis_raw}, got {s!r}.")
    a, b = (n for n in range(3) if n != axis)
    wa, wb = float(dims[a]), float(dims[b])
    pts = _points(g.get("points"), f"{path}.points", 3)
    for n, (x, y) in enumerate(pts):
        if not (0 <= x <= wa and 0 <= y <= wb):
            raise InvalidInput(
                f"{path}.points[{n}] ({x:g}, {y:g}) lies outside the slice: "
                f"{'ijk'[a]} must be in [0, {wa:g}] and {'ijk'[b]} in [0, {wb:g}]."
            )
    if len({(x, y) for x, y in pts}) < 3:
        raise InvalidInput(f"{path}.points: a polygon needs at least 3 distinct points.")
    if abs(_shoelace(pts)) == 0:
        raise InvalidInput(f"{path}.points: the polygon has zero area (all points on one line).")
    return {"type": "volume_polygon", "axis": axis_raw, "slice": s, "points": pts}


VALIDATORS: dict[ToolKind, _Validator] = {
    ToolKind.BBOX: _bbox,
    ToolKind.ROTATED_BBOX: _centred("cxcywha", "rotated box"),
    ToolKind.POLYGON: _poly(3, closed=True),
    ToolKind.POLYLINE: _poly(2, closed=False),
    ToolKind.POINT: _point,
    ToolKind.KEYPOINTS: _keypoints,
    ToolKind.ELLIPSE: _centred("cxcyrxrya", "ellipse"),
    ToolKind.CUBOID: _cuboid,
    ToolKind.MASK: _mask,
    ToolKind.TEXT_SPAN: _text_span,
    ToolKind.DOCUMENT_REGION: _document_region,
    ToolKind.VOLUME_BOX: _volume_box,
    ToolKind.VOLUME_MASK: _volume_mask,
    ToolKind.VOLUME_POLYGON: _volume_polygon,
}


def validate_geometry(raw: Any, extent: AssetExtent, cls: ObjectClass, path: str) -> Geometry:
    if not isinstance(raw, Mapping):
        raise InvalidInput(f"{path} must be an object with a 'type'.")
    if raw.get("type") != cls.tool.value:
        raise InvalidInput(f"{path}.type is {raw.get('type')!r} but class '{cls.id}' is drawn with '{cls.tool.value}'.")
    return VALIDATORS[cls.tool](raw, extent, cls, path)


__all__ = ["VALIDATORS", "AssetExtent", "Geometry", "validate_geometry"]
