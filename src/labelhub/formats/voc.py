"""Pascal VOC detection export: one XML per image, with ``truncated``, ``difficult`` and ``occluded``.

Layout (a zip)::

    Annotations/<stem>.xml          <annotation> with <size> and one <object> per box
    ImageSets/Main/<split>.txt      the stems of each split ("default" without a split)
    JPEGImages/<file_name>          the images, when media is included
    labelmap.txt                    "class:r,g,b::" per class, in ontology order

Coordinates are pixel edges as labelhub stores them (0-based, as CVAT and Datumaro write VOC),
not the devkit's 1-based pixel indexes.  ``truncated`` is 1 when the box touched or was clipped at
the image border, or when the object's ``truncated`` answer says so; ``difficult`` and
``occluded`` come from answers with those ids (``yes``/``true``/``1``).  Other answers go under
``<attributes>``, as CVAT writes them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from functools import partial
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

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

_TRUE = {"yes", "true", "1", True}
_FLAGS = ("truncated", "difficult", "occluded")


def _flag(attrs: dict[str, Any], key: str) -> int:
    v = attrs.get(key)
    return int(v in _TRUE if not isinstance(v, list) else False)


def object_xml(obj: dict[str, Any], cls: ClassInfo, w: int, h: int, report: Report) -> str:
    g = obj.get("geometry") or {}
    if g.get("type") not in ("bbox", "document_region"):
        raise sh.Dropped(f"unsupported shape {g.get('type')}")
    (x1, y1, x2, y2), clipped = sh.clip_box(g.get("xyxy") or [], w, h)
    report.clipped += clipped
    attrs = dict(obj.get("attributes") or {})
    border = clipped or x1 <= 0 or y1 <= 0 or x2 >= w or y2 >= h
    truncated = int(border) or _flag(attrs, "truncated")
    extra = "".join(
        f"<attribute><name>{escape(str(k))}</name><value>{escape(str(v))}</value></attribute>"
        for k, v in attrs.items()
        if k not in _FLAGS
    )
    return (
        f"<object><name>{escape(cls.id)}</name><pose>Unspecified</pose><truncated>{truncated}</truncated>"
        f"<difficult>{_flag(attrs, 'difficult')}</difficult><occluded>{_flag(attrs, 'occluded')}</occluded>"
        f"<bndbox><xmin>{x1:g}</xmin><ymin>{y1:g}</ymin><xmax>{x2:g}</xmax><ymax>{y2:g}</ymax></bndbox>"
        + (f"<attributes>{extra}</attributes>" if extra else "")
        + "</object>"
    )


class VocExporter:
    name = "voc"
    version = "1.0"
    extension = "zip"
    media_type = "application/zip"
    description = "Pascal VOC XML per image (boxes, truncated/difficult/occluded), ImageSets per split."
    shapes: tuple[str, ...] = ("bbox", "document_region")

    def export(
        self, source: ExportSource, out: BinaryIO, options: ExportOptions, progress: Callable[[int, int | None], None]
    ) -> dict[str, Any]:
        table = class_table(source)
        classes = {c.id: c for c in table}
        report = Report()
        total = source.count_items()
        sets: dict[str, list[str]] = {s: [] for s in split_names(options)}
        with zipfile.ZipFile(Unseekable(out), "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for row in iter_rows(source, options, report):
                size = image_size(row, report)
                if size is None:
                    continue
                w, h = size
                objects = "".join(
                    x for _, _, x in converted(row, classes, report, partial(object_xml, w=w, h=h, report=report))
                )
                xml = (
                    f"<annotation><folder>JPEGImages</folder><filename>{escape(row.file_name)}</filename>"
                    f"<source><database>labelhub</database></source>"
                    f"<size><width>{w}</width><height>{h}</height><depth>3</depth></size>"
                    f"<segmented>0</segmented>{objects}</annotation>\n"
                )
                name = stem(row.file_name)
                zf.writestr(f"Annotations/{name}.xml", xml)
                sets[row.split].append(name)  # stems only: a few MB for 100,000 images
                if options.include_media:
                    copy_media(source, zf, row.item.asset, f"JPEGImages/{row.file_name}", report)
                if report.images % 5000 == 0:
                    progress(report.images, total)
            for split, names in sets.items():
                zf.writestr(f"ImageSets/Main/{split}.txt", "".join(n + "\n" for n in names))
            zf.writestr("labelmap.txt", labelmap(table))
        progress(report.images, total)
        return report.as_dict()


__all__ = ["VocExporter", "object_xml"]
