"""Tiled pyramids of large images: the descriptor and one tile, authorized like the asset's content."""

from __future__ import annotations

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from labelhub.api.deps import CurrentActor, PlatformDep
from labelhub.api.schemas.tiles import TilePyramidPublic

router = APIRouter(tags=["assets"])

# Tiles are cut from content-addressed bytes and never change while the descriptor exists.
_CACHE = "private, max-age=604800, immutable"


@router.get("/assets/{asset_id}/tiles", response_model=TilePyramidPublic)
def pyramid(asset_id: int, platform: PlatformDep, actor: CurrentActor) -> TilePyramidPublic:
    """The tile pyramid of a large image; 404 when the image is small enough to load whole or is still being tiled."""
    return TilePyramidPublic.model_validate(platform.tiles.descriptor(actor, asset_id))


@router.get("/assets/{asset_id}/tiles/{level}/{x}/{y}", response_model=None)
def tile(
    asset_id: int,
    platform: PlatformDep,
    actor: CurrentActor,
    request: Request,
    level: int = Path(ge=0),
    x: int = Path(ge=0),
    y: int = Path(ge=0),
) -> Response:
    """One tile (JPEG, or WebP for images with transparency) of level ``level``, column ``x``, row ``y``."""
    asset, data = platform.tiles.tile(actor, asset_id, level, x, y)
    etag = f'"{asset.sha256 or asset.id}-{level}-{x}-{y}"'
    headers = {"Cache-Control": _CACHE, "ETag": etag, "X-Content-Type-Options": "nosniff"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    media = "image/webp" if data[:4] == b"RIFF" else "image/jpeg"
    return Response(data, media_type=media, headers=headers)
