"""Documents for image detectors: a PDF page is rendered (pypdfium2) at a resolution detectors
like, and the detections are mapped back to the document's coordinates (PDF points, as labelhub
stores document geometry).  Multi-page TIFFs are read page by page in ``image.rgb_array``."""

from __future__ import annotations

import importlib
import io
from typing import Any

import numpy as np
from PIL import Image

from labelhub.core import rle
from labelhub.core.errors import InvalidInput
from labelhub.core.models import Detection, Detector, ImageInput, ModelInfo

LONG_SIDE = 1600  # pixels along the longer side of a rendered page
MAX_SCALE = 4.0


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF")


def render(image: ImageInput) -> tuple[ImageInput, float, float]:
    """The page as a PNG image input, and the factors from its pixels back to document units."""
    pdfium: Any = importlib.import_module("pypdfium2")
    doc = pdfium.PdfDocument(image.data)
    try:
        if not 0 <= image.page < len(doc):
            raise InvalidInput(f"'{image.filename}' has {len(doc)} pages; page {image.page} does not exist.")
        page = doc[image.page]
        try:
            w, h = page.get_size()
            scale = min(MAX_SCALE, LONG_SIDE / max(w, h, 1.0))
            bitmap = page.render(scale=scale)
            try:
                pil = bitmap.to_pil().convert("RGB")
            finally:
                bitmap.close()
        finally:
            page.close()
    finally:
        doc.close()
    buf = io.BytesIO()
    pil.save(buf, "PNG", compress_level=1)
    rendered = ImageInput(buf.getvalue(), image.filename, pil.width, pil.height, "image/png", 0)
    return rendered, image.width / pil.width, image.height / pil.height


def scaled(d: Detection, fx: float, fy: float, size: tuple[int, int]) -> Detection:
    g = d.geometry
    if g["type"] in ("bbox", "document_region"):
        x1, y1, x2, y2 = g["xyxy"]
        return Detection(d.label, d.score, {**g, "xyxy": [x1 * fx, y1 * fy, x2 * fx, y2 * fy]})
    if g["type"] in ("polygon", "polyline"):
        return Detection(d.label, d.score, {**g, "points_xy": [[x * fx, y * fy] for x, y in g["points_xy"]]})
    if g["type"] == "mask":
        m = Image.fromarray(rle.decode(g["rle"]).astype(np.uint8) * 255).resize(size, Image.Resampling.NEAREST)
        return Detection(d.label, d.score, {"type": "mask", "rle": rle.encode(np.asarray(m) > 127)})
    return d


class PagedDetector:
    """Any detector, made to read PDF pages."""

    def __init__(self, inner: Detector) -> None:
        self.inner = inner

    @property
    def info(self) -> ModelInfo:
        return self.inner.info

    def detect(self, image: ImageInput) -> list[Detection]:
        if not is_pdf(image.data):
            return self.inner.detect(image)
        page, fx, fy = render(image)
        return [scaled(d, fx, fy, (image.width, image.height)) for d in self.inner.detect(page)]


__all__ = ["PagedDetector", "is_pdf", "render", "scaled"]
