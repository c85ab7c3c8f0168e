"""``TiffReader``: TIFF files, multi-page ones as ``multipage_image`` (each page an image in the
editor's page navigation), through Pillow with ``ImageReader``'s safety rules.

Registered before ``ImageReader`` so that it gets every TIFF: a one-page TIFF is described exactly
as ``ImageReader`` describes it (kind ``image``); a TIFF with more pages becomes kind
``multipage_image`` with ``pages`` = the page count, ``width``/``height`` of page 0 and
``extra["page_sizes"]`` = ``[[w, h], ...]`` of every page.  Every page is decoded at import, so a
truncated file fails then (``InvalidInput``), not in a labeller's browser.
"""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any, BinaryIO

from labelhub.core.errors import InvalidInput, NotFound, PayloadTooLarge
from labelhub.core.media import MediaInfo, MediaKind
from labelhub.media.image import DEFAULT_MAX_PIXELS, ImageReader, _pillow_guard
from labelhub.media.magic import sniff_image_format

MAX_PAGES = 10_000


class TiffReader:
    name: str = "tiff"
    kind: MediaKind = MediaKind.MULTIPAGE_IMAGE
    extensions: tuple[str, ...] = ("tif", "tiff")
    mime_types: tuple[str, ...] = ("image/tiff",)
    requires: tuple[str, ...] = ("pillow",)

    def __init__(self, max_pixels: int = DEFAULT_MAX_PIXELS) -> None:
        self._image = ImageReader(max_pixels=max_pixels)

    def is_available(self) -> bool:
        return self._image.is_available()

    def sniff(self, head: bytes, filename: str) -> bool:
        return sniff_image_format(head) == "TIFF"

    def probe(self, stream: BinaryIO, filename: str) -> MediaInfo:
        info = self._image.probe(stream, filename)  # page 0 decoded, pixel limit, EXIF orientation
        if info.pages <= 1:
            return info
        if info.pages > MAX_PAGES:
            raise PayloadTooLarge(f"the TIFF '{filename}' has {info.pages} pages, above the limit of {MAX_PAGES}")
        sizes = self._decode_all(stream, filename)
        return replace(
            info,
            kind=MediaKind.MULTIPAGE_IMAGE,
            pages=len(sizes),
            extra={**info.extra, "page_sizes": sizes},
        )

    def thumbnail(self, stream: BinaryIO, max_side: int) -> tuple[bytes, str]:
        return self._image.thumbnail(stream, max_side)

    def render_page(self, stream: BinaryIO, page_index: int) -> bytes:
        """Page ``page_index`` (0-based) as PNG (16-bit greyscale stays 16-bit; other modes as
        RGB or RGBA)."""
        from PIL import Image

        def one(img: Any) -> bytes:
            n = int(getattr(img, "n_frames", 1))
            if not 0 <= page_index < n:
                raise NotFound(f"page {page_index} does not exist: the image has pages 0 to {n - 1}")
            img.seek(page_index)
            self._check_size(img.size)
            img.load()
            frame = img
            if frame.mode not in ("1", "L", "I;16", "RGB", "RGBA"):
                frame = frame.convert("RGBA" if "A" in frame.mode else "RGB")
            buf = io.BytesIO()
            frame.save(buf, "PNG", compress_level=3)
            return buf.getvalue()

        png: bytes = self._with_image(stream, None, one, Image)
        return png

    def _decode_all(self, stream: BinaryIO, filename: str) -> list[list[int]]:
        from PIL import Image

        def every(img: Any) -> list[list[int]]:
            sizes = []
            for n in range(int(getattr(img, "n_frames", 1))):
                img.seek(n)
                self._check_size(img.size)
                img.load()
                sizes.append([int(img.size[0]), int(img.size[1])])
            return sizes

        sizes: list[list[int]] = self._with_image(stream, filename, every, Image)
        return sizes

    def _with_image(self, stream: BinaryIO, filename: str | None, fn: Any, image_module: Any) -> Any:
        stream.seek(0)
        data = stream.read()
        with self._image._decoding(filename), _pillow_guard(self._image.max_pixels):
            try:
                with image_module.open(io.BytesIO(data), formats=("TIFF",)) as img:
                    return fn(img)
            except EOFError as exc:
                raise InvalidInput(
                    f"{'the file ' + repr(filename) if filename else 'the stored image'} ends before its last "
                    "page: it is truncated; re-export it and upload again"
                ) from exc

    def _check_size(self, size: tuple[int, int]) -> None:
        w, h = size
        if w * h > self._image.max_pixels:
            raise PayloadTooLarge(
                f"a page is {w} x {h} = {w * h} pixels, above the limit of {self._image.max_pixels}; "
                "raise LABELHUB_MAX_IMAGE_PIXELS if this is intended"
            )


__all__ = ["TiffReader"]
