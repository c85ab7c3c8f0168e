"""COCO instances export (a zip), written incrementally: memory does not grow with the annotations.

Layout::

    annotations/instances_<split>.json   one COCO file per split ("default" without a split)
    images/<split>/<file_name>           the images, when media is included

Shapes: ``bbox`` and ``document_region`` -> bbox; ``polygon`` -> polygon segmentation;
``rotated_bbox`` and ``ellipse`` -> their polygon (clipped to the image) with the enclosing bbox,
the exact geometry kept under ``labelhub``; ``mask`` -> compact RLE with ``iscrowd`` 1;
``keypoints`` -> COCO keypoints with the category's names and 1-based skeleton.  Category ids are
1..N in ontology order; image ids are asset ids.  Object answers go to ``attributes`` (plus
``rotation`` for rotated boxes), the asset's classifications to the image's ``attributes``.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from typing import IO, Any, BinaryIO

import orjson

from labelhub.core.formats import ExportOptions, ExportSource
from labelhub.formats import _shapes as sh
from labelhub.formats._common import ClassInfo, Report, Row, class_table, iter_rows, split_names

_CHUNK = 1 << 20
_FLUSH = 1 << 18


def category(c: ClassInfo) -> dict[str, Any]:
    out: dict[str, Any] = {"id": c.index + 1, "name": c.id, "supercategory": "", "display_name": c.name}
    if c.tool == "keypoints":
        out["keypoints"] = list(c.keypoints)
        out["skeleton"] = [[a + 1, b + 1] for a, b in c.edges]
    return out


def convert(obj: dict[str, Any], cls: ClassInfo, w: int, h: int, report: Report) -> dict[str, Any]:
    """One labelhub object -> the COCO annotation fields (without ids); raises ``Dropped``."""
    g = obj.get("geometry") or {}
    t = g.get("type")
    if t == "bbox" and not obj.get("attributes") and obj.get("confidence") is None:  # the fast, common case
        (x1, y1, x2, y2), clipped = sh.clip_box(g.get("xyxy") or [], w, h)
        report.clipped += clipped
        report.shapes["bbox"] += 1
        return {"category_id": cls.index + 1, "bbox": [x1, y1, x2 - x1, y2 - y1], "area": (x2 - x1) * (y2 - y1),
                "iscrowd": 0, "segmentation": [], "attributes": {}, "labelhub": {"id": obj.get("id")}}  # fmt: skip
    extra: dict[str, Any] = {"id": obj.get("id")}
    attributes = dict(obj.get("attributes") or {})
    iscrowd = 0
    seg: Any = []
    out: dict[str, Any] = {}
    if t in ("bbox", "document_region"):
        (x1, y1, x2, y2), clipped = sh.clip_box(g.get("xyxy") or [], w, h)
        bbox, ar = [x1, y1, x2 - x1, y2 - y1], (x2 - x1) * (y2 - y1)
    elif t in ("polygon", "rotated_bbox", "ellipse"):
        pts, clipped = sh.shape_polygon(g, w, h)
        x1, y1, x2, y2 = sh.bounds(pts)
        bbox, ar = [x1, y1, x2 - x1, y2 - y1], sh.area(pts)
        seg = [[round(v, 3) for p in pts for v in p]]
        if t == "rotated_bbox":
            extra["cxcywha"] = g["cxcywha"]
            attributes["rotation"] = g["cxcywha"][4]
        elif t == "ellipse":
            extra["cxcyrxrya"] = g["cxcyrxrya"]
    elif t == "mask":
        rle = sh.rle_of(g, w, h)
        box, pixels = sh.rle_box_area(rle)
        bbox, ar, seg, clipped, iscrowd = box, float(pixels), rle, False, 1
    elif t == "keypoints":
        kps, clipped = sh.keypoints_of(g, w, h)
        vis = [(p[0], p[1]) for p in kps if p[2]]
        x1, y1, x2, y2 = sh.bounds(vis)
        bbox, ar = [x1, y1, x2 - x1, y2 - y1], (x2 - x1) * (y2 - y1)
        out = {"keypoints": [v for p in kps for v in p], "num_keypoints": len(vis)}
    else:
        raise sh.Dropped(f"unsupported shape {t}")
    if clipped:
        report.clipped += 1
    report.shapes[str(t)] += 1
    out.update(category_id=cls.index + 1, bbox=bbox, area=ar, iscrowd=iscrowd, segmentation=seg, attributes=attributes)
    if obj.get("confidence") is not None:
        out["score"] = obj["confidence"]
    out["labelhub"] = extra
    return out


class _SplitFile:
    """The images and annotations arrays of one split, spooled to disk until the end."""

    def __init__(self) -> None:
        self.images: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.annotations: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self.img_buf: list[bytes] = []
        self.ann_buf: list[bytes] = []
        self.n_img = self.n_ann = 0
        self.pending = 0

    def flush(self) -> None:
        for f, buf, n in ((self.images, self.img_buf, self.n_img), (self.annotations, self.ann_buf, self.n_ann)):
            if buf:
                first = n == len(buf)
                f.write((b"" if first else b",") + b",".join(buf))
                buf.clear()
        self.pending = 0

    def close(self) -> None:
        self.images.close()
        self.annotations.close()


class CocoExporter:
    name = "coco"
    version = "1.0"
    extension = "zip"
    media_type = "application/zip"
    description = "COCO instances JSON per split (boxes, polygons, RLE masks, keypoints), images optional."
    shapes: tuple[str, ...] = ("bbox", "document_region", "polygon", "rotated_bbox", "ellipse", "mask", "keypoints")

    def export(
        self, source: ExportSource, out: BinaryIO, options: ExportOptions, progress: Callable[[int, int | None], None]
    ) -> dict[str, Any]:
        classes = {c.id: c for c in class_table(source)}
        categories = [category(c) for c in classes.values()]
        report = Report()
        total = source.count_items()
        parts = {s: _SplitFile() for s in split_names(options)}
        ann_id = 0
        try:
            with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
                for row in iter_rows(source, options, report):
                    part = parts[row.split]
                    anns = self._row(source, row, classes, report, zf, options, part)
                    for a in anns:
                        ann_id += 1
                        a["id"] = ann_id
                    if anns:  # one orjson call per image: the array without its brackets
                        part.ann_buf.append(orjson.dumps(anns)[1:-1])
                        part.n_ann += 1
                    part.pending += len(anns) + 1
                    if part.pending > 4096:
                        part.flush()
                    if report.images % 5000 == 0:
                        progress(report.images, total)
                report.objects = ann_id
                for split, part in parts.items():
                    part.flush()
                    self._write_json(zf, split, part, categories, source)
        finally:
            for part in parts.values():
                part.close()
        progress(report.images, total)
        return report.as_dict()

    def _row(
        self,
        source: ExportSource,
        row: Row,
        classes: dict[str, ClassInfo],
        report: Report,
        zf: zipfile.ZipFile,
        options: ExportOptions,
        part: _SplitFile,
    ) -> list[dict[str, Any]]:
        a, item = row.item.asset, row.item
        w, h = a.get("width"), a.get("height")
        if not w or not h:
            report.images -= 1
            report.splits[row.split] -= 1
            report.drop("not an image (no width and height)", item)
            return []
        image = {"id": a["id"], "file_name": row.file_name, "width": w, "height": h}
        if row.classifications:
            image["attributes"] = row.classifications
        part.img_buf.append(orjson.dumps(image))
        part.n_img += 1
        if options.include_media:
            media = source.open_media(a)
            if media is not None:
                with media, zf.open(f"images/{row.split}/{row.file_name}", "w", force_zip64=True) as dst:
                    shutil.copyfileobj(media, dst, _CHUNK)
                report.media += 1
        anns = []
        for obj in row.objects:
            cls = classes.get(obj.get("class_id", ""))
            if cls is None:
                report.drop(f"class '{obj.get('class_id')}' is not in the current ontology", item, obj)
                continue
            try:
                ann = convert(obj, cls, w, h, report)
            except sh.Dropped as e:
                report.drop(e.reason, item, obj)
                continue
            ann["image_id"] = a["id"]
            anns.append(ann)
        return anns

    @staticmethod
    def _write_json(
        zf: zipfile.ZipFile, split: str, part: _SplitFile, categories: list[dict[str, Any]], source: ExportSource
    ) -> None:
        info = {
            "description": str(source.project.get("name", "")),
            "version": "1.0",
            "date_created": datetime.now(UTC).isoformat(),
            "contributor": "labelhub",
        }
        head = b'{"info":' + orjson.dumps(info) + b',"licenses":[],"categories":' + orjson.dumps(categories)
        with zf.open(f"annotations/instances_{split}.json", "w", force_zip64=True) as f:
            f.write(head + b',"images":[')
            part.images.seek(0)
            shutil.copyfileobj(part.images, f, _CHUNK)
            f.write(b'],"annotations":[')
            part.annotations.seek(0)
            shutil.copyfileobj(part.annotations, f, _CHUNK)
            f.write(b"]}")


__all__ = ["CocoExporter", "category", "convert"]
