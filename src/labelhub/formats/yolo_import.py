"""YOLO label files (a zip with ``labels/**/*.txt`` and optionally ``data.yaml``) -> pre-labels.

Rows by column count: 5 -> box (``cx cy w h``); 9 -> oriented box (four corners, as a polygon the
import service turns into a rotated box for rotated-box classes); ``5 + 3k`` with ``kpt_shape`` in
data.yaml -> pose (box dropped, keypoints kept); any other odd count >= 7 -> polygon.  Coordinates
are normalized: the service scales them by the matched asset's size.  Labels are ``names`` from
data.yaml, or the class index as text when there is none (the mapping step then names them).
"""

from __future__ import annotations

import re
from typing import Any, BinaryIO

from labelhub.core.errors import InvalidInput
from labelhub.core.formats import ImportedItem, ImportedObject
from labelhub.formats._read import base, members, number

_ENTRY = re.compile(r"^\s+(\d+)\s*:\s*(.+?)\s*$")


def _unquote(v: str) -> str:
    v = v.strip()
    return v[1:-1] if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"" else v


def parse_data_yaml(text: str) -> tuple[dict[int, str], int]:
    """(names by index, keypoints per object) from the two keys of data.yaml that labels need."""
    names: dict[int, str] = {}
    kpt = 0
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("names:"):
            rest = line[len("names:") :].strip()
            if rest.startswith("["):
                names = {k: _unquote(v) for k, v in enumerate(rest.strip("[]").split(",")) if v.strip()}
            else:
                for follow in lines[i + 1 :]:
                    m = _ENTRY.match(follow)
                    if m:
                        names[int(m.group(1))] = _unquote(m.group(2))
                    elif follow.strip().startswith("- "):
                        names[len(names)] = _unquote(follow.strip()[2:])
                    elif follow.strip() and not follow.startswith((" ", "\t")):
                        break
        elif line.startswith("kpt_shape:"):
            kpt = int(line.split("[", 1)[1].split(",", 1)[0])
    return names, kpt


def parse_label_file(text: str, name: str, names: dict[int, str], kpt: int) -> list[ImportedObject]:
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cols = line.split()
        where = f"line {n}"
        if not cols[0].isdigit():
            raise InvalidInput(f"{name}: {where}: the class index must be an integer, got {cols[0]!r}.")
        v = [number(c, name, where) for c in cols[1:]]
        label = names.get(int(cols[0]), cols[0])
        if kpt and len(v) == 4 + 3 * kpt:
            pts = [[v[i], v[i + 1], int(v[i + 2])] for i in range(4, len(v), 3)]
            g: dict[str, Any] = {"type": "keypoints", "points": pts}
        elif len(v) == 4:
            cx, cy, w, h = v
            g = {"type": "bbox", "xyxy": [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]}
        elif len(v) >= 6 and len(v) % 2 == 0:
            g = {"type": "polygon", "points_xy": [[v[i], v[i + 1]] for i in range(0, len(v), 2)]}
        else:
            raise InvalidInput(f"{name}: {where}: {len(cols)} columns is neither a box, a polygon nor a pose row.")
        if any(not -0.01 <= x <= 1.01 for x in (v if g["type"] != "keypoints" else v[:4])):
            raise InvalidInput(f"{name}: {where}: coordinates must be normalized to [0, 1].")
        out.append(ImportedObject(label, g, {}, None, where))
    return out


class YoloImporter:
    name = "yolo"
    version = "1.0"
    extensions: tuple[str, ...] = ("zip", "txt")
    shapes: tuple[str, ...] = ("bbox", "polygon", "keypoints")

    def detect(self, head: bytes, filename: str) -> bool:
        return head.startswith(b"PK\x03\x04") or filename.endswith(".txt")

    def read(self, stream: BinaryIO, filename: str) -> list[ImportedItem]:
        files = dict(members(stream, filename, (".txt", ".yaml", ".yml")))
        yaml = next((d for n, d in files.items() if base(n) in ("data.yaml", "data.yml")), None)
        names, kpt = parse_data_yaml(yaml.decode("utf-8", "replace")) if yaml else ({}, 0)
        items = []
        for n, data in files.items():
            if not n.endswith(".txt") or base(n) == "classes.txt":
                continue
            objects = parse_label_file(data.decode("utf-8", "replace"), n, names, kpt)
            stem = base(n).rsplit(".", 1)[0]
            items.append(ImportedItem(stem, n, objects, normalized=True, match_stem=True))
        if not items:
            raise InvalidInput(f"{filename}: no YOLO label files (labels/**/*.txt) found.")
        return items


__all__ = ["YoloImporter", "parse_data_yaml", "parse_label_file"]
