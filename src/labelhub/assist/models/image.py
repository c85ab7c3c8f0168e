"""Decoding an asset's bytes into the RGB array a detector reads."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image

from labelhub.core.errors import UnsupportedMedia
from labelhub.core.models import ImageInput


def rgb_array(image: ImageInput) -> npt.NDArray[np.uint8]:
    """The image as an (H, W, 3) uint8 RGB array (first frame or page; 16-bit images scaled down)."""
    try:
        with Image.open(io.BytesIO(image.data)) as im:
            im.seek(min(image.page, getattr(im, "n_frames", 1) - 1))
            if im.mode in ("I;16", "I;16B", "I;16L", "I"):
                arr: Any = np.asarray(im, dtype=np.float64)
                lo, hi = float(arr.min()), float(arr.max())
                arr = ((arr - lo) / (hi - lo or 1.0) * 255).astype(np.uint8)
                return np.stack([arr] * 3, axis=-1)
            return np.asarray(im.convert("RGB"), dtype=np.uint8)
    except (OSError, ValueError) as e:
        raise UnsupportedMedia(
            f"'{image.filename}' could not be decoded as an image for the model ({e}); "
            "Auto Detect works on images and rendered document pages."
        ) from None


__all__ = ["rgb_array"]
