"""OCR with RapidOCR (``rapidocr-onnxruntime``): PP-OCRv4 detection and recognition as ONNX
models that ship inside the wheel, run by onnxruntime on the CPU.  Nothing is downloaded.

Lines come from the engine with their quadrilateral, text and score.  Words: the engine gives a
character per recognition cell (``return_word_box=True``), but those cells are too coarse to see
spaces, and the recogniser often drops the space itself.  So word boundaries come from the ink:
in the line's box, the gaps between runs of inked columns (Otsu threshold; ink is the minority
class) are split in two by two-means (letter gaps, spaces), and a space is a gap on the wide
side when the wide side is clearly wider (2 x, and ``WORD_GAP`` x the line height);
each character goes to the word its cell's centre falls in; a space the engine did put in its
text splits a word too (it drops spaces often but seldom invents one: in "offline with" the ink
gap after the "e" is narrower than the other spaces).  The line's text is rebuilt from its words,
joined by single spaces.  When that does not add up (a word without characters), the engine's own
text and spaces are kept.

The engine's per-line angle classifier is off (as in PaddleOCR's own default): on an upright page
it turned 4 of 40 printed lines upside down before recognition and lost them (bench/assist.py).
A page scanned upside down has to be turned before OCR.
"""

from __future__ import annotations

import importlib.metadata
import itertools
import threading
from typing import Any

import numpy as np
import numpy.typing as npt

from labelhub.core.assist import ImageArray, TextLine, TextWord

WORD_GAP = 0.15


class RapidOcrReader:
    """The ``TextReader`` port.  The engine loads on first use (about 0.2 s) and is shared."""

    name = "rapidocr-onnxruntime"

    def __init__(self) -> None:
        self._engine: Any = None
        self._lock = threading.Lock()
        try:
            self.version = importlib.metadata.version("rapidocr-onnxruntime")
        except importlib.metadata.PackageNotFoundError:
            self.version = "unknown"

    def read(self, image: ImageArray) -> list[TextLine]:
        with self._lock:
            if self._engine is None:
                from rapidocr_onnxruntime import RapidOCR  # type: ignore[import-untyped]

                self._engine = RapidOCR()
            result, _elapsed = self._engine(np.ascontiguousarray(image[..., ::-1]), use_cls=False, return_word_box=True)
        grey = _grey(image)
        return [_line(item, grey) for item in (result or [])]


def _grey(image: ImageArray) -> npt.NDArray[np.float32]:
    return image.astype(np.float32).mean(axis=2) if image.ndim == 3 else image.astype(np.float32)


def _line(item: list[Any], grey: npt.NDArray[np.float32]) -> TextLine:
    quad = tuple((float(x), float(y)) for x, y in item[0])
    text, score = str(item[1]), float(item[2])
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    box = (min(xs), min(ys), max(xs), max(ys))
    words: tuple[TextWord, ...] = ()
    if len(item) >= 6 and item[3] and len(item[3]) == len(item[4]):
        words = tuple(_words(grey, box, item[3], item[4], item[5], _spaced(text, item[4])))
    rebuilt = " ".join(w.text for w in words)
    if words and rebuilt.replace(" ", "") == text.replace(" ", ""):
        text = rebuilt
    return TextLine(text=text.strip(), box_xyxy=box, confidence=score, quad_xy=quad, words=words)


def _ink_runs(grey: npt.NDArray[np.float32], box: tuple[float, float, float, float]) -> list[tuple[int, int]]:
    """Column ranges [x0, x1) of the words in the line's box, split at ink-free gaps."""
    h, w = grey.shape
    x0, y0 = max(0, int(box[0])), max(0, int(box[1]))
    x1, y1 = min(w, int(np.ceil(box[2]))), min(h, int(np.ceil(box[3])))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return []
    crop = grey[y0:y1, x0:x1]
    hist, edges = np.histogram(crop, bins=64)
    centres = (edges[:-1] + edges[1:]) / 2
    best_t, best_var = float(crop.mean()), -1.0
    total = hist.sum()
    for i in range(1, 64):  # Otsu on the histogram
        w0, w1 = hist[:i].sum(), hist[i:].sum()
        if w0 == 0 or w1 == 0:
            continue
        m0, m1 = (hist[:i] * centres[:i]).sum() / w0, (hist[i:] * centres[i:]).sum() / w1
        var = w0 * w1 * (m0 - m1) ** 2 / total**2
        if var > best_var:
            best_var, best_t = var, float(edges[i])
    dark = crop < best_t
    ink = dark if dark.mean() < 0.5 else ~dark
    cols: list[bool] = np.asarray(ink).any(axis=0).astype(bool).tolist()
    runs: list[tuple[int, int]] = []  # every ink run (letters, mostly)
    start = None
    for i, on in enumerate([*cols, False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            runs.append((start, i))
            start = None
    if not runs:
        return []
    gaps = [b[0] - a[1] for a, b in itertools.pairwise(runs)]
    wide = _word_gap(gaps, y1 - y0)
    words = [runs[0]]
    for (a, b), g in zip(runs[1:], gaps, strict=True):
        if g > wide:
            words.append((a, b))
        else:
            words[-1] = (words[-1][0], b)
    runs = words
    return [(a + x0, b + x0) for a, b in runs]


def _word_gap(gaps: list[int], height: int) -> float:
    """The gap width above which letters belong to different words: the two-means split of the
    gaps (letter gaps vs spaces), used only when spaces are clearly wider (2 x the letter gaps
    and WORD_GAP x the line height); otherwise the line is one word."""
    if len(gaps) < 2:
        return float("inf") if not gaps or gaps[0] < WORD_GAP * height else 0.0
    ordered = sorted(gaps)
    best: tuple[float, float, float] | None = None
    for i in range(1, len(ordered)):
        lo, hi = ordered[:i], ordered[i:]
        spread = float(np.var(lo) * len(lo) + np.var(hi) * len(hi))
        if best is None or spread < best[0]:
            best = (spread, float(np.mean(lo)), float(np.mean(hi)))
    assert best is not None
    _, small, large = best
    if large < max(2 * small, WORD_GAP * height):
        return float("inf")
    return small + 0.6 * (large - small)  # nearer the spaces: glyphs like '1' carry wide bearings


def _spaced(text: str, chars: list[str]) -> list[bool]:
    """For each of the engine's characters, whether its text has a space right before it (all
    False when the characters do not spell the text)."""
    flags = [False] * len(chars)
    if "".join(c.strip() for c in chars) != "".join(text.split()):
        return flags
    pos = 0
    for i, ch in enumerate(chars):
        ch = ch.strip()
        if not ch:
            continue
        start = text.index(ch, pos)
        flags[i] = start > 0 and text[start - 1].isspace()
        pos = start + len(ch)
    return flags


def _words(
    grey: npt.NDArray[np.float32],
    line_box: tuple[float, float, float, float],
    boxes: list[Any],
    chars: list[str],
    scores: list[float],
    spaced: list[bool],
) -> list[TextWord]:
    runs = _ink_runs(grey, line_box)
    if not runs:
        return []
    members: list[list[int]] = [[] for _ in runs]
    for i, (b, ch) in enumerate(zip(boxes, chars, strict=True)):
        if not ch.strip():
            continue
        cx = (min(p[0] for p in b) + max(p[0] for p in b)) / 2
        nearest = min(
            range(len(runs)),
            key=lambda k: 0 if runs[k][0] <= cx < runs[k][1] else min(abs(cx - runs[k][0]), abs(cx - runs[k][1])),
        )
        members[nearest].append(i)
    if any(not m for m in members):
        return []
    parts: list[tuple[float, float, list[int]]] = []
    for (a, b), m in zip(runs, members, strict=True):
        left, start = float(a), 0
        for k in range(1, len(m)):  # the engine's own spaces inside an ink run
            if spaced[m[k]]:
                cut = (max(p[0] for p in boxes[m[k - 1]]) + min(p[0] for p in boxes[m[k]])) / 2
                parts.append((left, cut, m[start:k]))
                left, start = cut, k
        parts.append((left, float(b), m[start:]))
    y1, y2 = float(line_box[1]), float(line_box[3])
    return [
        TextWord("".join(chars[i] for i in m), (a, y1, b, y2), float(min(scores[i] for i in m))) for a, b, m in parts
    ]


def is_available() -> bool:
    try:
        importlib.metadata.version("rapidocr-onnxruntime")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


__all__ = ["RapidOcrReader", "is_available"]
