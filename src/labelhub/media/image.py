"""``ImageReader``: 2-D raster images (PNG, JPEG, GIF, BMP, WebP, TIFF) through Pillow.

Pillow is imported inside the methods, so listing readers costs nothing where it is missing.

Safety, in order: ``Image.open`` only parses headers, and is restricted to the formats above
(so a crafted upload cannot reach EPS/Ghostscript or other plugins); then ``width * height`` is
checked against ``max_pixels`` before any pixel is decoded (``PayloadTooLarge``); then the first
frame is fully decoded, so a truncated or corrupt file fails here (``InvalidInput``) and not
later in a labeller's browser.

Pillow's knobs are process-wide globals.  While a file is decoded, ``_pillow_guard`` pins
``Image.MAX_IMAGE_PIXELS`` to this reader's limit (so Pillow's own checks, e.g. on GIF frames,
TIFF tiles and the WebP canvas allocated at open, agree with ours), turns
``DecompressionBombWarning`` into an error, forces ``ImageFile.LOAD_TRUNCATED_IMAGES = False``,
and restores all three afterwards.  A module lock serialises these sections, so decoding is one
image at a time per process: import workers scale with processes, not threads.
"""

from __future__ import annotations

import importlib.util
import io
import re
import struct
import threading
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, BinaryIO

from labelhub.core.errors import InvalidInput, PayloadTooLarge
from labelhub.core.media import MediaInfo, MediaKind
from labelhub.media.magic import HEAD_BYTES, sniff_image_format
from labelhub.media.pixels import channel_count, encode_thumbnail

if TYPE_CHECKING:
    from PIL.ImageFile import ImageFile

DEFAULT_MAX_PIXELS = 200_000_000
PIL_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF")  # JPEG also yields MPO files
_HEADER_ONLY_OPEN = frozenset({"PNG", "JPEG", "GIF", "BMP", "TIFF"})  # no pixel buffer at open
_EXIF_ORIENTATION = 0x0112
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error, zlib.error)
_PILLOW_LOCK = threading.Lock()


class ImageReader:
    """Probe and thumbnail raster images; ``max_pixels`` caps ``width * height`` (per frame)."""

    name: str = "image"
    kind: MediaKind = MediaKind.IMAGE
    extensions: tuple[str, ...] = ("png", "jpg", "jpeg", "bmp", "gif", "webp", "tif", "tiff")
    mime_types: tuple[str, ...] = (
        "image/png",
        "image/jpeg",
        "image/bmp",
        "image/gif",
        "image/webp",
        "image/tiff",
    )
    requires: tuple[str, ...] = ("pillow",)

    def __init__(self, max_pixels: int = DEFAULT_MAX_PIXELS) -> None:
        if max_pixels < 1:
            raise ValueError(f"max_pixels must be positive, got {max_pixels}")
        self.max_pixels = max_pixels

    def is_available(self) -> bool:
        return importlib.util.find_spec("PIL") is not None

    def sniff(self, head: bytes, filename: str) -> bool:
        """True when ``head`` carries a PNG/JPEG/GIF/BMP/WebP/TIFF signature (the name is ignored)."""
        return sniff_image_format(head) is not None

    def probe(self, stream: BinaryIO, filename: str) -> MediaInfo:
        """Validate ``stream`` and describe it as displayed, i.e. after EXIF orientation.

        Shape: ``MediaInfo(kind=IMAGE, mime_type="image/png", width, height, channels, pages,
        extra={"mode": "RGB", "format": "PNG", "exif_transposed": False})``; ``pages`` is the
        frame count of a multi-page TIFF / animated GIF, WebP or PNG.  Only the first frame is
        decoded.
        """
        from PIL import Image

        with self._decoding(filename), _pillow_guard(self.max_pixels):
            img = self._open(stream)
            with img:
                img.load()
                width, height = img.size
                orientation = _orientation(img)
                fmt = "JPEG" if img.format == "MPO" else str(img.format)
                # MPO's extra frames are previews / stereo views of the same picture.
                pages = 1 if img.format == "MPO" else int(getattr(img, "n_frames", 1))
                mode = img.mode
                channels = channel_count(mode, has_transparency="transparency" in img.info)
        if orientation in (5, 6, 7, 8):  # rotated by 90 degrees: displayed sideways
            width, height = height, width
        return MediaInfo(
            kind=MediaKind.IMAGE,
            mime_type=Image.MIME.get(fmt, f"image/{fmt.lower()}"),
            width=width,
            height=height,
            channels=channels,
            pages=max(pages, 1),
            extra={"mode": mode, "format": fmt, "exif_transposed": orientation in range(2, 9)},
        )

    def thumbnail(self, stream: BinaryIO, max_side: int) -> tuple[bytes, str]:
        """Return ``(bytes, mime)`` of the first frame as displayed (EXIF-transposed), its longest
        side at most ``max_side``: JPEG, or WebP when it has transparency."""
        from PIL import ImageOps

        if max_side < 1:
            raise InvalidInput(f"thumbnail size must be at least 1 pixel, got {max_side}")
        with self._decoding(None), _pillow_guard(self.max_pixels):
            img = self._open(stream)
            with img:
                img.draft(None, (max_side, max_side))  # JPEG: decode at a reduced scale
                img.load()
                frame = ImageOps.exif_transpose(img)
        return encode_thumbnail(frame, max_side)

    def _open(self, stream: BinaryIO) -> ImageFile:
        """Open lazily (headers only) and enforce the pixel limit before any decoding.

        Runs inside ``_pillow_guard``.  Pillow's own check at open would pre-empt ours and lose
        W x H, so it is off while the header is parsed, except for WebP (and unrecognised
        content), whose decoder allocates the canvas at open: there ``MAX_IMAGE_PIXELS`` is halved
        because Pillow only raises above twice it.
        """
        from PIL import Image

        if not stream.seekable():
            stream = io.BytesIO(stream.read())
        stream.seek(0)
        fmt = sniff_image_format(stream.read(HEAD_BYTES))
        stream.seek(0)
        header_only = fmt in _HEADER_ONLY_OPEN
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = None if header_only else -(-self.max_pixels // 2)
            try:
                img = Image.open(stream, formats=(fmt,) if fmt and header_only else PIL_FORMATS)
            finally:
                Image.MAX_IMAGE_PIXELS = self.max_pixels
        width, height = img.size
        if width * height > self.max_pixels:
            img.close()
            raise PayloadTooLarge(
                f"image is {width} x {height} = {width * height} pixels, above the limit of "
                f"{self.max_pixels}; raise LABELHUB_MAX_IMAGE_PIXELS if this is intended",
                details={"width": width, "height": height, "limit": self.max_pixels},
            )
        return img

    @contextmanager
    def _decoding(self, filename: str | None) -> Iterator[None]:
        """Map Pillow's failures onto labelhub errors."""
        from PIL import Image

        try:
            yield
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            found = re.search(r"\((\d+) pixels\)", str(exc))
            size = f"{found.group(1)} pixels" if found else "too large"
            raise PayloadTooLarge(
                f"image is {size}, above the limit of {self.max_pixels}; "
                "raise LABELHUB_MAX_IMAGE_PIXELS if this is intended",
                details={"limit": self.max_pixels},
            ) from exc
        except _DECODE_ERRORS as exc:  # UnidentifiedImageError is an OSError
            what = f"the file '{filename}'" if filename else "the stored image"
            reason = re.sub(r"\s*<[^>]*>", "", str(exc)).strip() or type(exc).__name__  # no object reprs
            raise InvalidInput(f"{what} is truncated or corrupt ({reason}): re-export it and upload again") from exc


@contextmanager
def _pillow_guard(max_pixels: int) -> Iterator[None]:
    """Pin Pillow's process-wide settings for one decode (see the module docstring)."""
    from PIL import Image, ImageFile

    with _PILLOW_LOCK, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        saved = Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES
        Image.MAX_IMAGE_PIXELS = max_pixels
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES = saved


def _orientation(img: ImageFile) -> int:
    """EXIF orientation 1..8 (1 = as stored); anything unreadable counts as 1."""
    try:
        value = img.getexif().get(_EXIF_ORIENTATION, 1)
    except _DECODE_ERRORS:
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


__all__ = ["DEFAULT_MAX_PIXELS", "PIL_FORMATS", "ImageReader"]
