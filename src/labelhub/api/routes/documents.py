"""Pages of PDFs and multi-page images as PNG, PDF text layers, and the text of text assets."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import PlainTextResponse, Response

from labelhub.api.deps import CurrentActor, PlatformDep
from labelhub.api.schemas.documents import TextLayerPublic

router = APIRouter(tags=["assets"])

_CACHE = "private, max-age=86400"


@router.get("/assets/{asset_id}/pages/{page}.png", response_model=None)
def page_png(
    asset_id: int,
    platform: PlatformDep,
    actor: CurrentActor,
    request: Request,
    page: int = Path(ge=0, description="0-based page index"),
    scale: float = Query(1.0, gt=0, le=8, description="PDF pixels per point (2 = 144 dpi); ignored for images"),
) -> Response:
    """Page ``page`` rendered as PNG: PDFs at ``scale``, multi-page TIFF pages at their own size."""
    data, etag = platform.documents.page_png(actor, asset_id, page, scale)
    headers = {"Cache-Control": _CACHE, "ETag": etag, "X-Content-Type-Options": "nosniff"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(data, media_type="image/png", headers=headers)


@router.get("/assets/{asset_id}/pages/{page}/text", response_model=TextLayerPublic)
def page_text(asset_id: int, platform: PlatformDep, actor: CurrentActor, page: int = Path(ge=0)) -> TextLayerPublic:
    """The text layer of one PDF page: its text, a box per character and per word."""
    return TextLayerPublic.model_validate(platform.documents.text_layer(actor, asset_id, page))


@router.get("/assets/{asset_id}/text", response_class=PlainTextResponse)
def text(asset_id: int, platform: PlatformDep, actor: CurrentActor) -> PlainTextResponse:
    """The text of a text asset (UTF-8); ``text_span`` offsets count its Unicode code points."""
    return PlainTextResponse(
        platform.documents.text(actor, asset_id),
        media_type="text/plain; charset=utf-8",
        headers={"Cache-Control": _CACHE, "X-Content-Type-Options": "nosniff"},
    )
