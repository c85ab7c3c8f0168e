"""Interactive AI tools on a task's asset.  Nothing is stored: the editor adds the results to
its draft.  Frame Cut and OCR may take up to a second or two; Smart Scissors is the fast path
(per-image preparation cached in the server process)."""

from __future__ import annotations

from fastapi import APIRouter

from labelhub.api.deps import CurrentActor, PlatformDep
from labelhub.api.schemas.assist import (
    FrameCutRequest,
    FrameCutResponse,
    ModelSource,
    OcrLine,
    OcrRequest,
    OcrResponse,
    OcrWord,
    ScissorsRequest,
    ScissorsResponse,
)
from labelhub.core.assist import Click

router = APIRouter(tags=["assist"])


@router.post("/tasks/{task_id}/assist/frame-cut", response_model=FrameCutResponse)
def frame_cut(task_id: int, req: FrameCutRequest, actor: CurrentActor, platform: PlatformDep) -> FrameCutResponse:
    """Box (and clicks) -> the object's polygon and mask."""
    clicks = [Click(c.x, c.y, c.positive) for c in req.clicks]
    r = platform.assist.frame_cut(actor, task_id, req.box, clicks, page=req.page)
    return FrameCutResponse(
        polygon=r.polygon_xy,
        mask=r.mask_rle,
        area=r.area,
        bbox=r.bbox_xyxy,
        score=r.score,
        method=r.method,
        source=ModelSource(**r.model),
    )


@router.post("/tasks/{task_id}/assist/scissors", response_model=ScissorsResponse)
def scissors(task_id: int, req: ScissorsRequest, actor: CurrentActor, platform: PlatformDep) -> ScissorsResponse:
    """The live-wire path from the last anchor to the cursor, or the closed outline."""
    anchors = [(p[0], p[1]) if len(p) == 2 else (float("nan"), 0.0) for p in req.anchors]
    cursor = (
        None
        if req.cursor is None
        else ((req.cursor[0], req.cursor[1]) if len(req.cursor) == 2 else (float("nan"), 0.0))
    )
    path = platform.assist.scissors(actor, task_id, anchors, cursor, close=req.close, page=req.page)
    return ScissorsResponse(path=path, closed=req.close)


@router.post("/tasks/{task_id}/assist/ocr", response_model=OcrResponse)
def ocr(task_id: int, req: OcrRequest, actor: CurrentActor, platform: PlatformDep) -> OcrResponse:
    """Every line (or word) of text on the page, as document_region suggestions with their text."""
    r = platform.assist.ocr(actor, task_id, page=req.page, class_id=req.class_id, words=req.granularity == "word")
    lines = [
        OcrLine(
            text=ln.text,
            xyxy=list(ln.box_xyxy),
            quad=[[x, y] for x, y in ln.quad_xy],
            confidence=ln.confidence,
            words=[OcrWord(text=w.text, xyxy=list(w.box_xyxy), confidence=w.confidence) for w in ln.words],
        )
        for ln in r.lines
    ]
    return OcrResponse(
        objects=r.objects, lines=lines, class_id=r.class_id, attribute_id=r.attribute_id, source=ModelSource(**r.model)
    )
