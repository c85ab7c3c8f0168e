"""PdfReader on hand-written PDFs: rotated pages put the text layer where the rendered page shows
the text; metadata scrubbing; sizes."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from tests.media.pdf_samples import make_pdf

from labelhub.core.errors import InvalidInput, NotFound
from labelhub.media.pdf import PdfReader


def rotated(rotation: int) -> bytes:
    data = make_pdf(["Hello"], size=(300, 200))
    return data.replace(b"/MediaBox [0 0 300 200]", b"/MediaBox [0 0 300 200] /Rotate %d" % rotation)


def ink_box(png: bytes) -> tuple[int, int, int, int]:
    dark = np.asarray(Image.open(io.BytesIO(png)).convert("L")) < 128
    ys, xs = np.nonzero(dark)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_text_boxes_match_the_rendered_page_at_every_rotation(rotation: int) -> None:
    """Adding /Rotate shifts the xref offsets; PDFium repairs the table, as viewers do."""
    reader = PdfReader()
    data = rotated(rotation)
    info = reader.probe(io.BytesIO(data), "r.pdf")
    expected = (300, 200) if rotation in (0, 180) else (200, 300)
    assert (info.width, info.height) == expected and info.extra["rotations"] == [rotation]
    (page,) = reader.text_layer(io.BytesIO(data))
    (word,) = page["words"]
    png = reader.render_page(io.BytesIO(data), 0, 2.0)
    assert Image.open(io.BytesIO(png)).size == (expected[0] * 2, expected[1] * 2)
    x0, y0, x1, y1 = ink_box(png)
    bx0, by0, bx1, by1 = (v * 2 for v in word["xyxy"])
    # the ink of "Hello" lies inside its text-layer box (glyph boxes are tight; allow 2 px)
    assert bx0 - 2 <= x0 and by0 - 2 <= y0 and x1 <= bx1 + 2 and y1 <= by1 + 2, (word["xyxy"], (x0, y0, x1, y1))


def test_scrub_removes_info_and_xmp_but_keeps_pages() -> None:
    reader = PdfReader()
    data = make_pdf(["One", "Two"], info={"Author": "Jane Roe", "Keywords": "MRN 4711"}, xmp="<x>Jane Roe</x>")
    clean = reader.scrub(io.BytesIO(data), "a.pdf")
    assert b"Jane Roe" not in clean and b"MRN 4711" not in clean
    assert reader.probe(io.BytesIO(clean), "a.pdf").pages == 2
    assert [p["text"] for p in reader.text_layer(io.BytesIO(clean))] == ["One", "Two"]


def test_bad_pages_and_scales() -> None:
    reader = PdfReader()
    data = make_pdf(["x"])
    with pytest.raises(NotFound):
        reader.render_page(io.BytesIO(data), 1, 1.0)
    with pytest.raises(InvalidInput):
        reader.render_page(io.BytesIO(data), 0, 0.0)
    with pytest.raises(InvalidInput, match="truncated or corrupt"):
        reader.probe(io.BytesIO(b"%PDF-1.7\n" + b"\x00" * 200), "zero.pdf")
