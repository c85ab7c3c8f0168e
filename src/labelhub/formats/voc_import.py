"""Pascal VOC XML (one file, or a zip of ``Annotations/*.xml``) -> box pre-labels.

``difficult``, ``truncated`` and ``occluded`` set to 1 become answers ``"yes"`` under those ids;
CVAT-style ``<attributes>`` are kept.  The import service keeps only answers the class asks.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from labelhub.core.errors import InvalidInput
from labelhub.core.formats import ImportedItem, ImportedObject
from labelhub.formats._read import base, load_xml, members, xml_number


def parse_voc(data: bytes, name: str) -> ImportedItem:
    root = load_xml(data, name)
    if root.tag != "annotation":
        raise InvalidInput(f"{name}: the root element is <{root.tag}>, expected <annotation>.")
    filename = (root.findtext("filename") or "").strip()
    if not filename:
        raise InvalidInput(f"{name}: <filename> is missing.")
    objects = []
    for i, o in enumerate(root.findall("object")):
        where = f"object[{i}]"
        label = (o.findtext("name") or "").strip()
        if not label:
            raise InvalidInput(f"{name}: {where} has no <name>.")
        box = o.find("bndbox")
        if box is None:
            raise InvalidInput(f"{name}: {where} has no <bndbox>.")
        xyxy = [xml_number(box, k, name, where) for k in ("xmin", "ymin", "xmax", "ymax")]
        attrs: dict[str, Any] = {k: "yes" for k in ("difficult", "truncated", "occluded") if o.findtext(k) == "1"}
        for a in o.findall("attributes/attribute"):
            attrs[(a.findtext("name") or "").strip()] = (a.findtext("value") or "").strip()
        objects.append(ImportedObject(label, {"type": "bbox", "xyxy": xyxy}, attrs, None, where))
    size = root.find("size")
    w = int(xml_number(size, "width", name, "<size>")) if size is not None else None
    h = int(xml_number(size, "height", name, "<size>")) if size is not None else None
    return ImportedItem(base(filename), name, objects, w, h)


class VocImporter:
    name = "voc"
    version = "1.0"
    extensions: tuple[str, ...] = ("xml", "zip")
    shapes: tuple[str, ...] = ("bbox",)

    def detect(self, head: bytes, filename: str) -> bool:
        return b"<annotation" in head

    def read(self, stream: BinaryIO, filename: str) -> list[ImportedItem]:
        items = [parse_voc(d, n) for n, d in members(stream, filename, (".xml",))]
        if not items:
            raise InvalidInput(f"{filename}: no Pascal VOC XML files found.")
        return items


__all__ = ["VocImporter", "parse_voc"]
