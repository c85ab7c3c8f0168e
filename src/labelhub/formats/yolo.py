"""YOLO datasets in the Ultralytics layout: detection, segmentation, oriented boxes (OBB) and pose.

Layout (a zip)::

    data.yaml                      train/val/test image folders, ``names`` (0..N-1 in ontology order),
                                   ``kpt_shape`` for pose
    images/<split>/<file_name>     the images, when media is included
    labels/<split>/<stem>.txt      one line per object, coordinates normalized by width and height

Without a split everything is ``train`` and ``val`` points at it too (Ultralytics needs a val set).
Every image gets a label file, an empty one when it has no objects, so "no objects" is explicit.

Per task: ``yolo`` writes ``class cx cy w h`` for boxes; ``yolo-seg`` ``class x1 y1 x2 y2 ...`` for
polygons (rotated boxes and ellipses as their polygon), clipped to the image, and brush masks as
one outline ring (parts and holes joined by zero-width bridges, see ``_mask_outline``); ``yolo-obb``
``class x1 y1 ... x4 y4`` for rotated boxes (corners computed in pixels, then normalized, then
clamped to [0, 1]: Ultralytics refuses a whole label file with a coordinate past 1); ``yolo-pose``
``class cx cy w h px py v ...`` with the box around the visible keypoints.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from functools import partial
from typing import Any, BinaryIO

import orjson

from labelhub.core.formats import ExportOptions, ExportSource
from labelhub.formats import _shapes as sh
from labelhub.formats._common import (
    ClassInfo,
    Report,
    Unseekable,
    class_table,
    converted,
    copy_media,
    image_size,
    iter_rows,
    split_names,
    stem,
)
from labelhub.formats._mask_outline import mask_polygon

TASKS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "detect": ("yolo", ("bbox", "document_region"), "YOLO detection boxes (Ultralytics layout)."),
    "segment": ("yolo-seg", ("polygon", "rotated_bbox", "ellipse", "mask"), "YOLO segmentation polygons."),
    "obb": ("yolo-obb", ("rotated_bbox", "bbox"), "YOLO oriented boxes (four corners)."),
    "pose": ("yolo-pose", ("keypoints",), "YOLO pose: box plus keypoints with visibility."),
}


def _n(v: float, size: float) -> str:
    return f"{min(max(v / size, 0.0), 1.0):.6f}"


def _box_line(x1: float, y1: float, x2: float, y2: float, w: int, h: int) -> str:
    return f"{_n((x1 + x2) / 2, w)} {_n((y1 + y2) / 2, h)} {_n(x2 - x1, w)} {_n(y2 - y1, h)}"


class YoloExporter:
    version = "1.0"
    extension = "zip"
    media_type = "application/zip"

    def __init__(self, task: str = "detect") -> None:
        self.task = task
        self.name, self.shapes, self.description = TASKS[task]

    def line(self, obj: dict[str, Any], cls: ClassInfo, w: int, h: int, kpt: int, report: Report) -> str:
        """One label line after the class index; raises ``Dropped``."""
        g = obj.get("geometry") or {}
        t = g.get("type")
        if t not in self.shapes:
            raise sh.Dropped(f"unsupported shape {t}")
        if self.task == "detect":
            (x1, y1, x2, y2), clipped = sh.clip_box(g.get("xyxy") or [], w, h)
            report.clipped += clipped  # clipped boxes lie inside: no clamping needed below
            return f"{(x1 + x2) / 2 / w:.6f} {(y1 + y2) / 2 / h:.6f} {(x2 - x1) / w:.6f} {(y2 - y1) / h:.6f}"
        if self.task == "segment":
            if t == "mask":
                return " ".join(f"{_n(x, w)} {_n(y, h)}" for x, y in mask_polygon(g, w, h))
            pts, clipped = sh.shape_polygon(g, w, h)
            report.clipped += clipped
            return " ".join(f"{_n(x, w)} {_n(y, h)}" for x, y in pts)
        if self.task == "obb":
            if t == "bbox":
                (x1, y1, x2, y2), clipped = sh.clip_box(g.get("xyxy") or [], w, h)
                corners = [(x1, y1), (x2, y1), (x2, y2), (x1, y2)]
            else:
                corners = sh.rotated_corners(g.get("cxcywha") or [])
                clipped = not all(0 <= x <= w and 0 <= y <= h for x, y in corners)
                if clipped:
                    sh.clip_polygon(corners, w, h)  # drops a box wholly outside the image
            report.clipped += clipped
            return " ".join(f"{_n(x, w)} {_n(y, h)}" for x, y in corners)
        kps, clipped = sh.keypoints_of(g, w, h)
        if len(kps) != kpt:
            raise sh.Dropped(f"{len(kps)} keypoints where data.yaml's kpt_shape says {kpt}")
        x1, y1, x2, y2 = sh.bounds([(p[0], p[1]) for p in kps if p[2]])
        if x2 - x1 <= sh.EPS or y2 - y1 <= sh.EPS:
            raise sh.Dropped("degenerate: the visible keypoints span no box")
        report.clipped += clipped
        kp_text = " ".join(f"{_n(x, w)} {_n(y, h)} {int(v)}" if v else "0 0 0" for x, y, v in kps)
        return f"{_box_line(x1, y1, x2, y2, w, h)} {kp_text}"

    def export(
        self, source: ExportSource, out: BinaryIO, options: ExportOptions, progress: Callable[[int, int | None], None]
    ) -> dict[str, Any]:
        table = class_table(source)
        classes = {c.id: c for c in table}
        kpt = next((len(c.keypoints) for c in table if c.tool == "keypoints" and c.keypoints), 0)
        report = Report()
        total = source.count_items()
        splits = split_names(options) if options.split else ["train"]
        with zipfile.ZipFile(Unseekable(out), "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for row in iter_rows(source, options, report):
                size = image_size(row, report)
                if size is None:
                    continue
                w, h = size
                split = row.split if options.split else "train"
                lines = [
                    f"{cls.index} {text}"
                    for _, cls, text in converted(
                        row, classes, report, partial(self.line, w=w, h=h, kpt=kpt, report=report)
                    )
                ]
                label = "".join(s + "\n" for s in lines)
                zf.writestr(f"labels/{split}/{stem(row.file_name)}.txt", label, compress_type=zipfile.ZIP_STORED)
                if options.include_media:
                    copy_media(source, zf, row.item.asset, f"images/{split}/{row.file_name}", report)
                if report.images % 5000 == 0:
                    progress(report.images, total)
            zf.writestr("data.yaml", self.data_yaml(table, splits, kpt))
        progress(report.images, total)
        return report.as_dict()

    def data_yaml(self, table: list[ClassInfo], splits: list[str], kpt: int) -> str:
        lines = ["# written by labelhub; paths are relative to this file's folder"]
        for s in splits:
            lines.append(f"{s}: images/{s}")
        if "val" not in splits:
            lines.append(f"val: images/{splits[0]}")
        lines.append(f"nc: {len(table)}")
        lines.append("names:")
        lines += [f"  {c.index}: {orjson.dumps(c.id).decode()}" for c in table]
        if self.task == "pose":
            lines.append(f"kpt_shape: [{kpt}, 3]")
        return "\n".join(lines) + "\n"


__all__ = ["TASKS", "YoloExporter"]
