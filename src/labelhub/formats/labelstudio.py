"""Label Studio's JSON export (a list of tasks) -> pre-labels.

Per task the newest annotation that is not cancelled is read, else the first prediction (its
``score`` becomes the confidence).  Results: ``rectanglelabels`` -> box, or rotated box when
``rotation`` is set (Label Studio rotates about the top-left corner; converted to labelhub's
centre form); ``polygonlabels`` -> polygon; ``keypointlabels`` -> point; ``choices`` ->
classifications under the control's ``from_name``.  Coordinates are percentages of
``original_width`` / ``original_height``.  Brush masks (Label Studio's own RLE) are listed as skipped.
The image is matched by the base name of ``data.image``, without the ``<8 hex>-`` prefix Label
Studio gives uploads.
"""

from __future__ import annotations

import math
import re
from typing import Any, BinaryIO

from labelhub.core.errors import InvalidInput
from labelhub.core.formats import ImportedItem, ImportedObject
from labelhub.formats._read import base, load_json, members, need, number

_UPLOAD_PREFIX = re.compile(r"^[0-9a-f]{8}-(.+)$")


def _file_name(task: dict[str, Any]) -> str:
    data: dict[str, Any] = task["data"] if isinstance(task.get("data"), dict) else {}
    ref = next((v for v in data.values() if isinstance(v, str) and ("/" in v or "." in v)), None)
    path = str(data.get("image") or ref or "")
    path = path.split("?d=", 1)[1] if "?d=" in path else path.split("?", 1)[0]  # local-files: ?d=<path>
    name = base(path)
    m = _UPLOAD_PREFIX.match(name)
    return m.group(1) if m else name


def _result(r: dict[str, Any], name: str, where: str, cls: dict[str, Any]) -> ImportedObject | None:
    t = r.get("type")
    v = need(r.get("value"), dict, name, f"{where}.value")
    if t == "choices":
        choices = need(v.get("choices"), list, name, f"{where}.value.choices")
        cls[str(r.get("from_name"))] = choices[0] if len(choices) == 1 else choices
        return None
    labels = v.get(str(t))
    if t not in ("rectanglelabels", "polygonlabels", "keypointlabels"):
        raise _Skip(str(t))
    label = str(need(labels, list, name, f"{where}.value.{t}")[0]) if labels else ""
    W = number(r.get("original_width"), name, f"{where}.original_width") / 100
    H = number(r.get("original_height"), name, f"{where}.original_height") / 100
    if t == "rectanglelabels":
        x, y = number(v.get("x"), name, where) * W, number(v.get("y"), name, where) * H
        w, h = number(v.get("width"), name, where) * W, number(v.get("height"), name, where) * H
        rot = number(v.get("rotation", 0), name, where)
        if not rot:
            g: dict[str, Any] = {"type": "bbox", "xyxy": [x, y, x + w, y + h]}
        else:
            c, s = math.cos(math.radians(rot)), math.sin(math.radians(rot))
            cx, cy = x + w / 2 * c - h / 2 * s, y + w / 2 * s + h / 2 * c
            g = {"type": "rotated_bbox", "cxcywha": [cx, cy, w, h, (rot + 180) % 360 - 180]}
    elif t == "polygonlabels":
        pts = need(v.get("points"), list, name, f"{where}.value.points")
        g = {"type": "polygon", "points_xy": [[number(p[0], name, where) * W, number(p[1], name, where) * H]
                                              for p in pts]}  # fmt: skip
    else:
        g = {"type": "point", "xy": [number(v.get("x"), name, where) * W, number(v.get("y"), name, where) * H]}
    return ImportedObject(label, g, {}, r.get("score"), where)


class _Skip(Exception):
    pass


def parse_labelstudio(data: Any, name: str) -> list[ImportedItem]:
    tasks = need(data, list, name, "the top level (a list of tasks)")
    items = []
    for i, task in enumerate(tasks):
        need(task, dict, name, f"[{i}]")
        anns = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
        key, chosen = ("annotations", anns[-1]) if anns else ("predictions", (task.get("predictions") or [None])[0])
        objects: list[ImportedObject] = []
        classifications: dict[str, Any] = {}
        skipped: list[str] = []
        if isinstance(chosen, dict):
            idx = (len(anns) - 1) if anns else 0
            for k, r in enumerate(need(chosen.get("result", []), list, name, f"[{i}].{key}[{idx}].result")):
                where = f"[{i}].{key}[{idx}].result[{k}]"
                try:
                    obj = _result(need(r, dict, name, where), name, where, classifications)
                except _Skip as e:
                    skipped.append(f"{where}: {e}")
                    continue
                if obj is not None:
                    if chosen.get("score") is not None and obj.confidence is None:
                        obj = ImportedObject(obj.label, obj.geometry, obj.attributes, chosen["score"], obj.where)
                    objects.append(obj)
        file_name = _file_name(task)
        if not file_name:
            raise InvalidInput(f"{name}: [{i}].data names no image.")
        items.append(ImportedItem(file_name, name, objects, classifications=classifications, skipped=tuple(skipped)))
    return items


class LabelStudioImporter:
    name = "labelstudio"
    version = "1.0"
    extensions: tuple[str, ...] = ("json",)
    shapes: tuple[str, ...] = ("bbox", "rotated_bbox", "polygon", "point")

    def detect(self, head: bytes, filename: str) -> bool:
        return head.lstrip().startswith(b"[") and b'"data"' in head

    def read(self, stream: BinaryIO, filename: str) -> list[ImportedItem]:
        out: list[ImportedItem] = []
        for n, d in members(stream, filename, (".json",)):
            out += parse_labelstudio(load_json(d, n), n)
        return out


__all__ = ["LabelStudioImporter", "parse_labelstudio"]
