"""Wire schema of a tiled image pyramid (``GET /assets/{id}/tiles``); layout in ``media.tiles``."""

from __future__ import annotations

from pydantic import BaseModel, Field


class TileLevelPublic(BaseModel):
    level: int = Field(description="DeepZoom level: max_level is full resolution, each level below halves it.")
    width: int
    height: int
    columns: int
    rows: int


class TilePyramidPublic(BaseModel):
    width: int = Field(description="Full-resolution width in asset pixels (as displayed).")
    height: int
    tile_size: int = Field(description="Tiles are tile_size x tile_size pixels; the last column and row are smaller.")
    overlap: int = 0
    mime_type: str
    min_level: int
    max_level: int
    levels: list[TileLevelPublic]


__all__ = ["TileLevelPublic", "TilePyramidPublic"]
