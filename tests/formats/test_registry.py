"""The registry: explicit declarations, duplicates refused, unknown names answered with the known ones."""

from __future__ import annotations

import pytest

from labelhub.core.errors import NotFound
from labelhub.core.formats import Exporter
from labelhub.formats.coco import CocoExporter
from labelhub.formats.registry import FormatRegistry, default_formats

EXPORTERS = {
    "native", "coco", "yolo", "yolo-seg", "yolo-obb", "yolo-pose", "voc", "masks",
    "classifications-csv", "classifications-jsonl",
    "nifti-labels", "dicom-seg", "volume-boxes", "ner-jsonl", "ner-conll", "ner-spacy",
}  # fmt: skip


def test_every_exporter_declares_itself() -> None:
    reg = default_formats()
    described = {d["name"]: d for d in reg.describe()}
    assert set(described) == EXPORTERS == set(reg.names()["exporters"])
    for name, d in described.items():
        exporter = reg.exporter(name)
        assert isinstance(exporter, Exporter)
        assert d["version"] and d["extension"] and d["media_type"] and d["description"]
        assert "name" in type(exporter).__dict__ or "name" in vars(exporter), "declared, not derived"
    assert described["coco"]["shapes"] == ["bbox", "document_region", "polygon", "rotated_bbox", "ellipse", "mask",
                                           "keypoints"]  # fmt: skip
    assert described["yolo-obb"]["shapes"] == ["rotated_bbox", "bbox"]


def test_duplicates_are_refused_and_unknown_names_list_the_known_ones() -> None:
    reg = FormatRegistry()
    reg.add_exporter(CocoExporter())
    with pytest.raises(ValueError, match="registered twice"):
        reg.add_exporter(CocoExporter())
    with pytest.raises(NotFound, match="available: coco"):
        reg.exporter("coco2")
