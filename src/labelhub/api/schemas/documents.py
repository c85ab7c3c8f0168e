"""Wire schemas of documents (PDF text layers) and of quarantine decisions."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from labelhub.api.schemas.core import AssetPublic


class TextWord(BaseModel):
    text: str
    start: int = Field(description="offset of the word's first character in the page text (code points)")
    end: int = Field(description="offset after the word's last character (exclusive)")
    xyxy: list[float] = Field(description="[x1, y1, x2, y2] in page pixels at scale 1 (points), origin top-left")


class TextLayerPublic(BaseModel):
    """One PDF page's text with a box per character and per word (page pixels at scale 1)."""

    page: int
    width: float
    height: float
    text: str
    chars: list[list[float] | None] = Field(
        description="chars[i] is [x1, y1, x2, y2] of text[i]; null for characters PDFium generates (line breaks)"
    )
    words: list[TextWord]


class QuarantineDecision(BaseModel):
    decision: Literal["release", "delete"]
    note: str = Field("", max_length=500, description="why; stored in the audit trail (never put PHI here)")


class QuarantineDecisionResult(BaseModel):
    decision: Literal["release", "delete"]
    asset: AssetPublic | None = Field(None, description="the released asset; null after a delete")
    task_id: int | None = None
