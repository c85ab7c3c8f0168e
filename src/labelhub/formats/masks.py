"""Semantic segmentation masks: one indexed PNG per image, with the palette in the PNG and a labelmap.

Layout (a zip, the Pascal VOC segmentation layout)::

    SegmentationClass/<stem>.png       mode "P": pixel value = class index + 1 (0 = background)
    ImageSets/Segmentation/<split>.txt
    JPEGImages/<file_name>             the images, when media is included
    labelmap.txt                       "class:r,g,b::" per class, background first

Objects are painted in the order of the annotation, later ones over earlier ones.  A pixel
belongs to a polygon (rotated box, ellipse, box) when its centre lies inside it, per the
pixel-centre convention of ``docs/annotations.md``.  Masks are painted as stored.  At most 255
classes fit an indexed PNG; more is refused by dropping the extra classes' objects.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from functools import partial
from typing import Any, BinaryIO

import numpy as np
from PIL import Image

from labelhub.core import rle as rle_codec
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
    labelmap,
    split_names,
    stem,
)


def palette(table: list[ClassInfo]) -> list[int]:
    out = [0, 0, 0]
    for c in table[:255]:
        out += [int(c.color[i : i + 2], 16) for i in (1, 3, 5)]
    return out + [0] * (768 - len(out))


def fill_polygon(arr: np.ndarray[Any, Any], pts: list[tuple[float, float]], value: int) -> None:
    """Set the pixels whose centre lies inside the polygon (even-odd rule), row by row."""
    h, w = arr.shape
    p = np.asarray(pts, dtype=float)
    a, b = p, np.roll(p, -1, axis=0)
    lo = max(0, int(np.floor(p[:, 1].min() - 0.5)))
    hi = min(h - 1, int(np.ceil(p[:, 1].max() - 0.5)))
    for j in range(lo, hi + 1):
        yc = j + 0.5
        hit = ((a[:, 1] <= yc) & (yc < b[:, 1])) | ((b[:, 1] <= yc) & (yc < a[:, 1]))
        if not hit.any():
            continue
        ea, eb = a[hit], b[hit]
        xs = np.sort(ea[:, 0] + (yc - ea[:, 1]) * (eb[:, 0] - ea[:, 0]) / (eb[:, 1] - ea[:, 1]))
        for x0, x1 in zip(xs[0::2], xs[1::2], strict=False):
            i0, i1 = max(0, int(np.ceil(x0 - 0.5))), min(w, int(np.ceil(x1 - 0.5)))
            if i1 > i0:
                arr[j, i0:i1] = value


def paint(canvas: np.ndarray[Any, Any], obj: dict[str, Any], cls: ClassInfo, w: int, h: int, report: Report) -> None:
    """Paint one object with its class index into the ``(h, w)`` uint8 canvas; raises ``Dropped``."""
    if cls.index >= 255:
        raise sh.Dropped("more than 255 classes do not fit an indexed PNG")
    value = cls.index + 1
    g = obj.get("geometry") or {}
    t = g.get("type")
    if t == "mask":
        canvas[rle_codec.decode(sh.rle_of(g, w, h))] = value
        return
    if t in ("bbox", "document_region"):
        (x1, y1, x2, y2), clipped = sh.clip_box(g.get("xyxy") or [], w, h)
        pts = [(x1, y1), (x2, y1), (x2, y2), (x1, y2)]
    elif t in ("polygon", "rotated_bbox", "ellipse"):
        pts, clipped = sh.shape_polygon(g, w, h)
    else:
        raise sh.Dropped(f"unsupported shape {t}")
    report.clipped += clipped
    fill_polygon(canvas, pts, value)


class SemanticMaskExporter:
    name = "masks"
    version = "1.0"
    extension = "zip"
    media_type = "application/zip"
    description = "Semantic segmentation: indexed PNG per image with the ontology's colours as palette."
    shapes: tuple[str, ...] = ("bbox", "document_region", "polygon", "rotated_bbox", "ellipse", "mask")

    def export(
        self, source: ExportSource, out: BinaryIO, options: ExportOptions, progress: Callable[[int, int | None], None]
    ) -> dict[str, Any]:
        table = class_table(source)
        classes = {c.id: c for c in table}
        pal = palette(table)
        report = Report()
        total = source.count_items()
        sets: dict[str, list[str]] = {s: [] for s in split_names(options)}
        with zipfile.ZipFile(Unseekable(out), "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for row in iter_rows(source, options, report):
                size = image_size(row, report)
                if size is None:
                    continue
                w, h = size
                canvas = np.zeros((h, w), dtype=np.uint8)
                for _ in converted(row, classes, report, partial(paint, canvas, w=w, h=h, report=report)):
                    pass
                img = Image.frombytes("P", (w, h), canvas.tobytes())
                img.putpalette(pal)
                buf = io.BytesIO()
                img.save(buf, "PNG", optimize=False)
                name = stem(row.file_name)
                zf.writestr(f"SegmentationClass/{name}.png", buf.getvalue(), compress_type=zipfile.ZIP_STORED)
                sets[row.split].append(name)
                if options.include_media:
                    copy_media(source, zf, row.item.asset, f"JPEGImages/{row.file_name}", report)
                if report.images % 1000 == 0:
                    progress(report.images, total)
            for split, names in sets.items():
                zf.writestr(f"ImageSets/Segmentation/{split}.txt", "".join(n + "\n" for n in names))
            zf.writestr("labelmap.txt", labelmap(table))
        progress(report.images, total)
        return report.as_dict()


__all__ = ["SemanticMaskExporter", "paint", "palette"]
