"""OCR reads a rendered line of known text (Pillow's default font), offline."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("rapidocr_onnxruntime")

from labelhub.assist.ocr import RapidOcrReader
from tests.assist.realdata import printed_page

TEXT = "Invoice 2024 total 1234.56 EUR"


def render(text: str, size: int = 28) -> np.ndarray:
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (640, 200), "white")
    d = ImageDraw.Draw(img)
    d.text((20, 30), text, fill="black", font=ImageFont.load_default(size=size))
    d.text((20, 120), "second line here", fill="black", font=ImageFont.load_default(size=size))
    return np.asarray(img)


def test_reads_a_rendered_line_with_words_and_boxes() -> None:
    reader = RapidOcrReader()
    lines = reader.read(render(TEXT))
    assert [ln.text for ln in lines] == [TEXT, "second line here"]
    first = lines[0]
    assert [w.text for w in first.words] == TEXT.split()
    x1, y1, x2, y2 = first.box_xyxy
    assert 10 <= x1 <= 30 and 25 <= y1 <= 40 and y2 <= 75 and x2 > 350
    for a, b in zip(first.words, first.words[1:], strict=False):
        assert a.box_xyxy[2] <= b.box_xyxy[0], "words are left to right and do not overlap"
    assert all(first.box_xyxy[0] - 1 <= w.box_xyxy[0] and w.box_xyxy[2] <= first.box_xyxy[2] + 1 for w in first.words)
    assert 0.8 < first.confidence <= 1
    assert reader.version != "unknown"


def test_blank_page_has_no_lines() -> None:
    assert RapidOcrReader().read(np.full((100, 200, 3), 255, np.uint8)) == []


def test_words_at_a_smaller_size_are_split_at_spaces() -> None:
    """At 24 px the default font's spaces are ~7 px against 2-3 px between letters."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (900, 80), "white")
    text = "labelhub reads scanned pages with an engine"
    ImageDraw.Draw(img).text((20, 25), text, fill="black", font=ImageFont.load_default(size=24))
    [line] = RapidOcrReader().read(np.asarray(img))
    assert [w.text for w in line.words] == text.split()
    assert line.text == text


def test_every_printed_line_of_a_page_is_found() -> None:
    """With the engine's per-line angle classifier on, lines starting "scanned pages ..." were
    turned upside down before recognition and lost (4 of 40 on bench/assist's page)."""
    img, truth = printed_page(lines=16, height=760)  # the top of bench/assist's page
    lines = sorted(RapidOcrReader().read(img), key=lambda ln: ln.box_xyxy[1])
    assert len(lines) == len(truth)
    assert all(ln.text.replace(" ", "") == t.replace(" ", "") for ln, t in zip(lines, truth, strict=True))


def test_the_engines_own_spaces_split_words_the_ink_gap_missed() -> None:
    from labelhub.assist.ocr import _spaced

    assert _spaced("ab cd", ["a", "b", "c", "d"]) == [False, False, True, False]
    assert _spaced("abcd", ["a", "b", "c", "d"]) == [False] * 4
    assert _spaced("ab cd", ["a", "x", "c", "d"]) == [False] * 4  # cells that do not spell the text
