"""COCO instances JSON (one file, or a zip of ``annotations/*.json``) -> pre-labels.

bbox -> ``bbox``; polygon segmentation -> one ``polygon`` per ring; RLE (list or compact counts)
-> ``mask``; keypoints -> ``keypoints``; a labelhub export's exact rotated box / ellipse (under
``labelhub``) -> ``rotated_bbox`` / ``ellipse``.  ``attributes`` are kept; ``score`` becomes the
confidence; images are matched by ``file_name``.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from labelhub.core import rle as rle_codec
from labelhub.core.errors import InvalidInput
from labelhub.core.formats import ImportedItem, ImportedObject
from labelhub.formats._read import base, load_json, members, need, number


def _geometries(a: dict[str, Any], img: dict[str, Any], name: str, where: str) -> list[dict[str, Any]]:
    lh: dict[str, Any] = a["labelhub"] if isinstance(a.get("labelhub"), dict) else {}
    if lh.get("cxcywha"):
        return [{"type": "rotated_bbox", "cxcywha": [number(v, name, where) for v in lh["cxcywha"]]}]
    if lh.get("cxcyrxrya"):
        return [{"type": "ellipse", "cxcyrxrya": [number(v, name, where) for v in lh["cxcyrxrya"]]}]
    if a.get("keypoints"):
        flat = [number(v, name, f"{where}.keypoints") for v in need(a["keypoints"], list, name, f"{where}.keypoints")]
        if len(flat) % 3:
            raise InvalidInput(f"{name}: {where}.keypoints must be x, y, v triples.")
        return [
            {"type": "keypoints", "points": [[flat[i], flat[i + 1], int(flat[i + 2])] for i in range(0, len(flat), 3)]}
        ]
    seg = a.get("segmentation")
    if isinstance(seg, dict):
        size = need(seg.get("size"), list, name, f"{where}.segmentation.size")
        counts = seg.get("counts")
        if isinstance(counts, list):
            counts = rle_codec.encode_counts_string([int(c) for c in counts])
        need(counts, str, name, f"{where}.segmentation.counts")
        return [{"type": "mask", "rle": {"size": [int(v) for v in size], "counts": counts}}]
    if isinstance(seg, list) and seg:
        out = []
        for k, ring in enumerate(seg):
            flat = [number(v, name, f"{where}.segmentation[{k}]") for v in need(ring, list, name, where)]
            if len(flat) < 6 or len(flat) % 2:
                raise InvalidInput(f"{name}: {where}.segmentation[{k}] needs at least 3 x, y pairs.")
            out.append({"type": "polygon", "points_xy": [[flat[i], flat[i + 1]] for i in range(0, len(flat), 2)]})
        return out
    x, y, w, h = (number(v, name, f"{where}.bbox") for v in need(a.get("bbox"), list, name, f"{where}.bbox")[:4])
    return [{"type": "bbox", "xyxy": [x, y, x + w, y + h]}]


def parse_coco(data: Any, name: str) -> list[ImportedItem]:
    doc = need(data, dict, name, "the top level")
    cats = {c.get("id"): str(c.get("name")) for c in need(doc.get("categories", []), list, name, "categories")}
    images: dict[Any, dict[str, Any]] = {}
    for i, img in enumerate(need(doc.get("images", []), list, name, "images")):
        need(img, dict, name, f"images[{i}]")
        need(img.get("file_name"), str, name, f"images[{i}].file_name")
        images[img.get("id")] = {**img, "objects": []}
    for i, a in enumerate(need(doc.get("annotations", []), list, name, "annotations")):
        where = f"annotations[{i}]"
        need(a, dict, name, where)
        img = images.get(a.get("image_id"))
        if img is None:
            raise InvalidInput(f"{name}: {where}.image_id {a.get('image_id')!r} is not in images.")
        if a.get("category_id") not in cats:
            raise InvalidInput(f"{name}: {where}.category_id {a.get('category_id')!r} is not in categories.")
        attrs = a.get("attributes") if isinstance(a.get("attributes"), dict) else {}
        attrs = {k: v for k, v in attrs.items() if k != "rotation"}
        score = a.get("score")
        for g in _geometries(a, img, name, where):
            img["objects"].append(ImportedObject(cats[a["category_id"]], g, attrs, score, where))
    out = []
    for img in images.values():
        answers: dict[str, Any] = img["attributes"] if isinstance(img.get("attributes"), dict) else {}
        out.append(
            ImportedItem(base(img["file_name"]), name, img["objects"], img.get("width"), img.get("height"), answers)
        )
    return out


class CocoImporter:
    name = "coco"
    version = "1.0"
    extensions: tuple[str, ...] = ("json", "zip")
    shapes: tuple[str, ...] = ("bbox", "polygon", "mask", "keypoints", "rotated_bbox", "ellipse")

    def detect(self, head: bytes, filename: str) -> bool:
        return b'"annotations"' in head or b'"images"' in head

    def read(self, stream: BinaryIO, filename: str) -> list[ImportedItem]:
        out: list[ImportedItem] = []
        for name, data in members(stream, filename, (".json",)):
            out += parse_coco(load_json(data, name), name)
        return out


__all__ = ["CocoImporter", "parse_coco"]
