"""What model suggestions were worth: every suggestion against the final human annotation.

For each finished task (state submitted, in review or accepted) the *final* annotation is its
latest human revision (kind ``submission`` or ``review``: a reviewer's correction wins over the
labeler's submission).  The *suggestions* are the model-sourced objects of the task's latest
``prelabel`` revision before it, the Auto Detect answers served for the task before it
(``served_suggestions``; suggestion ids are stable, so asking twice counts once), and
model-sourced objects in the final annotation that neither holds.

Identity goes through object ids: an accepted or edited suggestion keeps its id, and an object
the editor converted from a suggestion (a new id, e.g. a box turned into a polygon) names it in
``derived_from``.  Each suggestion is then:

- ``unchanged``: same class, and location IoU >= ``iou_threshold`` (default 0.90);
- ``location_changed``: same class, IoU below the threshold;
- ``class_changed``: other class, IoU at or above the threshold;
- ``class_and_location_changed``: other class and IoU below the threshold;
- ``deleted``: nothing in the final annotation carries its id or derives from it.

Final human objects that match no suggestion are ``new``.  Objects ``derived_from`` a suggestion
labelhub never saw (one produced by another client) are counted as ``edited_untracked``: their
original is unknown.

IoU compares geometry: boxes exactly; masks pixel by pixel; polygons by rasterising both on a
common grid (256 samples along the longer side of their joint bounding box); anything else, or
two different geometry types, by their bounding boxes.

Labeling time per asset is the sum of the active seconds of the task's submitted assignments,
compared for tasks with suggestions (a pre-label, or model objects in the final annotation) and
tasks without.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import orjson
from sqlalchemy import func, select

from labelhub.core import rle
from labelhub.core.errors import InvalidInput
from labelhub.core.workflow import AssignmentState, Role, TaskState
from labelhub.db.tables import AnnotationRevision, Assignment, ServedSuggestion, Task, User
from labelhub.services.access import require_project
from labelhub.services.context import Actor, Deps

IOU_THRESHOLD = 0.90
CATEGORIES = ("unchanged", "location_changed", "class_changed", "class_and_location_changed", "deleted")
HUMAN_KINDS = ("submission", "review")
FINISHED = (TaskState.SUBMITTED.value, TaskState.IN_REVIEW.value, TaskState.ACCEPTED.value)
MAX_GRID = 256


# --- geometry -------------------------------------------------------------------------------
def _points(g: dict[str, Any]) -> list[tuple[float, float]]:
    t = g.get("type")
    if t in ("bbox", "document_region"):
        x1, y1, x2, y2 = g["xyxy"]
        return [(x1, y1), (x2, y2)]
    if t in ("polygon", "polyline"):
        return [(p[0], p[1]) for p in g["points_xy"]]
    if t == "point":
        x, y = g.get("xy", [0, 0])
        return [(x, y), (x + 1, y + 1)]
    if t == "keypoints":
        return [(p[0], p[1]) for p in g["points"] if len(p) < 3 or p[2]]
    if t in ("rotated_bbox", "ellipse"):
        cx, cy, a, b = g.get("cxcywha", g.get("cxcyrxrya", [0, 0, 0, 0]))[:4]
        r = max(a, b) if t == "rotated_bbox" else 2 * max(a, b)
        return [(cx - r / 2, cy - r / 2), (cx + r / 2, cy + r / 2)]
    if t == "mask":
        ys, xs = rle.decode(g["rle"]).nonzero()
        return [(float(xs.min()), float(ys.min())), (float(xs.max()) + 1, float(ys.max()) + 1)] if len(xs) else []
    if t == "text_span":
        return [(g["start"], 0), (g["end"], 1)]
    return []


def _box(g: dict[str, Any]) -> tuple[float, float, float, float] | None:
    pts = _points(g)
    if not pts:
        return None
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def _box_iou(a: tuple[float, ...] | None, b: tuple[float, ...] | None) -> float:
    if a is None or b is None:
        return 0.0
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else (1.0 if a == b else 0.0)


def _inside(poly: list[tuple[float, float]], xs: Any, ys: Any) -> Any:
    """Even-odd point-in-polygon for grids of sample points."""
    inside = np.zeros(xs.shape, dtype=bool)
    n = len(poly)
    for i in range(n):
        x1, y1 = poly[i]
        x2, y2 = poly[(i + 1) % n]
        crosses = (y1 > ys) != (y2 > ys)
        with np.errstate(divide="ignore", invalid="ignore"):
            xc = (x2 - x1) * (ys - y1) / (y2 - y1) + x1
        inside ^= crosses & (xs < xc)
    return inside


def iou(a: dict[str, Any], b: dict[str, Any]) -> float:
    ta, tb = a.get("type"), b.get("type")
    if ta == tb == "mask" and a["rle"]["size"] == b["rle"]["size"]:
        ma, mb = rle.decode(a["rle"]), rle.decode(b["rle"])
        union = int((ma | mb).sum())
        return int((ma & mb).sum()) / union if union else 1.0
    if ta == tb == "polygon":
        ba, bb = _box(a), _box(b)
        assert ba is not None and bb is not None
        x0, y0, x1, y1 = min(ba[0], bb[0]), min(ba[1], bb[1]), max(ba[2], bb[2]), max(ba[3], bb[3])
        step = max((x1 - x0) / MAX_GRID, (y1 - y0) / MAX_GRID, 1e-6)
        xs, ys = np.meshgrid(np.arange(x0 + step / 2, x1, step), np.arange(y0 + step / 2, y1, step))
        pa, pb = _inside(_points(a), xs, ys), _inside(_points(b), xs, ys)
        union = int((pa | pb).sum())
        return int((pa & pb).sum()) / union if union else _box_iou(ba, bb)
    return _box_iou(_box(a), _box(b))


# --- classification -------------------------------------------------------------------------
@dataclass
class Counts:
    suggestions: int = 0
    categories: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    new: int = 0
    edited_untracked: int = 0

    def add(self, other: Counts) -> None:
        self.suggestions += other.suggestions
        for k, v in other.categories.items():
            self.categories[k] += v
        self.new += other.new
        self.edited_untracked += other.edited_untracked

    def as_dict(self) -> dict[str, Any]:
        kept = self.categories["unchanged"]
        return {
            "suggestions": self.suggestions,
            **self.categories,
            "new": self.new,
            "edited_untracked": self.edited_untracked,
            "unchanged_rate": round(kept / self.suggestions, 4) if self.suggestions else None,
        }


def _is_model(o: dict[str, Any]) -> bool:
    return (o.get("source") or {}).get("kind") == "model"


def _model_key(o: dict[str, Any]) -> str:
    src = o.get("source") or {}
    return f"{src.get('name', '?')}@{src.get('version') or '?'}"


def classify(
    suggestions: list[dict[str, Any]], final: list[dict[str, Any]], iou_threshold: float = IOU_THRESHOLD
) -> tuple[list[tuple[dict[str, Any], str]], int, int]:
    """Each suggestion with its category, the number of new human objects and of untracked edits."""
    stored = {s["id"] for s in suggestions}
    by_id = {o["id"]: o for o in final}
    derived: dict[str, dict[str, Any]] = {}
    for o in final:
        if isinstance(o.get("derived_from"), str):
            derived.setdefault(o["derived_from"], o)
    # model objects in the final annotation with no stored suggestion were accepted as suggested
    suggestions = suggestions + [o for o in final if _is_model(o) and o["id"] not in stored]
    used: set[str] = set()
    out: list[tuple[dict[str, Any], str]] = []
    for s in suggestions:
        f = by_id.get(s["id"]) or derived.get(s["id"])
        if f is None:
            out.append((s, "deleted"))
            continue
        used.add(f["id"])
        same_class = f["class_id"] == s["class_id"]
        same_place = iou(s["geometry"], f["geometry"]) >= iou_threshold
        out.append(
            (
                s,
                "unchanged"
                if same_class and same_place
                else "location_changed"
                if same_class
                else "class_changed"
                if same_place
                else "class_and_location_changed",
            )
        )
    rest = [o for o in final if o["id"] not in used]
    untracked = sum(1 for o in rest if isinstance(o.get("derived_from"), str))
    return out, len(rest) - untracked, untracked


# --- the report -----------------------------------------------------------------------------
def _distribution(values: list[float], edges: list[float]) -> dict[str, Any]:
    if not values:
        return {"tasks": 0, "median_seconds": None, "p25_seconds": None, "p75_seconds": None, "histogram": []}
    q = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else [values[0]] * 3
    counts, _ = np.histogram(values, bins=edges)
    return {
        "tasks": len(values),
        "median_seconds": round(statistics.median(values), 3),
        "p25_seconds": round(q[0], 3),
        "p75_seconds": round(q[2], 3),
        "mean_seconds": round(statistics.fmean(values), 3),
        "histogram": [
            {"from_seconds": round(edges[i], 3), "to_seconds": round(edges[i + 1], 3), "tasks": int(c)}
            for i, c in enumerate(counts)
        ],
    }


class AIReportService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def report(self, actor: Actor, project_id: int, *, iou_threshold: float = IOU_THRESHOLD) -> dict[str, Any]:
        if not 0.0 < iou_threshold <= 1.0:
            raise InvalidInput(f"iou_threshold must be in (0, 1], got {iou_threshold}.")
        with self.deps.db.read() as s:
            require_project(s, actor, project_id, Role.MANAGER)
            finished = dict(
                s.execute(
                    select(Task.id, Task.state).where(Task.project_id == project_id, Task.state.in_(FINISHED))
                ).all()
            )
            last_prelabel: dict[int, tuple[int, str]] = {}
            last_human: dict[int, tuple[int, str, int | None]] = {}
            final_at: dict[int, Any] = {}
            labeler: dict[int, int | None] = {}
            rows = s.execute(
                select(
                    AnnotationRevision.id,
                    AnnotationRevision.task_id,
                    AnnotationRevision.kind,
                    AnnotationRevision.author_id,
                    AnnotationRevision.body_json,
                    AnnotationRevision.created_at,
                )
                .where(
                    AnnotationRevision.project_id == project_id,
                    AnnotationRevision.kind.in_(("prelabel", *HUMAN_KINDS)),
                )
                .order_by(AnnotationRevision.id)
                .execution_options(yield_per=1000)
            )
            for rid, task_id, kind, author, body, at in rows:
                if task_id not in finished:
                    continue
                if kind == "prelabel":
                    last_prelabel[task_id] = (rid, body)
                else:
                    last_human[task_id] = (rid, body, author)
                    final_at[task_id] = at
                    if kind == "submission":
                        labeler[task_id] = author
            seconds = dict(
                s.execute(
                    select(Assignment.task_id, func.sum(Assignment.active_seconds))
                    .where(
                        Assignment.project_id == project_id,
                        Assignment.state == AssignmentState.SUBMITTED.value,
                    )
                    .group_by(Assignment.task_id)
                ).all()
            )
            served: dict[int, list[dict[str, Any]]] = defaultdict(list)
            for task_id, body, at in s.execute(
                select(ServedSuggestion.task_id, ServedSuggestion.body_json, ServedSuggestion.created_at)
                .where(ServedSuggestion.project_id == project_id)
                .order_by(ServedSuggestion.id)
            ):
                if task_id in final_at and at <= final_at[task_id]:
                    served[task_id] += orjson.loads(body)
            people = {a for _, _, a in last_human.values() if a is not None} | {a for a in labeler.values() if a}
            names = dict(s.execute(select(User.id, User.username).where(User.id.in_(people))).all()) if people else {}
        total = Counts()
        per_model: defaultdict[str, Counts] = defaultdict(Counts)
        per_labeler: defaultdict[str, Counts] = defaultdict(Counts)
        with_s: list[float] = []
        without: list[float] = []
        tasks_with = 0
        for task_id, (rid, body, author) in last_human.items():
            final = orjson.loads(body).get("objects", [])
            pre = last_prelabel.get(task_id)
            suggestions = (
                [o for o in orjson.loads(pre[1]).get("objects", []) if _is_model(o)] if pre and pre[0] < rid else []
            )
            seen = {o["id"] for o in suggestions}
            for o in served.get(task_id, []):  # Auto Detect answers, once per suggestion id
                if o["id"] not in seen:
                    seen.add(o["id"])
                    suggestions.append(o)
            classified, new, untracked = classify(suggestions, final, iou_threshold)
            who = names.get(labeler.get(task_id, author) or -1, "unknown")
            task_counts = Counts(new=new, edited_untracked=untracked)
            for sug, category in classified:
                one = Counts(suggestions=1)
                one.categories[category] += 1
                per_model[_model_key(sug)].add(one)
                task_counts.add(one)
            total.add(task_counts)
            per_labeler[who].add(task_counts)
            had = bool(classified) or pre is not None or untracked > 0 or task_id in served
            tasks_with += had
            if task_id in seconds and seconds[task_id] is not None:
                (with_s if had else without).append(float(seconds[task_id]))
        both = with_s + without
        hi = max(both) if both else 1.0
        edges = [hi * i / 10 for i in range(11)] if hi > 0 else [0.0, 1.0]
        models = [{"model": k, **v.as_dict()} for k, v in sorted(per_model.items())]
        labelers = [{"labeler": k, **v.as_dict()} for k, v in sorted(per_labeler.items())]
        return {
            "project_id": project_id,
            "iou_threshold": iou_threshold,
            "tasks_compared": len(last_human),
            "tasks_with_suggestions": tasks_with,
            "categories": [*CATEGORIES, "new", "edited_untracked"],
            "total": total.as_dict(),
            "by_model_version": models,
            "by_labeler": labelers,
            "chart": {
                "labels": list(CATEGORIES),
                "series": [{"name": m["model"], "values": [m[c] for c in CATEGORIES]} for m in models],
            },
            "time_per_asset": {
                "with_suggestions": _distribution(with_s, edges),
                "without_suggestions": _distribution(without, edges),
            },
        }


__all__ = ["CATEGORIES", "IOU_THRESHOLD", "AIReportService", "classify", "iou"]
