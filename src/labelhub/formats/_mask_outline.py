"""A brush mask as one polygon ring, for formats that hold polygons only (YOLO segmentation).

``cv2.findContours`` traces every part's outline and every hole (``RETR_CCOMP``) through the
centres of the border pixels; each ring is simplified by at most ``EPSILON`` pixels. A format
with one polygon per object cannot hold several parts or holes, so the rings are joined into one
"keyhole" ring: each further ring is entered from its nearest vertex on the ring built so far and
left the same way, over a zero-width bridge. Holes keep the opposite orientation OpenCV gives them,
so a filled keyhole ring covers the mask's pixels under either fill rule — the same joining
Ultralytics' own COCO converter does (``merge_multi_segment``).

A part too thin to have three outline points (one pixel, a one-pixel line) becomes the rectangle
around its pixels, so nothing painted vanishes from the export.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from labelhub.core import rle as rle_codec
from labelhub.formats._shapes import Dropped, Point, rle_of

EPSILON = 0.7  # pixels: the simplified outline stays this close to the traced one


def mask_polygon(g: dict[str, Any], w: int, h: int) -> list[Point]:
    """The mask geometry ``g`` on a ``w`` x ``h`` image as one ring in pixel coordinates."""
    mask = rle_codec.decode(rle_of(g, w, h))
    rings = _rings(mask.astype(np.uint8))
    if not rings:
        raise Dropped("degenerate: empty mask")
    rings.sort(key=lambda r: -len(r))  # the biggest outline first: bridges go out from it
    joined = rings[0]
    for ring in rings[1:]:
        joined = _bridge(joined, ring)
    return [(float(x), float(y)) for x, y in joined.tolist()]


def _rings(mask: npt.NDArray[np.uint8]) -> list[npt.NDArray[np.float64]]:
    contours, _ = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    for c in contours:
        pts = cv2.approxPolyDP(c, EPSILON, True).reshape(-1, 2).astype(np.float64)
        if len(pts) < 3:
            x0, y0 = pts.min(axis=0) - 0.5
            x1, y1 = pts.max(axis=0) + 0.5
            pts = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
        out.append(pts)
    return out


def _bridge(ring: npt.NDArray[np.float64], other: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """``ring`` with ``other`` spliced in at their closest pair of vertices."""
    d = ((ring[:, None, :] - other[None, :, :]) ** 2).sum(axis=2)
    i, j = np.unravel_index(int(np.argmin(d)), d.shape)
    loop = np.roll(other, -int(j), axis=0)
    return np.concatenate([ring[: i + 1], loop, loop[:1], ring[i:]])


__all__ = ["mask_polygon"]
