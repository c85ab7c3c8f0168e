"""``PdfReader``: PDF documents through pypdfium2 (PDFium), imported inside the methods.

Coordinates (the one place they are written for documents): a page's pixel space is the page
as displayed, rendered at scale 1, i.e. one unit = one PDF point (1/72 inch), origin at the
top-left corner of the page's crop box, x right, y down, with the page's ``/Rotate`` applied
(so ``page_sizes`` of a rotated page are swapped, exactly like the rendered PNG).
``document_region`` boxes and the text layer's character boxes use this space; ``?scale=s``
renders it ``s`` times larger.

PDFium is not thread-safe: every call into it holds ``_PDFIUM_LOCK``.
"""

from __future__ import annotations

import ctypes
import importlib.util
import io
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, BinaryIO

from labelhub.core.errors import InvalidInput, PayloadTooLarge
from labelhub.core.media import MediaInfo, MediaKind

if TYPE_CHECKING:
    import pypdfium2

_PDFIUM_LOCK = threading.RLock()
MAX_PAGES = 10_000
MAX_RENDER_PIXELS = 40_000_000  # one rendered page, width * height
MAX_SCALE = 8.0


class PdfReader:
    """Probe, thumbnail, render pages, extract the text layer and scrub metadata of PDFs."""

    name: str = "pdf"
    kind: MediaKind = MediaKind.DOCUMENT
    extensions: tuple[str, ...] = ("pdf",)
    mime_types: tuple[str, ...] = ("application/pdf",)
    requires: tuple[str, ...] = ("pypdfium2>=4.30",)

    def is_available(self) -> bool:
        return importlib.util.find_spec("pypdfium2") is not None

    def sniff(self, head: bytes, filename: str) -> bool:
        """``%PDF-`` within the first bytes (the spec tolerates a little junk before it)."""
        return b"%PDF-" in head[:1024]

    def probe(self, stream: BinaryIO, filename: str) -> MediaInfo:
        """Open the document, size every page and render page 1 at a small scale (so a corrupt
        page tree or content stream fails now).  ``width``/``height`` are page 1's size in points;
        ``extra["page_sizes"]`` has every page's ``[w, h]``."""
        data = _read(stream)
        with _opened(data, filename) as doc:
            pages = len(doc)
            if pages < 1:
                raise InvalidInput(f"the PDF '{filename}' has no pages: there is nothing to label")
            if pages > MAX_PAGES:
                raise PayloadTooLarge(f"the PDF '{filename}' has {pages} pages, above the limit of {MAX_PAGES}")
            sizes: list[list[float]] = []
            rotations: list[int] = []
            for n in range(pages):
                page = doc[n]
                try:
                    w, h = page.get_size()
                    rotations.append(int(page.get_rotation()))
                    if n == 0:
                        page.render(scale=min(1.0, 200 / max(w, h, 1))).close()
                finally:
                    page.close()
                sizes.append([round(float(w), 3), round(float(h), 3)])
            meta = _metadata_keys(doc)
        return MediaInfo(
            kind=MediaKind.DOCUMENT,
            mime_type="application/pdf",
            width=max(1, round(sizes[0][0])),
            height=max(1, round(sizes[0][1])),
            channels=3,
            pages=pages,
            extra={"page_sizes": sizes, "rotations": rotations, "units": "pt", "has_metadata": meta},
        )

    def thumbnail(self, stream: BinaryIO, max_side: int) -> tuple[bytes, str]:
        data = _read(stream)
        with _opened(data, None) as doc:
            page = doc[0]
            try:
                w, h = page.get_size()
                return _png(page, max_side / max(w, h, 1)), "image/png"
            finally:
                page.close()

    def render_page(self, stream: BinaryIO, page_index: int, scale: float) -> bytes:
        """Page ``page_index`` (0-based) as PNG at ``scale`` pixels per point, rotation applied."""
        if not (math.isfinite(scale) and 0 < scale <= MAX_SCALE):
            raise InvalidInput(f"scale must be in (0, {MAX_SCALE}], got {scale}")
        data = _read(stream)
        with _opened(data, None) as doc:
            page = _page(doc, page_index)
            try:
                w, h = page.get_size()
                if w * h * scale * scale > MAX_RENDER_PIXELS:
                    raise PayloadTooLarge(
                        f"page {page_index} at scale {scale} would be {round(w * scale)} x {round(h * scale)} "
                        f"pixels, above {MAX_RENDER_PIXELS:,}: ask for a smaller scale"
                    )
                return _png(page, scale)
            finally:
                page.close()

    def text_layer(self, stream: BinaryIO) -> list[dict[str, Any]]:
        """Per page ``{"page", "width", "height", "text", "chars": [[x0, y0, x1, y1] | None, ...],
        "words": [{"text", "start", "end", "xyxy"}]}``.

        ``text`` is the page's text in reading order as PDFium extracts it; ``chars[i]`` is the
        box of ``text[i]`` (offsets in Unicode code points; ``None`` for characters PDFium
        generates, such as the line breaks it inserts).  Boxes are in page pixel space (module
        docstring), rounded to 0.01.
        """
        import pypdfium2.raw as raw

        data = _read(stream)
        out: list[dict[str, Any]] = []
        with _opened(data, None) as doc:
            for n in range(len(doc)):
                page = doc[n]
                try:
                    w, h = page.get_size()
                    left, bottom, right, top = (float(v) for v in page.get_cropbox())
                    to_display = _display_transform(int(page.get_rotation()), right - left, top - bottom)
                    tp = page.get_textpage()
                    try:
                        text, boxes = _chars(raw, tp, left, top, to_display)
                    finally:
                        tp.close()
                finally:
                    page.close()
                out.append(
                    {
                        "page": n,
                        "width": round(float(w), 3),
                        "height": round(float(h), 3),
                        "text": text,
                        "chars": boxes,
                        "words": _words(text, boxes),
                    }
                )
        return out

    def scrub(self, stream: BinaryIO, filename: str) -> bytes:
        """A copy with the pages only: no document Info dictionary (Author, Title, Producer, ...),
        no XMP metadata stream, no outline, attachments or JavaScript.  Page content is copied
        by PDFium's page import, so what is drawn does not change."""
        import pypdfium2 as pdfium

        data = _read(stream)
        with _opened(data, filename) as doc:
            fresh = pdfium.PdfDocument.new()
            try:
                fresh.import_pages(doc)
                buf = io.BytesIO()
                fresh.save(buf)
            finally:
                fresh.close()
        return buf.getvalue()


def _read(stream: BinaryIO) -> bytes | BinaryIO:
    """A seekable stream is handed to PDFium as is (it reads only the objects a page needs, so
    rendering one page of a large stored PDF does not read the whole file); others are read."""
    if stream.seekable():
        stream.seek(0)
        return stream
    return stream.read()


@contextmanager
def _opened(data: bytes | BinaryIO, filename: str | None) -> Iterator[pypdfium2.PdfDocument]:
    import pypdfium2 as pdfium

    what = f"the PDF '{filename}'" if filename else "the stored PDF"
    with _PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            reason = str(exc).split(":")[-1].strip().rstrip(".)").strip() or "unreadable"
            if "password" in str(exc).lower():
                raise InvalidInput(f"{what} is password-protected: remove the password and upload again") from exc
            raise InvalidInput(f"{what} is truncated or corrupt ({reason}): re-export it and upload again") from exc
        try:
            yield doc
        except pdfium.PdfiumError as exc:
            raise InvalidInput(f"{what} is truncated or corrupt ({exc}): re-export it and upload again") from exc
        finally:
            doc.close()


def _page(doc: pypdfium2.PdfDocument, index: int) -> Any:
    if not 0 <= index < len(doc):
        from labelhub.core.errors import NotFound

        raise NotFound(f"page {index} does not exist: the document has pages 0 to {len(doc) - 1}")
    return doc[index]


def _png(page: Any, scale: float) -> bytes:
    bitmap = page.render(scale=scale, may_draw_forms=True)
    try:
        img = bitmap.to_pil()
        buf = io.BytesIO()
        img.convert("RGB").save(buf, "PNG", optimize=False, compress_level=3)
        return buf.getvalue()
    finally:
        bitmap.close()


def _display_transform(rotation: int, width: float, height: float) -> Any:
    """Maps a box ``(x0, y0, x1, y1)`` in the unrotated top-left space of a ``width`` x ``height``
    page to the displayed page (``/Rotate`` is clockwise)."""

    def rotate(x: float, y: float) -> tuple[float, float]:
        if rotation == 90:
            return height - y, x
        if rotation == 180:
            return width - x, height - y
        if rotation == 270:
            return y, width - x
        return x, y

    def box(x0: float, y0: float, x1: float, y1: float) -> list[float]:
        (ax, ay), (bx, by) = rotate(x0, y0), rotate(x1, y1)
        return [round(min(ax, bx), 2), round(min(ay, by), 2), round(max(ax, bx), 2), round(max(ay, by), 2)]

    return box


def _chars(raw: Any, tp: Any, left: float, top: float, to_display: Any) -> tuple[str, list[list[float] | None]]:
    count = tp.count_chars()
    chars: list[str] = []
    boxes: list[list[float] | None] = []
    l_, r_, b_, t_ = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    handle = tp.raw
    i = 0
    while i < count:
        code = raw.FPDFText_GetUnicode(handle, i)
        step = 1
        if 0xD800 <= code <= 0xDBFF and i + 1 < count:  # a surrogate pair: one code point
            low = raw.FPDFText_GetUnicode(handle, i + 1)
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            step = 2
        if code == 0 or 0xD800 <= code <= 0xDFFF:
            code = 0xFFFD
        chars.append(chr(code))
        generated = raw.FPDFText_IsGenerated(handle, i) == 1
        if not generated and raw.FPDFText_GetCharBox(handle, i, l_, r_, b_, t_):
            boxes.append(to_display(l_.value - left, top - t_.value, r_.value - left, top - b_.value))
        else:
            boxes.append(None)
        i += step
    return "".join(chars), boxes


def _words(text: str, boxes: list[list[float] | None]) -> list[dict[str, Any]]:
    words: list[dict[str, Any]] = []
    start: int | None = None
    for i, ch in enumerate([*text, " "]):
        if ch.isspace():
            if start is not None:
                parts = [b for b in boxes[start:i] if b is not None]
                if parts:
                    xyxy = [
                        min(b[0] for b in parts),
                        min(b[1] for b in parts),
                        max(b[2] for b in parts),
                        max(b[3] for b in parts),
                    ]
                    words.append({"text": text[start:i], "start": start, "end": i, "xyxy": xyxy})
                start = None
        elif start is None:
            start = i
    return words


def _metadata_keys(doc: pypdfium2.PdfDocument) -> list[str]:
    """Which Info keys are set (names only: their values may be PHI)."""
    try:
        return sorted(k for k, v in doc.get_metadata_dict(skip_empty=True).items() if v)
    except Exception:  # metadata is informational; a broken Info dict is not fatal
        return []


__all__ = ["MAX_SCALE", "PdfReader"]
