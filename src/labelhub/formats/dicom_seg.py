"""Volume segmentations of DICOM series as DICOM SEG objects, written by highdicom (``dicom-seg``).

Zip layout: ``seg/<stem>.dcm`` per volume task with at least one ``volume_mask``, and with
``include_media`` the volume blobs under ``volumes/``.

Each file is a BINARY Segmentation instance that references the **stored** series — the
de-identified instances kept beside the volume at import (``core.media.DICOM_HEADERS``), so its
patient, study and frame of reference are the de-identified ones and its per-frame references
name the de-identified SOP instance UIDs of the volume's slices (``slice_sop_instance_uids`` in
the volume header, in slice order ``k``).  One segment per ontology class present, numbered in
ontology order from 1, labelled with the class's name; every object of a class is merged into its
segment; frames without any voxel are omitted (highdicom's default).  Segment property codes: SNOMED
CT "Tissue" (85756007) for category and type, since the ontology has no coded concept yet — the
class name is in SegmentLabel.

Dropped with a reason in the report: volumes that are not DICOM series (NIfTI), series imported
before labelhub kept their headers (import them again), series built from one multi-frame file,
and the usual per-object reasons of the volume exports.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Any, BinaryIO

import numpy as np

from labelhub.core.formats import ExportOptions, ExportSource
from labelhub.core.media import DICOM_HEADERS
from labelhub.formats._common import ClassInfo, Report, Row, Unseekable, class_table, iter_rows, stem
from labelhub.formats.nifti_labels import copy_volume, volume_masks, volume_of

TISSUE = ("85756007", "SCT", "Tissue")
NOT_DICOM = "not a DICOM series (DICOM SEG needs DICOM source images; use nifti-labels)"
NO_HEADERS = "the series' DICOM headers were not kept at import (imported by an older labelhub): import it again"
MULTI_FRAME = "a series from one multi-frame file: not supported by the dicom-seg export yet (use nifti-labels)"


def _labelhub_version() -> str:
    try:
        return version("labelhub")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without metadata
        return "unknown"


class DicomSegExporter:
    name = "dicom-seg"
    version = "1.0"
    extension = "zip"
    media_type = "application/zip"
    description = "Volume segmentations of DICOM series as DICOM SEG (highdicom), referencing the stored series."
    shapes: tuple[str, ...] = ("volume_mask",)

    def export(
        self, source: ExportSource, out: BinaryIO, options: ExportOptions, progress: Callable[[int, int | None], None]
    ) -> dict[str, Any]:
        table = class_table(source)
        report = Report()
        total = source.count_items()
        with zipfile.ZipFile(Unseekable(out), "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for row in iter_rows(source, options, report):
                data = self._segmentation(source, row, table, report)
                if data is not None:
                    zf.writestr(f"seg/{stem(row.file_name)}.dcm", data)
                if options.include_media and row.item.asset.get("kind") == "volume":
                    copy_volume(source, zf, row, report)
                progress(report.images, total)
        progress(report.images, total)
        return report.as_dict()

    def _segmentation(self, source: ExportSource, row: Row, table: list[ClassInfo], report: Report) -> bytes | None:
        header = volume_of(source, row, report)
        if header is None:
            return None
        uids = [str(u) for u in header.get("slice_sop_instance_uids") or []]
        if not uids:
            report.drop(NOT_DICOM, row.item)
            return None
        if len(set(uids)) != len(uids):
            report.drop(MULTI_FRAME, row.item)
            return None
        shape = tuple(int(v) for v in header["shape"])
        merged: dict[str, np.ndarray[Any, Any]] = {}
        for class_id, mask in volume_masks(row, shape, {c.id for c in table}, report):
            merged[class_id] = merged[class_id] | mask if class_id in merged else mask
        if not merged:
            return None
        stream = source.open_companion(row.item.asset, DICOM_HEADERS)
        if stream is None:
            report.drop(NO_HEADERS, row.item)
            return None
        with stream:
            sources = _source_headers(stream.read(), uids)
        if sources is None:
            report.drop(NO_HEADERS, row.item)
            return None
        segments = [c for c in table if c.id in merged]
        pixels = np.stack([merged[c.id] for c in segments], axis=-1).astype(np.uint8)  # (k, rows, cols, segments)
        return _write(sources, pixels, segments, row)


def _source_headers(data: bytes, uids: list[str]) -> list[Any] | None:
    """The stored instances in the volume's slice order, or None when one is missing."""
    import pydicom

    by_uid = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            ds = pydicom.dcmread(io.BytesIO(zf.read(name)))
            by_uid[str(ds.SOPInstanceUID)] = ds
    if not all(u in by_uid for u in uids):
        return None
    return [by_uid[u] for u in uids]


def _write(sources: list[Any], pixels: np.ndarray[Any, Any], segments: list[ClassInfo], row: Row) -> bytes:
    import highdicom as hd
    from pydicom.sr.coding import Code

    tissue = Code(*TISSUE)
    descriptions = [
        hd.seg.SegmentDescription(
            segment_number=n,
            segment_label=c.name[:64],
            segmented_property_category=tissue,
            segmented_property_type=tissue,
            algorithm_type=hd.seg.SegmentAlgorithmTypeValues.MANUAL,
        )
        for n, c in enumerate(segments, start=1)
    ]
    seg = hd.seg.Segmentation(
        source_images=sources,
        pixel_array=pixels,
        segmentation_type=hd.seg.SegmentationTypeValues.BINARY,
        segment_descriptions=descriptions,
        series_instance_uid=hd.UID(),
        series_number=900,
        sop_instance_uid=hd.UID(),
        instance_number=1,
        manufacturer="labelhub",
        manufacturer_model_name="labelhub",
        software_versions=_labelhub_version(),
        device_serial_number="labelhub",
        series_description="labelhub segmentation",
        content_description=f"labelhub task {row.item.task_id}"[:64],
    )
    out = io.BytesIO()
    seg.save_as(out)
    return out.getvalue()


__all__ = ["DicomSegExporter"]
