"""Pixel-mode helpers for ``ImageReader``: channel counts and display conversion for thumbnails.

Pillow modes map to what a labeller sees: ``L``/``1``/``I;16``/``I``/``F`` are one grey channel,
``LA`` two, ``RGB``/``YCbCr``/``LAB``/``HSV`` three, ``RGBA``/``CMYK`` four, a palette (``P``)
image three; a transparent colour key or palette entry (``info["transparency"]``, as in GIFs)
adds an alpha channel.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

_ALPHA_MODES = ("LA", "La", "PA", "RGBA", "RGBa")
# Modes whose ``info["transparency"]`` (a colour key / transparent palette entry) adds an alpha channel.
_KEYED_MODES = {"1": 1, "L": 1, "P": 3, "RGB": 3}


def is_high_bit(mode: str) -> bool:
    """16-bit, 32-bit integer or float grey: needs scaling, not a plain ``convert``, for display."""
    return mode.startswith("I;16") or mode in ("I", "F")


def channel_count(mode: str, *, has_transparency: bool = False) -> int:
    """Number of channels a labeller sees for a Pillow ``mode``."""
    if has_transparency and mode in _KEYED_MODES:
        return _KEYED_MODES[mode] + 1
    if is_high_bit(mode) or mode == "1":
        return 1
    if mode in ("P", "PA"):
        return 3 if mode == "P" else 4
    if mode == "RGBX":  # the fourth band is padding
        return 3
    from PIL import Image

    return int(Image.getmodebands(mode))


def encode_thumbnail(frame: Image, max_side: int) -> tuple[bytes, str]:
    """Shrink ``frame`` to fit ``max_side`` x ``max_side`` and encode it for a browser.

    Returns ``(bytes, "image/jpeg")``, or ``(bytes, "image/webp")`` when transparency must be kept.
    High-bit-depth grey (16-bit, 32-bit int, float) is resampled first, then stretched from its
    own min..max to 0..255, so a 12-bit scan in a 16-bit container is neither clipped to white
    nor crushed to black.
    """
    if is_high_bit(frame.mode):
        frame = _stretch_to_8bit(frame, max_side)
    else:
        keep_alpha = frame.mode in _ALPHA_MODES or (frame.mode in _KEYED_MODES and "transparency" in frame.info)
        frame = frame.convert("RGBA" if keep_alpha else "RGB")
        frame.thumbnail((max_side, max_side))
    out = io.BytesIO()
    if frame.mode == "RGBA":
        frame.save(out, format="WEBP", quality=85)
        return out.getvalue(), "image/webp"
    frame.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), "image/jpeg"


def _stretch_to_8bit(frame: Image, max_side: int) -> Image:
    import numpy as np
    from PIL import Image as PILImage

    if frame.mode.startswith("I;16"):
        frame = frame.convert("I")  # exact widening; Pillow resamples I and F, not I;16
    frame.thumbnail((max_side, max_side))  # shrink before the float copy below
    values = np.asarray(frame, dtype=np.float64)
    finite = values[np.isfinite(values)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    scaled = np.zeros_like(values) if high <= low else (values - low) * (255.0 / (high - low))
    grey = np.nan_to_num(scaled, nan=0.0).clip(0, 255).round().astype(np.uint8)
    return PILImage.fromarray(grey).convert("RGB")


__all__ = ["channel_count", "encode_thumbnail", "is_high_bit"]
