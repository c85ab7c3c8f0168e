"""The standard simulated clicker of interactive-segmentation papers, for measuring Frame Cut.

After each cut it clicks the centre (the pixel farthest from the region's edge) of the largest
error region: positive on a missed object pixel, negative on a false one.  NoC@t is the number of
clicks until the cut's IoU with the ground truth reaches t; an object that never gets there
within ``max_clicks`` counts as ``max_clicks`` (and as failed).  bench/assist.py and the tests use
it on real images with ground-truth masks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from labelhub.core.assist import Click

Mask = npt.NDArray[np.bool_]


def iou(a: Mask, b: Mask) -> float:
    union = int((a | b).sum())
    return float((a & b).sum()) / union if union else 1.0


def next_click(pred: Mask, gt: Mask) -> Click:
    """The click at the centre of the largest error region of ``pred`` against ``gt``."""
    import cv2

    best: tuple[float, int, int, bool] = (-1.0, 0, 0, True)
    for err, positive in ((gt & ~pred, True), (pred & ~gt, False)):
        if not err.any():
            continue
        dist = cv2.distanceTransform(np.pad(err, 1).astype(np.uint8), cv2.DIST_L2, 5)[1:-1, 1:-1]
        y, x = np.unravel_index(int(dist.argmax()), dist.shape)
        if dist[y, x] > best[0]:
            best = (float(dist[y, x]), int(x), int(y), positive)
    return Click(best[1] + 0.5, best[2] + 0.5, best[3])


@dataclass(frozen=True, slots=True)
class Clicked:
    first_iou: float  # after the box alone
    noc85: int
    noc90: int


def number_of_clicks(cut: Callable[[tuple[Click, ...]], Mask], gt: Mask, max_clicks: int = 20) -> Clicked:
    """Run ``cut`` with the clicker's clicks until IoU >= 0.85 and 0.90 (or ``max_clicks``)."""
    clicks: tuple[Click, ...] = ()
    pred = cut(clicks)
    first = iou(pred, gt)
    reached: dict[float, int] = {}
    for n in range(max_clicks + 1):
        score = iou(pred, gt)
        for t in (0.85, 0.90):
            if t not in reached and score >= t:
                reached[t] = n
        if len(reached) == 2 or n == max_clicks:
            break
        clicks = (*clicks, next_click(pred, gt))
        pred = cut(clicks)
    return Clicked(first, reached.get(0.85, max_clicks), reached.get(0.90, max_clicks))
