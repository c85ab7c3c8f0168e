"""Real images with ground truth for the assistance tools (see data/make_ground_truth.py)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.assist import realdata
from tests.assist.realdata import crowded, polygon_mask

__all__ = ["crowded", "iou", "polygon_mask"]


def iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum()) / max(1, int((a | b).sum()))


@pytest.fixture(scope="session")
def coffee() -> tuple[np.ndarray, tuple[float, float, float, float], np.ndarray]:
    """skimage.data.coffee, its cup-on-saucer box and the hand-drawn ground-truth mask."""
    return realdata.coffee()
