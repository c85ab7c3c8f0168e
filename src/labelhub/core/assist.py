"""AI-assistance ports: the prompts interactive tools take and the results they give back.

Adapters live in ``labelhub.assist`` (OpenCV, onnxruntime, RapidOCR); services see only these
Protocols and frozen dataclasses, and ``labelhub.wiring`` passes the concrete tools in.

Coordinates are asset pixels (origin at the top-left corner of the top-left pixel, x right,
y down; a pixel's centre is at ``(i + 0.5, j + 0.5)``), as everywhere in labelhub.  Images
handed to tools are ``(H, W, 3)`` uint8 RGB arrays.

``image_key`` names one decoded image (asset id and page) so that tools may cache per-image
preparation (a cost map, an embedding) across requests; ``load`` is only called on a miss.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

ImageArray = npt.NDArray[np.uint8]
ImageLoader = Callable[[], ImageArray]


def _finite(name: str, values: Sequence[float]) -> None:
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in values):
        raise ValueError(f"{name} must be finite numbers, got {list(values)!r}")


@dataclass(frozen=True, slots=True)
class Click:
    """A refinement click: ``positive`` = "this is the object", otherwise "this is not"."""

    x: float
    y: float
    positive: bool = True

    def __post_init__(self) -> None:
        _finite("click x, y", (self.x, self.y))


@dataclass(frozen=True, slots=True)
class FrameCutPrompt:
    """A box ``xyxy`` around one object, and optional clicks (hard constraints)."""

    box_xyxy: tuple[float, float, float, float]
    clicks: tuple[Click, ...] = ()

    def __post_init__(self) -> None:
        _finite("box_xyxy", self.box_xyxy)
        x1, y1, x2, y2 = self.box_xyxy
        if not (x2 > x1 and y2 > y1):
            raise ValueError(f"box_xyxy must have x2 > x1 and y2 > y1, got {list(self.box_xyxy)!r}")


@dataclass(frozen=True, slots=True)
class FrameCutResult:
    """``mask``: ``(H, W)`` bool, the image's size.  ``polygon_xy``: the outline of the largest
    part, simplified, in pixel-corner coordinates.  ``method`` names the candidate chosen."""

    mask: npt.NDArray[np.bool_]
    polygon_xy: tuple[tuple[float, float], ...]
    score: float
    method: str


@dataclass(frozen=True, slots=True)
class TextWord:
    text: str
    box_xyxy: tuple[float, float, float, float]
    confidence: float


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text: its axis-aligned box, its quadrilateral ``quad_xy`` (4 corners, clockwise
    from the top-left as the engine found them) and its words (may be empty)."""

    text: str
    box_xyxy: tuple[float, float, float, float]
    confidence: float
    quad_xy: tuple[tuple[float, float], ...] = ()
    words: tuple[TextWord, ...] = field(default_factory=tuple)


@runtime_checkable
class ImageDecoder(Protocol):
    """Decodes a stored asset into ``(H, W, 3)`` uint8 RGB pixels as displayed (EXIF-transposed).

    ``page`` selects a frame or PDF page; a PDF page is rendered at ``scale`` pixels per point
    (asset units are points there), a raster image ignores ``scale``.  Raises ``InvalidInput``
    for corrupt data or a missing page and ``PayloadTooLarge`` above the pixel limit."""

    def decode(self, stream: BinaryIO, *, page: int = 0, scale: float = 1.0) -> ImageArray: ...


@runtime_checkable
class Segmenter(Protocol):
    """Frame Cut: box (+ clicks) -> mask and polygon."""

    name: str
    version: str

    def cut(self, image_key: str, load: ImageLoader, prompt: FrameCutPrompt) -> FrameCutResult: ...


@runtime_checkable
class Scissors(Protocol):
    """Smart Scissors: the live-wire path along edges from the last anchor to the cursor.

    ``path`` returns the points (pixel centres) from ``anchor`` to ``cursor``; the per-image
    preparation is cached under ``image_key``."""

    def path(
        self, image_key: str, load: ImageLoader, anchor: tuple[float, float], cursor: tuple[float, float]
    ) -> list[tuple[float, float]]: ...


@runtime_checkable
class TextReader(Protocol):
    """OCR: every line of text in an image, with words where the engine gives them."""

    name: str
    version: str

    def read(self, image: ImageArray) -> list[TextLine]: ...


@dataclass(frozen=True, slots=True)
class AssistTools:
    """The interactive tools wiring hands to ``services.assist``; ``None`` = not available here
    (``unavailable`` then says what to install)."""

    decoder: ImageDecoder
    segmenter: Segmenter | None = None
    scissors: Scissors | None = None
    ocr: TextReader | None = None
    unavailable: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


__all__ = [
    "AssistTools",
    "Click",
    "FrameCutPrompt",
    "FrameCutResult",
    "ImageArray",
    "ImageDecoder",
    "ImageLoader",
    "Scissors",
    "Segmenter",
    "TextLine",
    "TextReader",
    "TextWord",
]
