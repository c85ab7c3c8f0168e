"""Run inside .venv-datumaro (see scripts/datumaro-check), never by pytest directly.

    python check.py coco|yolo|voc PATH     PATH: an export (.zip) or an extracted folder

Imports the dataset with Datumaro and prints one JSON object: items, annotations, annotations per
type (bbox, polygon, mask, points, label), per subset, the label names, each item's size and
every box as ``[item id, label index, x, y, w, h]``.
Imports nothing from labelhub (that is the point: Datumaro reads the files on its own).
"""

from __future__ import annotations

import json
import sys
import tempfile
import warnings
import zipfile
from collections import Counter
from pathlib import Path

FORMATS = {"coco": "coco", "yolo": "yolo", "voc": "voc"}


def main(fmt: str, path: str) -> dict[str, object]:
    warnings.simplefilter("ignore")
    from datumaro.components.dataset import Dataset

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(path)
        if root.is_file():
            with zipfile.ZipFile(root) as zf:
                zf.extractall(tmp)
            root = Path(tmp)
        ds = Dataset.import_from(str(root), FORMATS[fmt])
        by_type: Counter[str] = Counter()
        subsets: Counter[str] = Counter()
        sizes = {}
        boxes = []
        items = annotations = 0
        for item in ds:
            items += 1
            subsets[item.subset] += 1
            for ann in item.annotations:
                annotations += 1
                by_type[ann.type.name] += 1
                if ann.type.name == "bbox":
                    boxes.append([item.id, ann.label, *(round(float(v), 3) for v in ann.get_bbox())])
            media = item.media
            size = getattr(media, "size", None) if media is not None else None
            sizes[item.id] = list(size) if size else None
        labels = [c.name for c in ds.categories().get(_label_type(), [])] if ds.categories() else []
        return {
            "format": fmt,
            "items": items,
            "annotations": annotations,
            "by_type": dict(sorted(by_type.items())),
            "subsets": dict(sorted(subsets.items())),
            "labels": labels,
            "sizes": sizes,
            "boxes": sorted(boxes),
        }


def _label_type() -> object:
    from datumaro.components.annotation import AnnotationType

    return AnnotationType.label


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in FORMATS:
        sys.exit(f"usage: {sys.argv[0]} {'|'.join(FORMATS)} PATH")
    print(json.dumps(main(sys.argv[1], sys.argv[2]), sort_keys=True))
