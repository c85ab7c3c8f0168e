"""CVAT for images 1.1 XML -> pre-labels.

``<box>`` -> box, or rotated box when ``rotation`` is set (CVAT rotates about the centre,
clockwise, as labelhub does); ``<polygon>`` -> polygon; ``<polyline>`` -> polyline; ``<points>``
-> one point per vertex; ``<ellipse>`` -> ellipse; ``<mask>`` (CVAT's row-major RLE inside
``left, top, width, height``) -> a full-image COCO RLE mask.  ``<attribute>`` children become
answers, ``occluded="1"`` the answer ``occluded: "yes"``.  ``<tag>`` and ``<skeleton>`` are listed
as skipped.  Images are matched by the base name of ``<image name>``.
"""

from __future__ import annotations

from typing import Any, BinaryIO
from xml.etree.ElementTree import Element

import numpy as np

from labelhub.core import rle as rle_codec
from labelhub.core.errors import InvalidInput
from labelhub.core.formats import ImportedItem, ImportedObject
from labelhub.formats._read import base, load_xml, members, number


def _points(el: Element, name: str, where: str) -> list[list[float]]:
    raw = el.get("points") or ""
    try:
        return [[float(a), float(b)] for a, b in (p.split(",") for p in raw.split(";") if p)]
    except ValueError:
        raise InvalidInput(f"{name}: {where} points={raw[:40]!r} must be 'x,y;x,y;...'.") from None


def _mask(el: Element, w: int, h: int, name: str, where: str) -> dict[str, Any]:
    try:
        counts = [int(float(c)) for c in (el.get("rle") or "").split(",") if c.strip()]
        left, top, bw, bh = (int(float(el.get(k) or "")) for k in ("left", "top", "width", "height"))
    except ValueError:
        raise InvalidInput(f"{name}: {where}: a mask needs rle, left, top, width and height numbers.") from None
    if sum(counts) != bw * bh or left < 0 or top < 0 or left + bw > w or top + bh > h:
        raise InvalidInput(f"{name}: {where}: the mask's runs do not fill its {bw} x {bh} box inside the image.")
    flat = np.repeat(np.arange(len(counts)) % 2, counts).astype(bool)
    full = np.zeros((h, w), dtype=bool)
    full[top : top + bh, left : left + bw] = flat.reshape(bh, bw)
    r = rle_codec.encode(full)
    return {"type": "mask", "rle": {"size": r["size"], "counts": rle_codec.encode_counts_string(r["counts"])}}


def parse_cvat(data: bytes, name: str) -> list[ImportedItem]:
    root = load_xml(data, name)
    if root.tag != "annotations":
        raise InvalidInput(f"{name}: the root element is <{root.tag}>, expected <annotations> (CVAT for images).")
    items = []
    for i, img in enumerate(root.findall("image")):
        file_name = base(img.get("name") or "")
        if not file_name:
            raise InvalidInput(f"{name}: image[{i}] has no name.")
        w, h = int(number(img.get("width"), name, f"image[{i}]")), int(number(img.get("height"), name, f"image[{i}]"))
        objects, skipped = [], []
        for k, el in enumerate(img):
            where = f"image[{i}] ({file_name}) <{el.tag}> #{k}"
            label = el.get("label") or ""
            attrs: dict[str, Any] = {a.get("name") or "": (a.text or "").strip() for a in el.findall("attribute")}
            if el.get("occluded") == "1":
                attrs["occluded"] = "yes"
            if el.tag == "box":
                x1, y1, x2, y2 = (number(el.get(a), name, where) for a in ("xtl", "ytl", "xbr", "ybr"))
                rot = number(el.get("rotation") or 0, name, where)
                geoms: list[dict[str, Any]] = [
                    {"type": "rotated_bbox", "cxcywha": [(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1, rot]}
                    if rot
                    else {"type": "bbox", "xyxy": [x1, y1, x2, y2]}
                ]
            elif el.tag in ("polygon", "polyline"):
                geoms = [{"type": el.tag, "points_xy": _points(el, name, where)}]
            elif el.tag == "points":
                geoms = [{"type": "point", "xy": p} for p in _points(el, name, where)]
            elif el.tag == "ellipse":
                cx, cy, rx, ry = (number(el.get(a), name, where) for a in ("cx", "cy", "rx", "ry"))
                geoms = [
                    {"type": "ellipse", "cxcyrxrya": [cx, cy, rx, ry, number(el.get("rotation") or 0, name, where)]}
                ]
            elif el.tag == "mask":
                geoms = [_mask(el, w, h, name, where)]
            else:
                skipped.append(f"{where}: {el.tag}")
                continue
            if not label:
                raise InvalidInput(f"{name}: {where} has no label.")
            objects += [ImportedObject(label, g, attrs, None, where) for g in geoms]
        items.append(ImportedItem(file_name, name, objects, w, h, skipped=tuple(skipped)))
    return items


class CvatImporter:
    name = "cvat"
    version = "1.1"
    extensions: tuple[str, ...] = ("xml", "zip")
    shapes: tuple[str, ...] = ("bbox", "rotated_bbox", "polygon", "polyline", "point", "ellipse", "mask")

    def detect(self, head: bytes, filename: str) -> bool:
        return b"<annotations" in head

    def read(self, stream: BinaryIO, filename: str) -> list[ImportedItem]:
        out: list[ImportedItem] = []
        for n, d in members(stream, filename, (".xml",)):
            out += parse_cvat(d, n)
        return out


__all__ = ["CvatImporter", "parse_cvat"]
