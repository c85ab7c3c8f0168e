"""Tiled image pyramids (DeepZoom-like) for images too large to send to a browser whole.

Layout, as in DeepZoom: level ``max_level = ceil(log2(max(width, height)))`` is the image at full
resolution; each level below halves it, rounding up, so level ``k`` is
``ceil(width / 2**(max_level - k))`` x ``ceil(height / 2**(max_level - k))`` pixels.  Only the
levels from ``min_level`` (the largest level that fits in one tile) up to ``max_level`` are made.
A level is cut into ``tile_size`` x ``tile_size`` tiles without overlap, column ``x`` and row
``y`` from the top-left; the tiles of the last column and row are smaller.  Tile ``(k, x, y)``
covers asset pixels ``[x, x + 1) * tile_size * 2**(max_level - k)`` (clipped to the image), so a
client maps tiles to asset coordinates exactly.

Memory: the first frame is decoded once, as displayed (EXIF-transposed), then each level is made
from the one above with ``Image.reduce(2)`` (a 2 x 2 box filter) and the level above is dropped.
Peak is the decoded image plus a quarter of it (20,000 x 20,000 RGB: about 1.5 GB).  Pillow's
global limits are pinned only while decoding (``media.image``); a module lock lets one pyramid
be built per process at a time, so several tiling jobs in one worker do not multiply the peak.
Pillow was chosen over pyvips (which installs as ``pyvips-binary`` wheels) because the import
probe already decodes the full image with Pillow, so pyvips would not lower the import's peak
and would add a native dependency; revisit if probing stops decoding whole images.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

from labelhub.media.image import DEFAULT_MAX_PIXELS, ImageReader, _pillow_guard
from labelhub.media.pixels import is_high_bit

if TYPE_CHECKING:
    from PIL.Image import Image

DEFAULT_TILE_SIZE = 512
JPEG_QUALITY = 85
_TILE_LOCK = threading.Lock()

TileSink = Callable[[int, int, int, bytes], None]
"""``sink(level, x, y, encoded_bytes)`` stores one tile."""


@dataclass(frozen=True, slots=True)
class TileLevel:
    level: int
    width: int
    height: int
    columns: int
    rows: int


@dataclass(frozen=True, slots=True)
class TilePyramid:
    """The descriptor a client needs: sizes, tile size, levels and the tiles' MIME type."""

    width: int
    height: int
    tile_size: int
    mime_type: str
    levels: tuple[TileLevel, ...]  # min_level .. max_level, ascending

    @property
    def min_level(self) -> int:
        return self.levels[0].level

    @property
    def max_level(self) -> int:
        return self.levels[-1].level

    @property
    def tile_count(self) -> int:
        return sum(lv.columns * lv.rows for lv in self.levels)

    def to_json(self) -> dict[str, Any]:
        return {
            "width": self.width,
            "height": self.height,
            "tile_size": self.tile_size,
            "overlap": 0,
            "mime_type": self.mime_type,
            "min_level": self.min_level,
            "max_level": self.max_level,
            "levels": [
                {"level": lv.level, "width": lv.width, "height": lv.height, "columns": lv.columns, "rows": lv.rows}
                for lv in self.levels
            ],
        }


def plan_pyramid(
    width: int, height: int, tile_size: int = DEFAULT_TILE_SIZE, mime_type: str = "image/jpeg"
) -> TilePyramid:
    """The levels of a ``width`` x ``height`` image cut into ``tile_size`` tiles (no pixels touched)."""
    if width < 1 or height < 1:
        raise ValueError(f"image size must be positive, got {width} x {height}")
    if tile_size < 16:
        raise ValueError(f"tile_size must be at least 16 pixels, got {tile_size}")
    max_level = math.ceil(math.log2(max(width, height))) if max(width, height) > 1 else 0
    levels: list[TileLevel] = []
    for k in range(max_level, -1, -1):
        f = 1 << (max_level - k)
        w, h = -(-width // f), -(-height // f)
        levels.append(TileLevel(k, w, h, -(-w // tile_size), -(-h // tile_size)))
        if w <= tile_size and h <= tile_size:
            break
    return TilePyramid(width, height, tile_size, mime_type, tuple(reversed(levels)))


def build_pyramid(
    stream: BinaryIO,
    sink: TileSink,
    *,
    tile_size: int = DEFAULT_TILE_SIZE,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    progress: Callable[[int, int], None] | None = None,
) -> TilePyramid:
    """Decode the image in ``stream`` and hand every tile to ``sink``, largest level first.

    Raises ``PayloadTooLarge`` above ``max_pixels`` and ``InvalidInput`` for a corrupt file,
    before any tile is written.  ``progress(done, total)`` is called once per finished row of tiles.
    """
    with _TILE_LOCK:
        img = _decode(stream, max_pixels)
        pyramid = plan_pyramid(img.width, img.height, tile_size, "image/webp" if img.mode == "RGBA" else "image/jpeg")
        total, done = pyramid.tile_count, 0
        for lv in reversed(pyramid.levels):
            assert img.size == (lv.width, lv.height), (img.size, lv)
            for y in range(lv.rows):
                for x in range(lv.columns):
                    box = (
                        x * tile_size,
                        y * tile_size,
                        min((x + 1) * tile_size, lv.width),
                        min((y + 1) * tile_size, lv.height),
                    )
                    sink(lv.level, x, y, _encode(img.crop(box)))
                done += lv.columns
                if progress:
                    progress(done, total)
            if lv.level > pyramid.min_level:
                img = img.reduce(2)  # rounds up, as plan_pyramid does; the level above is freed
        return pyramid


def pyramid_tiler(
    tile_size: int = DEFAULT_TILE_SIZE, max_pixels: int = DEFAULT_MAX_PIXELS
) -> Callable[[BinaryIO, TileSink, Callable[[int, int], None]], dict[str, Any]]:
    """``build_pyramid`` as the ``services.tiles.Tiler`` callable: returns the descriptor's JSON."""

    def tiler(stream: BinaryIO, sink: TileSink, progress: Callable[[int, int], None]) -> dict[str, Any]:
        return build_pyramid(stream, sink, tile_size=tile_size, max_pixels=max_pixels, progress=progress).to_json()

    return tiler


def _decode(stream: BinaryIO, max_pixels: int) -> Image:
    """The first frame as displayed, in L, RGB or RGBA, fully loaded."""
    from PIL import ImageOps

    reader = ImageReader(max_pixels=max_pixels)
    with reader._decoding(None), _pillow_guard(max_pixels):
        img = reader._open(stream)
        img.load()  # the pixels now live in memory; the caller owns and closes the stream
        ImageOps.exif_transpose(img, in_place=True)
        return _display_mode(img)


def _display_mode(img: Image) -> Image:
    if is_high_bit(img.mode):
        from labelhub.media.pixels import _stretch_to_8bit

        return _stretch_to_8bit(img, max(img.size))
    if img.mode in ("L", "RGB", "RGBA"):
        return img
    alpha = img.mode in ("LA", "La", "PA", "RGBa") or "transparency" in img.info
    return img.convert("RGBA" if alpha else "RGB")


def _encode(tile: Image) -> bytes:
    out = io.BytesIO()
    if tile.mode == "RGBA":
        tile.save(out, format="WEBP", quality=JPEG_QUALITY)
    else:
        tile.save(out, format="JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


__all__ = [
    "DEFAULT_TILE_SIZE",
    "TileLevel",
    "TilePyramid",
    "TileSink",
    "build_pyramid",
    "plan_pyramid",
    "pyramid_tiler",
]
