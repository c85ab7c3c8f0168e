"""The format registry: one module per format, registered by its declared name; duplicates refused."""

from __future__ import annotations

from labelhub.core.errors import NotFound
from labelhub.core.formats import AnnotationImporter, Exporter, ProjectImporter


class FormatRegistry:
    def __init__(self) -> None:
        self._exporters: dict[str, Exporter] = {}
        self._project_importers: dict[str, ProjectImporter] = {}
        self._annotation_importers: dict[str, AnnotationImporter] = {}

    def add_exporter(self, exporter: Exporter) -> None:
        if exporter.name in self._exporters:
            raise ValueError(f"exporter '{exporter.name}' is registered twice")
        self._exporters[exporter.name] = exporter

    def add_project_importer(self, importer: ProjectImporter) -> None:
        if importer.name in self._project_importers:
            raise ValueError(f"project importer '{importer.name}' is registered twice")
        self._project_importers[importer.name] = importer

    def add_annotation_importer(self, importer: AnnotationImporter) -> None:
        if importer.name in self._annotation_importers:
            raise ValueError(f"annotation importer '{importer.name}' is registered twice")
        self._annotation_importers[importer.name] = importer

    def annotation_importer(self, name: str) -> AnnotationImporter:
        try:
            return self._annotation_importers[name]
        except KeyError:
            known = ", ".join(sorted(self._annotation_importers))
            raise NotFound(f"No annotation import format '{name}'; available: {known}.") from None

    def exporter(self, name: str) -> Exporter:
        try:
            return self._exporters[name]
        except KeyError:
            raise NotFound(f"No export format '{name}'; available: {', '.join(sorted(self._exporters))}.") from None

    def project_importer(self, name: str) -> ProjectImporter:
        try:
            return self._project_importers[name]
        except KeyError:
            known = ", ".join(sorted(self._project_importers))
            raise NotFound(f"No project import format '{name}'; available: {known}.") from None

    def names(self) -> dict[str, list[str]]:
        return {
            "exporters": sorted(self._exporters),
            "project_importers": sorted(self._project_importers),
            "annotation_importers": sorted(self._annotation_importers),
        }

    def describe(self) -> list[dict[str, object]]:
        """Every exporter with what it declares (name, version, extension, media type, shapes)."""
        return [
            {
                "name": e.name,
                "version": e.version,
                "extension": e.extension,
                "media_type": e.media_type,
                "shapes": list(e.shapes),
                "description": e.description,
            }
            for _, e in sorted(self._exporters.items())
        ]


def default_formats() -> FormatRegistry:
    from labelhub.formats.boxes3d import VolumeBoxesExporter
    from labelhub.formats.classifications import ClassificationsExporter
    from labelhub.formats.coco import CocoExporter
    from labelhub.formats.coco_import import CocoImporter
    from labelhub.formats.cvat import CvatImporter
    from labelhub.formats.dicom_seg import DicomSegExporter
    from labelhub.formats.labelstudio import LabelStudioImporter
    from labelhub.formats.masks import SemanticMaskExporter
    from labelhub.formats.native import NativeExporter, NativeImporter
    from labelhub.formats.ner_conll import NerConllExporter
    from labelhub.formats.ner_jsonl import NerJsonlExporter
    from labelhub.formats.ner_spacy import NerSpacyExporter
    from labelhub.formats.nifti_labels import NiftiLabelsExporter
    from labelhub.formats.voc import VocExporter
    from labelhub.formats.voc_import import VocImporter
    from labelhub.formats.yolo import TASKS, YoloExporter
    from labelhub.formats.yolo_import import YoloImporter

    reg = FormatRegistry()
    reg.add_exporter(NativeExporter())
    reg.add_exporter(CocoExporter())
    for task in TASKS:
        reg.add_exporter(YoloExporter(task))
    reg.add_exporter(VocExporter())
    reg.add_exporter(SemanticMaskExporter())
    reg.add_exporter(ClassificationsExporter("csv"))
    reg.add_exporter(ClassificationsExporter("jsonl"))
    reg.add_exporter(DicomSegExporter())
    for volume_or_text in (NiftiLabelsExporter(), VolumeBoxesExporter(), NerJsonlExporter(), NerConllExporter()):
        reg.add_exporter(volume_or_text)
    reg.add_exporter(NerSpacyExporter())
    reg.add_project_importer(NativeImporter())
    for importer in (CocoImporter(), YoloImporter(), VocImporter(), LabelStudioImporter(), CvatImporter()):
        reg.add_annotation_importer(importer)
    return reg


__all__ = ["FormatRegistry", "default_formats"]
