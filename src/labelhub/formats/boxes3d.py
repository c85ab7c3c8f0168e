"""3-D boxes of volumes as JSON, in voxel and patient (mm) coordinates (``volume-boxes``).

One JSON document: ``{"format": "labelhub-volume-boxes", "version": 1, "classes": [...],
"volumes": [{"asset_id", "file_name", "task_id", "state", "split", "shape_kji", "spacing_mm",
"affine_lps", "frame_of_reference_uid", "boxes": [...]}]}``.

Each box: ``id``, ``class_id``, ``xyzxyz`` as stored (voxel **edges**: voxel ``i`` spans
``[i, i + 1]`` along x, the convention of pixels in ``docs/annotations.md``), ``voxel_min`` /
``voxel_max`` (the inclusive index range of the voxels whose centres lie inside), and in
patient coordinates (DICOM LPS, mm): ``corners_lps_mm`` (the eight corners, ``affine_lps @
(edge - 0.5)``, since the affine maps voxel centres), ``center_lps_mm``, ``size_mm`` (along the
voxel axes x, y, z) and the same corners in RAS (``corners_ras_mm``, x and y negated) for NIfTI
tools.  The box is axis-aligned in voxels, so in an oblique acquisition it is not axis-aligned in
patient space: the corners are exact, a min/max in mm would not be.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any, BinaryIO

import numpy as np
import orjson

from labelhub.core.formats import ExportOptions, ExportSource
from labelhub.formats._common import Report, class_table, iter_rows
from labelhub.formats.nifti_labels import volume_header


def box_record(obj: dict[str, Any], affine_lps: np.ndarray[Any, Any]) -> dict[str, Any]:
    x1, y1, z1, x2, y2, z2 = (float(v) for v in obj["geometry"]["xyzxyz"])
    corners_vox = np.array(
        [[x, y, z, 1.0] for x, y, z in itertools.product((x1, x2), (y1, y2), (z1, z2))], dtype=np.float64
    )
    corners_vox[:, :3] -= 0.5
    lps = (affine_lps @ corners_vox.T).T[:, :3]
    center = affine_lps @ np.array([(x1 + x2) / 2 - 0.5, (y1 + y2) / 2 - 0.5, (z1 + z2) / 2 - 0.5, 1.0])
    spacing = np.linalg.norm(affine_lps[:3, :3], axis=0)
    return {
        "id": obj.get("id"),
        "class_id": obj.get("class_id"),
        "xyzxyz": [x1, y1, z1, x2, y2, z2],
        "voxel_min": [math.ceil(v - 0.5) for v in (x1, y1, z1)],
        "voxel_max": [math.floor(v - 0.5) for v in (x2, y2, z2)],
        "corners_lps_mm": [[round(float(c), 4) for c in p] for p in lps],
        "corners_ras_mm": [[round(float(-p[0]), 4), round(float(-p[1]), 4), round(float(p[2]), 4)] for p in lps],
        "center_lps_mm": [round(float(c), 4) for c in center[:3]],
        "size_mm": [
            round(float((x2 - x1) * spacing[0]), 4),
            round(float((y2 - y1) * spacing[1]), 4),
            round(float((z2 - z1) * spacing[2]), 4),
        ],
        "attributes": obj.get("attributes") or {},
        "confidence": obj.get("confidence"),
    }


class VolumeBoxesExporter:
    name = "volume-boxes"
    version = "1.0"
    extension = "json"
    media_type = "application/json"
    description = "3-D boxes of volumes in voxel and patient (LPS/RAS mm) coordinates, as JSON."
    shapes: tuple[str, ...] = ("volume_box",)

    def export(
        self, source: ExportSource, out: BinaryIO, options: ExportOptions, progress: Callable[[int, int | None], None]
    ) -> dict[str, Any]:
        table = class_table(source)
        known = {c.id for c in table}
        report = Report()
        total = source.count_items()
        volumes: list[dict[str, Any]] = []
        for row in iter_rows(source, options, report):
            asset = row.item.asset
            if asset.get("kind") != "volume":
                report.images -= 1
                report.splits[row.split] -= 1
                report.drop("not a volume", row.item)
                continue
            header = volume_header(source, asset)
            if header is None:
                report.drop("the volume's data is not readable", row.item)
                continue
            affine = np.asarray(header["affine_lps"], dtype=np.float64)
            boxes = []
            for obj in row.objects:
                kind = (obj.get("geometry") or {}).get("type")
                if kind != "volume_box":
                    if kind != "volume_mask":
                        report.drop(f"unsupported shape {kind}", row.item, obj)
                    continue
                if obj.get("class_id") not in known:
                    report.drop(f"class '{obj.get('class_id')}' is not in the current ontology", row.item, obj)
                    continue
                boxes.append(box_record(obj, affine))
                report.objects += 1
                report.shapes["volume_box"] += 1
            volumes.append(
                {
                    "asset_id": asset["id"],
                    "file_name": row.file_name,
                    "task_id": row.item.task_id,
                    "state": row.item.state,
                    "split": row.split,
                    "shape_kji": header["shape"],
                    "spacing_mm": header.get("spacing_mm"),
                    "affine_lps": header["affine_lps"],
                    "frame_of_reference_uid": header.get("frame_of_reference_uid"),
                    "classifications": row.classifications,
                    "boxes": boxes,
                }
            )
            progress(report.images, total)
        doc = {
            "format": "labelhub-volume-boxes",
            "version": 1,
            "coordinates": "xyzxyz: voxel edges; *_lps_mm: DICOM patient LPS; *_ras_mm: NIfTI RAS",
            "classes": [{"id": c.id, "name": c.name} for c in table],
            "volumes": volumes,
        }
        out.write(orjson.dumps(doc, option=orjson.OPT_INDENT_2))
        progress(report.images, total)
        return report.as_dict()


__all__ = ["VolumeBoxesExporter", "box_record"]
