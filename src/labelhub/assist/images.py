"""Raster decoding for the assistance tools: stored bytes -> ``(H, W, 3)`` uint8 RGB as displayed.

The same pixels the browser shows: EXIF orientation applied, frame ``page`` of a multi-frame
file, 16-bit and float grey stretched from its own min..max to 0..255, alpha dropped (composited
on white).  ``width * height`` is checked against ``max_pixels`` before any pixel is decoded.
PDF pages reach this decoder already rendered to PNG by the PDF reader (``services.assist``).
"""

from __future__ import annotations

import io
import threading
import warnings
from typing import BinaryIO

import numpy as np

from labelhub.core.assist import ImageArray
from labelhub.core.errors import InvalidInput, PayloadTooLarge

_LOCK = threading.Lock()  # Pillow's MAX_IMAGE_PIXELS is process-wide


class PillowDecoder:
    """The ``ImageDecoder`` port for raster images."""

    def __init__(self, max_pixels: int = 200_000_000) -> None:
        self.max_pixels = max_pixels

    def decode(self, stream: BinaryIO, *, page: int = 0, scale: float = 1.0) -> ImageArray:
        from PIL import Image, ImageOps, UnidentifiedImageError

        data = stream.read()
        try:
            with _LOCK, warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                saved = Image.MAX_IMAGE_PIXELS
                Image.MAX_IMAGE_PIXELS = None
                try:
                    img = Image.open(io.BytesIO(data))
                finally:
                    Image.MAX_IMAGE_PIXELS = saved
                with img:
                    w, h = img.size
                    if w * h > self.max_pixels:
                        raise PayloadTooLarge(
                            f"image is {w} x {h} = {w * h:,} pixels, above the limit of {self.max_pixels:,}"
                        )
                    frames = int(getattr(img, "n_frames", 1))
                    if not 0 <= page < frames:
                        raise InvalidInput(f"page {page} does not exist: the image has pages 0 to {frames - 1}")
                    if page:
                        img.seek(page)
                    img.load()
                    frame = ImageOps.exif_transpose(img) if page == 0 else img.copy()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            raise InvalidInput(f"the stored image cannot be decoded ({exc}); re-upload it") from exc
        return _to_rgb(frame)


def _to_rgb(frame: object) -> ImageArray:
    from PIL import Image

    assert isinstance(frame, Image.Image)
    if frame.mode.startswith("I;16") or frame.mode in ("I", "F"):
        values = np.asarray(frame.convert("F") if frame.mode.startswith("I;16") else frame, dtype=np.float64)
        finite = values[np.isfinite(values)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
        grey = np.zeros_like(values) if hi <= lo else (values - lo) * (255.0 / (hi - lo))
        g8 = np.nan_to_num(grey).clip(0, 255).round().astype(np.uint8)
        return np.ascontiguousarray(np.dstack([g8, g8, g8]))
    if frame.mode in ("RGBA", "LA", "PA", "P") and (frame.mode != "P" or "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        frame = Image.alpha_composite(white, rgba)
    return np.ascontiguousarray(np.asarray(frame.convert("RGB"), dtype=np.uint8))


__all__ = ["PillowDecoder"]
