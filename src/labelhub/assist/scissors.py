"""Smart Scissors: live-wire boundary following with OpenCV's ``IntelligentScissorsMB``.

The cost of a path is OpenCV's (Laplacian zero crossings, gradient magnitude and direction,
Canny edges); the search is Dijkstra from the anchor.  On a whole 2-megapixel image that search
(``buildMap``) takes over a second, so it runs on a window around the anchor, just large enough to
hold the cursor (half-size at least 128 px, doubled whenever the cursor leaves it): about 25 ms
for a new anchor on an idle machine, and then every cursor move inside the window is a walk back
along the stored map (well under a millisecond).  Meanwhile one background thread builds the
next, twice larger window for the latest anchor of each image, and the next, up to the whole
image, so a cursor that travels far usually finds its map ready (``prefetch=False`` turns it off).

Caches (bounded, least recently used first out): decoded images per ``image_key`` (the one-time
per-image preparation: decode, BGR conversion) and built maps per ``(image_key, anchor)``.
A path never leaves its window; a cursor outside it makes a bigger window.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from labelhub.core.assist import ImageArray, ImageLoader

MIN_HALF = 128
STEP = 64
MAX_HALF = 1024


def _cv() -> Any:
    """OpenCV, imported on first use; typed ``Any`` (its stubs reject plain numpy arrays)."""
    import cv2

    return cv2


@dataclass
class _Map:
    tool: Any  # cv2.segmentation.IntelligentScissorsMB with a built map
    x0: int
    y0: int
    x1: int
    y1: int
    lock: threading.Lock

    def holds(self, x: int, y: int) -> bool:
        return self.x0 <= x < self.x1 and self.y0 <= y < self.y1

    def area(self) -> int:
        return (self.x1 - self.x0) * (self.y1 - self.y0)


class LiveWire:
    """The ``Scissors`` port.  Thread-safe; one built map per (image, anchor)."""

    def __init__(self, cache_images: int = 8, cache_maps: int = 32, *, prefetch: bool = True) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.prefetch = prefetch
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scissors-prefetch")
        self._latest: dict[str, tuple[int, int]] = {}
        self._images: OrderedDict[str, npt.NDArray[np.uint8]] = OrderedDict()
        self._maps: OrderedDict[tuple[str, int, int], _Map] = OrderedDict()
        self._n_images, self._n_maps = cache_images, cache_maps
        self._lock = threading.Lock()

    def prepare(self, image_key: str, load: ImageLoader) -> npt.NDArray[np.uint8]:
        """The image as BGR, decoded once per key."""
        cv2 = _cv()

        with self._lock:
            if image_key in self._images:
                self._images.move_to_end(image_key)
                return self._images[image_key]
        bgr = np.ascontiguousarray(cv2.cvtColor(load(), cv2.COLOR_RGB2BGR))
        with self._lock:
            self._images[image_key] = bgr
            while len(self._images) > self._n_images:
                old, _ = self._images.popitem(last=False)
                for k in [k for k in self._maps if k[0] == old]:
                    del self._maps[k]
        return bgr

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def path(
        self, image_key: str, load: ImageLoader, anchor: tuple[float, float], cursor: tuple[float, float]
    ) -> list[tuple[float, float]]:
        """Points (pixel centres) from ``anchor`` to ``cursor`` along the strongest edges."""
        bgr = self.prepare(image_key, load)
        h, w = bgr.shape[:2]
        ax, ay = _pixel(anchor, w, h)
        cx, cy = _pixel(cursor, w, h)
        if (ax, ay) == (cx, cy):
            return [(ax + 0.5, ay + 0.5)]
        m = self._map(image_key, bgr, ax, ay, cx, cy)
        with m.lock:
            contour = m.tool.getContour((cx - m.x0, cy - m.y0))
        pts = contour.reshape(-1, 2)
        if len(pts) and (int(pts[0][0]) + m.x0, int(pts[0][1]) + m.y0) != (ax, ay):
            pts = pts[::-1]  # OpenCV walks back from the target; we answer anchor -> cursor
        return [(float(x) + m.x0 + 0.5, float(y) + m.y0 + 0.5) for x, y in pts.tolist()]

    def _map(self, key: str, bgr: ImageArray, ax: int, ay: int, cx: int, cy: int) -> _Map:
        with self._lock:
            found = self._maps.get((key, ax, ay))
            self._latest[key] = (ax, ay)
            if found is not None and found.holds(cx, cy):
                self._maps.move_to_end((key, ax, ay))
                return found
        reach = max(abs(cx - ax), abs(cy - ay)) + 16
        half = max(MIN_HALF, -(-reach // STEP) * STEP)
        if found is not None:  # the cursor left the window: double it, so rebuilds stay rare
            half = max(half, max(found.x1 - found.x0, found.y1 - found.y0))  # = 2 x the old half
        m = _build(bgr, ax, ay, min(MAX_HALF, half))
        self._keep(key, ax, ay, m)
        self._prefetch(key, bgr, ax, ay, 2 * half)
        return m

    def _keep(self, key: str, ax: int, ay: int, m: _Map) -> None:
        with self._lock:
            current = self._maps.get((key, ax, ay))
            if current is None or current.area() < m.area():
                self._maps[(key, ax, ay)] = m
                self._maps.move_to_end((key, ax, ay))
            while len(self._maps) > self._n_maps:
                self._maps.popitem(last=False)

    def _prefetch(self, key: str, bgr: ImageArray, ax: int, ay: int, half: int) -> None:
        """Build the next, twice larger window in the background while the cursor moves, up to
        the whole image, as long as this anchor is still the image's latest."""
        h, w = bgr.shape[:2]
        if half > max(h, w) * 2 or not self.prefetch:
            return

        def job() -> None:
            with self._lock:
                if self._latest.get(key) != (ax, ay):
                    return  # a newer anchor: its maps matter now
            m = _build(bgr, ax, ay, half)
            self._keep(key, ax, ay, m)
            if (m.x0, m.y0, m.x1, m.y1) != (0, 0, w, h):
                self._prefetch(key, bgr, ax, ay, 2 * half)

        self._pool.submit(job)


def _build(bgr: ImageArray, ax: int, ay: int, half: int) -> _Map:
    cv2 = _cv()
    h, w = bgr.shape[:2]
    x0, y0, x1, y1 = max(0, ax - half), max(0, ay - half), min(w, ax + half), min(h, ay + half)
    tool = cv2.segmentation.IntelligentScissorsMB()
    tool.setEdgeFeatureCannyParameters(32, 100)
    tool.setGradientMagnitudeMaxLimit(200)
    tool.applyImage(np.ascontiguousarray(bgr[y0:y1, x0:x1]))
    tool.buildMap((ax - x0, ay - y0))
    return _Map(tool, x0, y0, x1, y1, threading.Lock())


def _pixel(p: tuple[float, float], w: int, h: int) -> tuple[int, int]:
    """The pixel holding point ``p`` (pixel-corner coordinates), clamped into the image."""
    return int(np.clip(np.floor(p[0]), 0, w - 1)), int(np.clip(np.floor(p[1]), 0, h - 1))


def is_available() -> bool:
    try:
        cv2 = _cv()
    except ImportError:
        return False
    return hasattr(cv2, "segmentation") and hasattr(cv2.segmentation, "IntelligentScissorsMB")


__all__ = ["LiveWire", "is_available"]
