"""What every exporter shares: the class table, the split, file names and the export report.

Class ids in the files are the ontology's class ids, numbered in the order of the project's
current ontology (COCO category ids 1..N, YOLO and mask indexes 0..N-1 / 1..N), so the same
ontology always gives the same numbers.
"""

from __future__ import annotations

import posixpath
import shutil
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import numpy as np
import orjson

from labelhub.core.formats import ExportItem, ExportOptions, ExportSource
from labelhub.formats._shapes import Dropped

MAX_WARNINGS = 50


@dataclass
class Report:
    """Counts that every export returns: what was written, what was clipped, what was dropped and why."""

    images: int = 0
    objects: int = 0
    media: int = 0
    clipped: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    splits: Counter[str] = field(default_factory=Counter)
    shapes: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def drop(self, reason: str, item: ExportItem, obj: dict[str, Any] | None = None) -> None:
        self.dropped[reason] += 1
        if len(self.warnings) < MAX_WARNINGS:
            what = f"object '{obj.get('id')}'" if obj else "asset"
            self.warnings.append(f"task {item.task_id} ({item.asset.get('filename')}): {what} dropped: {reason}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "images": self.images,
            "objects": self.objects,
            "media": self.media,
            "clipped": self.clipped,
            "dropped": dict(self.dropped),
            "dropped_total": sum(self.dropped.values()),
            "splits": dict(self.splits),
            "shapes": dict(self.shapes),
            "warnings": self.warnings,
        }


@dataclass(frozen=True)
class ClassInfo:
    index: int  # 0-based position in the ontology
    id: str
    name: str
    tool: str
    color: str
    keypoints: tuple[str, ...] = ()
    edges: tuple[tuple[int, int], ...] = ()


def current_ontology(source: ExportSource) -> dict[str, Any]:
    versions = source.ontology_versions
    want = source.project.get("ontology_version")
    for v in versions:
        if v["version"] == want:
            return dict(v["ontology"])
    return dict(versions[-1]["ontology"]) if versions else {"classes": [], "classifications": []}


def class_table(source: ExportSource) -> list[ClassInfo]:
    out = []
    for i, c in enumerate(current_ontology(source).get("classes", [])):
        sk = c.get("skeleton") or {}
        out.append(
            ClassInfo(
                i,
                c["id"],
                c.get("name") or c["id"],
                c["tool"],
                c.get("color", "#4363d8"),
                tuple(sk.get("points", ())),
                tuple((int(a), int(b)) for a, b in sk.get("edges", ())),
            )
        )
    return out


def split_names(options: ExportOptions) -> list[str]:
    return [name for name, _ in options.split] if options.split else ["default"]


class Splitter:
    """Exact ratios by a seeded permutation of the item positions (``n`` ints, not the items)."""

    def __init__(self, options: ExportOptions, n: int) -> None:
        self.names = split_names(options)
        self._of: np.ndarray[Any, np.dtype[np.int8]] | None = None
        if options.split and n:
            ratios = np.array([r for _, r in options.split], dtype=float)
            cuts = np.floor(np.cumsum(ratios / ratios.sum()) * n + 1e-9).astype(int)
            cuts[-1] = n
            labels = np.searchsorted(cuts, np.arange(n), side="right").astype(np.int8)
            self._of = labels[np.random.default_rng(options.seed).permutation(n)]

    def __call__(self, position: int) -> str:
        if self._of is None or position >= len(self._of):
            return self.names[0]
        return self.names[int(self._of[position])]


class FileNames:
    """File names unique within one export: the asset's base name, or ``<asset id>_<name>`` when another
    file has the same stem (YOLO and VOC name label files after the stem, ``a.png`` and ``a.jpg`` clash)."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def __call__(self, asset: dict[str, Any]) -> str:
        base = posixpath.basename(str(asset.get("filename") or "").replace("\\", "/")) or f"asset-{asset['id']}"
        name = base if stem(base).lower() not in self._seen else f"{asset['id']}_{base}"
        self._seen.add(stem(name).lower())
        return name


def stem(name: str) -> str:
    return posixpath.splitext(name)[0]


@dataclass(frozen=True)
class Row:
    item: ExportItem
    position: int
    split: str
    file_name: str
    objects: list[dict[str, Any]]
    classifications: dict[str, Any]


def iter_rows(source: ExportSource, options: ExportOptions, report: Report) -> Iterator[Row]:
    """The items of an export with their split, unique file name and decoded head body, objects
    already filtered by class; counts images and splits."""
    splitter = Splitter(options, source.count_items())
    names = FileNames()
    keep = set(options.classes) if options.classes else None
    for pos, item in enumerate(source.iter_items()):
        body = orjson.loads(item.body_json) if item.body_json else {}
        objects = body.get("objects", [])
        if keep is not None:
            objects = [o for o in objects if o.get("class_id") in keep]
        split = splitter(pos)
        report.images += 1
        report.splits[split] += 1
        yield Row(item, pos, split, names(item.asset), objects, body.get("classifications") or {})


class Unseekable:
    """A write-only view of the output: ``zipfile`` then streams each member with a data descriptor
    instead of seeking back to patch its header (three seeks per member: most of the time of a
    dataset of many small label files)."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out

    def write(self, data: bytes) -> int:
        return self._out.write(data)

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        """The caller owns the output and closes it."""


def labelmap(table: list[ClassInfo]) -> str:
    """Pascal VOC / Datumaro ``labelmap.txt``: background first, then every class with its colour."""
    rows = ["# label:color_rgb:parts:actions", "background:0,0,0::"]
    for c in table:
        r, g, b = (int(c.color[i : i + 2], 16) for i in (1, 3, 5))
        rows.append(f"{c.id}:{r},{g},{b}::")
    return "\n".join(rows) + "\n"


def image_size(row: Row, report: Report) -> tuple[int, int] | None:
    """(width, height), or ``None`` (counted as dropped) for an asset that is not an image."""
    w, h = row.item.asset.get("width"), row.item.asset.get("height")
    if not w or not h:
        report.images -= 1
        report.splits[row.split] -= 1
        report.drop("not an image (no width and height)", row.item)
        return None
    return int(w), int(h)


def copy_media(source: ExportSource, zf: zipfile.ZipFile, asset: dict[str, Any], name: str, report: Report) -> None:
    media = source.open_media(asset)
    if media is None:
        return
    with media, zf.open(name, "w", force_zip64=True) as dst:
        shutil.copyfileobj(media, dst, 1 << 20)
    report.media += 1


def converted(
    row: Row,
    classes: dict[str, ClassInfo],
    report: Report,
    convert: Callable[[dict[str, Any], ClassInfo], Any],
) -> Iterator[tuple[dict[str, Any], ClassInfo, Any]]:
    """(object, its class, ``convert(object, class)``) for each object that converts; the others are
    counted as dropped with the reason ``convert`` gave (``Dropped``) or an unknown class."""
    for obj in row.objects:
        cls = classes.get(obj.get("class_id", ""))
        if cls is None:
            report.drop(f"class '{obj.get('class_id')}' is not in the current ontology", row.item, obj)
            continue
        try:
            out = convert(obj, cls)
        except Dropped as e:
            report.drop(e.reason, row.item, obj)
            continue
        report.objects += 1
        report.shapes[str((obj.get("geometry") or {}).get("type"))] += 1
        yield obj, cls, out


__all__ = [
    "ClassInfo",
    "FileNames",
    "Report",
    "Row",
    "Splitter",
    "Unseekable",
    "class_table",
    "converted",
    "copy_media",
    "current_ontology",
    "image_size",
    "iter_rows",
    "labelmap",
    "split_names",
    "stem",
]
