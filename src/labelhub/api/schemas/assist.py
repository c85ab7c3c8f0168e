"""Wire schemas of the interactive AI tools (Frame Cut, Smart Scissors, OCR).

Coordinates are asset pixels (document pages: page pixels at scale 1, i.e. points), origin at
the top-left corner, x right, y down; ``[x, y]`` pairs and ``xyxy`` boxes as in annotations.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

Point = list[float]


class ClickIn(BaseModel):
    x: float
    y: float
    positive: bool = Field(True, description="true: this pixel is the object; false: it is not")


class FrameCutRequest(BaseModel):
    box: list[float] = Field(min_length=4, max_length=4, description="[x1, y1, x2, y2] around one object")
    clicks: list[ClickIn] = Field(default_factory=list, max_length=100, description="refinement clicks, in order")
    page: int = Field(0, ge=0)


class ModelSource(BaseModel):
    kind: str = "model"
    name: str
    version: str


class FrameCutResponse(BaseModel):
    """The object's outline (simplified polygon, ready for a ``polygon`` object) and its exact mask
    (COCO RLE of the whole asset, ready for a ``mask`` object)."""

    polygon: list[Point]
    mask: dict[str, Any] = Field(description="COCO RLE {size: [height, width], counts: string}")
    area: int = Field(description="mask pixels")
    bbox: list[float] | None = Field(description="[x1, y1, x2, y2] of the mask; null when empty")
    score: float
    method: str = Field(description="the candidate chosen, e.g. grabcut, threshold-grey-crop, levels+clicks")
    source: ModelSource


class ScissorsRequest(BaseModel):
    anchors: list[Point] = Field(min_length=1, max_length=2000, description="clicked anchor points, in order")
    cursor: Point | None = Field(None, description="where the pointer is; the path runs from the last anchor to it")
    close: bool = Field(False, description="true: return the whole closed outline through every anchor")
    page: int = Field(0, ge=0)


class ScissorsResponse(BaseModel):
    path: list[Point] = Field(description="pixel centres from the last anchor to the cursor (or the closed outline)")
    closed: bool


class OcrRequest(BaseModel):
    page: int = Field(0, ge=0)
    class_id: str | None = Field(None, description="document_region class for the objects; default: the first one")
    granularity: str = Field("line", pattern="^(line|word)$", description="one object per line or per word")


class OcrWord(BaseModel):
    text: str
    xyxy: list[float]
    confidence: float


class OcrLine(BaseModel):
    text: str
    xyxy: list[float]
    quad: list[Point] = Field(description="the line's four corners as the engine found them")
    confidence: float
    words: list[OcrWord]


class OcrResponse(BaseModel):
    """``objects`` are ready to add to the draft: document_region suggestions with the text in the
    class's transcription attribute (``attribute_id``), ``source`` kind model, and confidence."""

    objects: list[dict[str, Any]]
    lines: list[OcrLine]
    class_id: str | None = Field(description="the class used; null when the ontology has no document_region class")
    attribute_id: str | None = Field(
        description="the transcription attribute; null when the class has no text question"
    )
    source: ModelSource
