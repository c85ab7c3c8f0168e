"""Real images with ground truth for the assistance tools (see data/make_ground_truth.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

DATA = Path(__file__).parent / "data"


def polygon_mask(points: list[list[float]], width: int, height: int) -> np.ndarray:
    from PIL import Image, ImageDraw

    pic = Image.new("L", (width, height), 0)
    ImageDraw.Draw(pic).polygon([(float(x), float(y)) for x, y in points], fill=1)
    return np.asarray(pic).astype(bool)


def iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum()) / max(1, int((a | b).sum()))


@pytest.fixture(scope="session")
def coffee() -> tuple[np.ndarray, tuple[float, float, float, float], np.ndarray]:
    """skimage.data.coffee, its cup-on-saucer box and the hand-drawn ground-truth mask."""
    from skimage import data

    img = data.coffee()
    g = json.loads((DATA / "coffee_gt.json").read_text())
    gt = polygon_mask(g["polygon_xy"], img.shape[1], img.shape[0])
    ys, xs = np.nonzero(gt)
    return img, (float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)), gt


def crowded(name: str) -> tuple[np.ndarray, list[tuple[tuple[float, float, float, float], np.ndarray]]]:
    from skimage import data

    from labelhub.core import rle

    image = data.coins() if name == "coins" else data.immunohistochemistry()
    rgb = np.ascontiguousarray(np.dstack([image] * 3) if image.ndim == 2 else image)
    objs = json.loads((DATA / f"{name}_gt.json").read_text())["objects"]
    return rgb, [(tuple(float(v) for v in o["box_xyxy"]), rle.decode(o["rle"])) for o in objs]  # type: ignore[misc]
