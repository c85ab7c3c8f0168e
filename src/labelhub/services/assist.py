"""Interactive assistance on a task's asset: Frame Cut, Smart Scissors and OCR.

Who may: the labeler who holds the task (an active lease), and the project's reviewers and
managers (and admins).  A labeler with no assignment on the task gets 404, as for the task
itself; one whose lease ended gets 409.  Nothing is written: results are suggestions the editor
adds to the caller's draft, where they are edited and saved like any object.

Pixels come from the stored asset (``open_source``), decoded by the ``ImageDecoder`` port;
a PDF page is rendered by the PDF media reader first.  Per-image work is cached by the tools
under ``"<asset id>:<page>:<scale>"``.

OCR suggestions are ``document_region`` objects of the chosen class with the recognised text in
the class's *transcription attribute*: the text question with id ``transcription``, or else the
class's first text question (docs/assist.md).  Their ``source`` is
``{"kind": "model", "name": <engine>, "version": <engine version>}`` and ``confidence`` the
engine's score, so utilization reports can tell them from human objects.
"""

from __future__ import annotations

import io
import math
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import select

from labelhub.core import rle
from labelhub.core.assist import AssistTools, Click, FrameCutPrompt, ImageArray, TextLine
from labelhub.core.errors import Conflict, InvalidInput, NotFound, ServiceUnavailable
from labelhub.core.media import MediaKind
from labelhub.core.ontology import ObjectClass, Ontology, QuestionKind, ToolKind
from labelhub.core.workflow import AssignmentState, Role
from labelhub.db.tables import Asset, Assignment
from labelhub.services.access import require_task
from labelhub.services.assets import open_source
from labelhub.services.context import Actor, Deps
from labelhub.services.projects import load_ontology

PDF_OCR_SCALE = 200 / 72  # OCR reads PDF pages rendered at 200 dpi
MAX_CLICKS = 100
MAX_ANCHORS = 2_000
IMAGE_KINDS = (MediaKind.IMAGE.value, MediaKind.MULTIPAGE_IMAGE.value)


@dataclass(frozen=True, slots=True)
class Target:
    asset: Asset
    page: int
    ontology: Ontology


@dataclass(frozen=True, slots=True)
class FrameCutOutcome:
    polygon_xy: list[list[float]]
    mask_rle: dict[str, Any]
    area: int
    bbox_xyxy: list[float] | None
    score: float
    method: str
    model: dict[str, str]


@dataclass(frozen=True, slots=True)
class OcrOutcome:
    objects: list[dict[str, Any]]
    lines: list[TextLine]
    class_id: str | None
    attribute_id: str | None
    model: dict[str, str]
    page_scale: float


class AssistService:
    def __init__(self, deps: Deps, tools: AssistTools) -> None:
        self.deps = deps
        self.tools = tools

    # -- access and pixels -------------------------------------------------------------------
    def _target(self, actor: Actor, task_id: int, page: int) -> Target:
        with self.deps.db.read() as s:
            task, project, role = require_task(s, actor, task_id, Role.LABELER)
            if not role.includes(Role.REVIEWER):
                states = set(
                    s.scalars(
                        select(Assignment.state).where(
                            Assignment.task_id == task_id, Assignment.user_id == actor.user_id
                        )
                    )
                )
                if not states:
                    raise NotFound(f"Task {task_id} not found.")
                if AssignmentState.ACTIVE.value not in states:
                    raise Conflict(f"You hold no lease on task {task_id}; open it with next-task to use AI tools.")
            asset = s.get(Asset, task.asset_id)
            assert asset is not None
            ontology = load_ontology(s, project)
        if asset.kind not in (*IMAGE_KINDS, MediaKind.DOCUMENT.value):
            raise InvalidInput(f"AI tools work on images and document pages; asset {asset.id} is a {asset.kind}.")
        if not 0 <= page < max(1, asset.pages):
            raise InvalidInput(f"page must be in 0..{max(1, asset.pages) - 1}, got {page}.")
        return Target(asset, page, ontology)

    def _loader(self, t: Target, scale: float = 1.0) -> tuple[str, Callable[[], ImageArray]]:
        asset, page = t.asset, t.page
        is_doc = asset.kind == MediaKind.DOCUMENT.value

        def load() -> ImageArray:
            src = open_source(self.deps, asset)
            if isinstance(src, str):
                raise InvalidInput(
                    f"Asset {asset.id} is a link to {src.split('/')[2]}; the server does not fetch remote "
                    "images for AI tools. Import the file (or register it from storage) instead."
                )
            try:
                if is_doc:
                    reader = self.deps.media.get("pdf")
                    render = getattr(reader, "render_page", None)
                    if render is None:
                        raise ServiceUnavailable("The PDF reader cannot render pages here; install pypdfium2.")
                    png = cast(bytes, render(src, page, scale))
                    return self.tools.decoder.decode(io.BytesIO(png))
                return self.tools.decoder.decode(src, page=page)
            finally:
                src.close()

        return f"{asset.id}:{page}:{scale:g}", load

    # -- Frame Cut -----------------------------------------------------------------------------
    def frame_cut(
        self, actor: Actor, task_id: int, box_xyxy: Sequence[float], clicks: Sequence[Click], *, page: int = 0
    ) -> FrameCutOutcome:
        if self.tools.segmenter is None:
            raise ServiceUnavailable(f"Frame Cut is not available: {self.tools.unavailable.get('frame-cut')}.")
        if len(clicks) > MAX_CLICKS:
            raise InvalidInput(f"At most {MAX_CLICKS} clicks per request; got {len(clicks)}.")
        t = self._target(actor, task_id, page)
        w, h = _size(t.asset)
        box = _clamp_box(box_xyxy, w, h)
        try:
            prompt = FrameCutPrompt(box, tuple(clicks))
        except ValueError as e:
            raise InvalidInput(f"box_xyxy: {e}.") from None
        key, load = self._loader(t)
        try:
            r = self.tools.segmenter.cut(key, load, prompt)
        except ValueError as e:
            raise InvalidInput(f"Frame Cut cannot use this prompt: {e}.") from None
        ys, xs = r.mask.nonzero()
        bbox = None if xs.size == 0 else [float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)]
        seg = self.tools.segmenter
        return FrameCutOutcome(
            polygon_xy=[[x, y] for x, y in r.polygon_xy],
            mask_rle=rle.encode(r.mask),
            area=int(xs.size),
            bbox_xyxy=bbox,
            score=r.score,
            method=r.method,
            model={"kind": "model", "name": seg.name, "version": seg.version},
        )

    # -- Smart Scissors ------------------------------------------------------------------------
    def scissors(
        self,
        actor: Actor,
        task_id: int,
        anchors: Sequence[tuple[float, float]],
        cursor: tuple[float, float] | None,
        *,
        close: bool = False,
        page: int = 0,
    ) -> list[list[float]]:
        """The live-wire path from the last anchor to ``cursor``; with ``close``, the whole closed
        outline through every anchor (the polygon), its last segment back to the first anchor."""
        if self.tools.scissors is None:
            raise ServiceUnavailable(f"Smart Scissors is not available: {self.tools.unavailable.get('scissors')}.")
        if not anchors:
            raise InvalidInput("anchors must hold at least one [x, y] point: the first click.")
        if len(anchors) > MAX_ANCHORS:
            raise InvalidInput(f"At most {MAX_ANCHORS} anchors; got {len(anchors)}.")
        if close and len(anchors) < 3:
            raise InvalidInput("Closing needs at least 3 anchors.")
        if not close and cursor is None:
            raise InvalidInput("Send the cursor position, or close=true to close the outline.")
        t = self._target(actor, task_id, page)
        w, h = _size(t.asset)
        pts = [_clamp_point(p, w, h, f"anchors[{i}]") for i, p in enumerate(anchors)]
        key, load = self._loader(t)
        tool = self.tools.scissors
        if not close:
            assert cursor is not None
            return [[x, y] for x, y in tool.path(key, load, pts[-1], _clamp_point(cursor, w, h, "cursor"))]
        outline: list[list[float]] = []
        for a, b in zip(pts, [*pts[1:], pts[0]], strict=True):
            seg = tool.path(key, load, a, b)
            outline += [[x, y] for x, y in (seg[1:] if outline else seg)]
        if len(outline) > 1 and outline[0] == outline[-1]:
            outline.pop()
        return outline

    # -- OCR -----------------------------------------------------------------------------------
    def ocr(
        self, actor: Actor, task_id: int, *, page: int = 0, class_id: str | None = None, words: bool = False
    ) -> OcrOutcome:
        if self.tools.ocr is None:
            raise ServiceUnavailable(f"OCR is not available: {self.tools.unavailable.get('ocr')}.")
        t = self._target(actor, task_id, page)
        cls = _region_class(t.ontology, class_id)
        attr = _transcription_attribute(cls) if cls else None
        scale = PDF_OCR_SCALE if t.asset.kind == MediaKind.DOCUMENT.value else 1.0
        key, load = self._loader(t, scale)
        del key  # OCR reads the page once; nothing to cache between requests
        lines = [_scaled(line, 1 / scale) for line in self.tools.ocr.read(load())]
        reader = self.tools.ocr
        source = {"kind": "model", "name": reader.name, "version": reader.version}
        w, h = _size(t.asset)
        objects: list[dict[str, Any]] = []
        run = secrets.token_hex(4)  # ids unique across requests: suggestions from two runs can coexist
        if cls is not None:
            units = (
                [(w_.text, w_.box_xyxy, w_.confidence) for ln in lines for w_ in ln.words]
                if words
                else [(ln.text, ln.box_xyxy, ln.confidence) for ln in lines]
            )
            for text, box, conf in units:
                x1, y1 = min(max(box[0], 0.0), w), min(max(box[1], 0.0), h)
                x2, y2 = min(max(box[2], 0.0), w), min(max(box[3], 0.0), h)
                if x2 - x1 <= 0 or y2 - y1 <= 0 or not text:
                    continue
                objects.append(
                    {
                        "id": f"ocr-{run}-{len(objects) + 1}",
                        "class_id": cls.id,
                        "page": page,
                        "geometry": {"type": ToolKind.DOCUMENT_REGION.value, "xyxy": [x1, y1, x2, y2]},
                        "attributes": {attr: text} if attr else {},
                        "source": source,
                        "confidence": round(min(1.0, max(0.0, conf)), 4),
                    }
                )
        return OcrOutcome(objects, lines, cls.id if cls else None, attr, source, scale)


def _size(asset: Asset) -> tuple[int, int]:
    if not asset.width or not asset.height:
        raise Conflict(f"Asset {asset.id} has not been probed yet (no size); try again in a moment.")
    return asset.width, asset.height


def _clamp_box(box: Sequence[float], w: int, h: int) -> tuple[float, float, float, float]:
    if len(box) != 4 or not all(isinstance(v, int | float) and math.isfinite(v) for v in box):
        raise InvalidInput("box_xyxy must be 4 finite numbers [x1, y1, x2, y2].")
    x1, y1, x2, y2 = (float(v) for v in box)
    x1, x2 = sorted((min(max(x1, 0.0), w), min(max(x2, 0.0), w)))
    y1, y2 = sorted((min(max(y1, 0.0), h), min(max(y2, 0.0), h)))
    if x2 - x1 < 2 or y2 - y1 < 2:
        raise InvalidInput(
            f"box_xyxy {list(box)} covers less than 2 x 2 pixels of the {w} x {h} image; draw a box around the object."
        )
    return x1, y1, x2, y2


def _clamp_point(p: Sequence[float], w: int, h: int, name: str) -> tuple[float, float]:
    if len(p) != 2 or not all(isinstance(v, int | float) and math.isfinite(v) for v in p):
        raise InvalidInput(f"{name} must be [x, y], two finite numbers.")
    return min(max(float(p[0]), 0.0), w), min(max(float(p[1]), 0.0), h)


def _region_class(ontology: Ontology, class_id: str | None) -> ObjectClass | None:
    if class_id is not None:
        try:
            cls = ontology.get_class(class_id)
        except InvalidInput as e:
            raise InvalidInput(f"class_id: {e.message}") from None
        if cls.tool is not ToolKind.DOCUMENT_REGION:
            raise InvalidInput(
                f"Class '{class_id}' is drawn with {cls.tool.value}; OCR writes document_region objects."
            )
        return cls
    return next((c for c in ontology.classes if c.tool is ToolKind.DOCUMENT_REGION), None)


def _transcription_attribute(cls: ObjectClass) -> str | None:
    texts = [q for q in cls.attributes if q.kind is QuestionKind.TEXT]
    named = next((q for q in texts if q.id == "transcription"), None)
    chosen = named or (texts[0] if texts else None)
    return chosen.id if chosen else None


def _scaled(line: TextLine, f: float) -> TextLine:
    if f == 1.0:
        return line
    from dataclasses import replace

    def box(b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        return (b[0] * f, b[1] * f, b[2] * f, b[3] * f)

    return replace(
        line,
        box_xyxy=box(line.box_xyxy),
        quad_xy=tuple((x * f, y * f) for x, y in line.quad_xy),
        words=tuple(replace(w, box_xyxy=box(w.box_xyxy)) for w in line.words),
    )


__all__ = ["AssistService", "FrameCutOutcome", "OcrOutcome"]
