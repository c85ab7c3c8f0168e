"""A fake ``ExportSource`` (no database) and helpers to run an exporter and open its zip."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any, BinaryIO

import numpy as np
import orjson

from labelhub.core import rle
from labelhub.core.formats import Exporter, ExportItem, ExportOptions

ONTO: dict[str, Any] = {
    "classes": [
        {
            "id": "car",
            "tool": "bbox",
            "color": "#e6194b",
            "attributes": [
                {"id": "occluded", "kind": "radio", "options": [{"id": "no"}, {"id": "yes"}]},
                {"id": "difficult", "kind": "radio", "options": [{"id": "no"}, {"id": "yes"}]},
            ],
        },
        {"id": "road", "tool": "polygon", "color": "#3cb44b"},
        {"id": "plate", "tool": "rotated_bbox", "color": "#ffe119"},
        {"id": "blob", "tool": "mask", "color": "#4363d8"},
        {
            "id": "person",
            "tool": "keypoints",
            "color": "#f58231",
            "skeleton": {"points": ["head", "hip", "foot"], "edges": [[0, 1], [1, 2]]},
        },
        {"id": "ball", "tool": "ellipse", "color": "#911eb4"},
        {"id": "sign", "tool": "point", "color": "#46f0f0"},
    ],
    "classifications": [{"id": "weather", "kind": "radio", "options": [{"id": "sun"}, {"id": "rain"}]}],
}


def obj(oid: str, cls: str, geometry: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {"id": oid, "class_id": cls, "geometry": geometry, "attributes": kw.pop("attributes", {}), **kw}


def box(oid: str, x1: float, y1: float, x2: float, y2: float, **kw: Any) -> dict[str, Any]:
    return obj(oid, "car", {"type": "bbox", "xyxy": [x1, y1, x2, y2]}, **kw)


def rbox(oid: str, cx: float, cy: float, w: float, h: float, a: float) -> dict[str, Any]:
    return obj(oid, "plate", {"type": "rotated_bbox", "cxcywha": [cx, cy, w, h, a]})


def poly(oid: str, pts: list[list[float]], cls: str = "road") -> dict[str, Any]:
    return obj(oid, cls, {"type": "polygon", "points_xy": pts})


def mask(oid: str, m: np.ndarray[Any, Any], compact: bool = False) -> dict[str, Any]:
    r = rle.encode(m)
    if compact:
        r["counts"] = rle.encode_counts_string(r["counts"])
    return obj(oid, "blob", {"type": "mask", "rle": r})


class FakeSource:
    """Items given as (filename, width, height, objects, classifications[, state, author])."""

    def __init__(self, items: list[tuple[Any, ...]], ontology: dict[str, Any] | None = None,
                 media: dict[str, bytes] | None = None) -> None:  # fmt: skip
        self.project = {"id": 1, "name": "Test", "ontology_version": 1}
        self.ontology_versions = [{"version": 1, "ontology": ontology or ONTO}]
        self.users = {1: "labeler"}
        self.items = items
        self.media = media or {}

    def count_items(self) -> int:
        return len(self.items)

    def iter_items(self) -> Iterator[ExportItem]:
        for i, it in enumerate(self.items):
            name, w, h, objects, cls = it[:5]
            state = it[5] if len(it) > 5 else "accepted"
            body = None if objects is None else orjson.dumps({"objects": objects, "classifications": cls}).decode()
            asset = {"id": 100 + i, "filename": name, "kind": "image", "width": w, "height": h,
                     "pages": 1, "sha256": None, "storage_key": "k" if name in self.media else None}  # fmt: skip
            yield ExportItem(i + 1, state, asset, i + 1 if body else None, 1, body)

    def open_media(self, asset: dict[str, Any]) -> BinaryIO | None:
        data = self.media.get(asset["filename"])
        return io.BytesIO(data) if data is not None else None

    def open_companion(self, asset: dict[str, Any], name: str) -> BinaryIO | None:
        return None

    def count_revisions(self) -> int:
        return len(self.items)

    def iter_assets(self) -> Iterator[dict[str, Any]]:
        return iter(())

    def iter_tasks(self) -> Iterator[dict[str, Any]]:
        return iter(())

    def iter_revisions(self) -> Iterator[tuple[dict[str, Any], str]]:
        return iter(())

    def iter_reviews(self) -> Iterator[dict[str, Any]]:
        return iter(())


def run_export(exporter: Exporter, source: FakeSource, **options: Any) -> tuple[zipfile.ZipFile, dict[str, Any]]:
    buf = io.BytesIO()
    report = exporter.export(source, buf, ExportOptions(**options), lambda done, total: None)  # type: ignore[arg-type]
    buf.seek(0)
    return zipfile.ZipFile(buf), report


def extract(zf: zipfile.ZipFile, dest: Any) -> Any:
    zf.extractall(dest)
    return dest
