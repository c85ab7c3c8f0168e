"""Volume segmentations as NIfTI-1 label maps with the source's affine (``nifti-labels``).

Zip layout: ``labels/<stem>.nii.gz`` per volume asset (``uint8``, or ``uint16`` past 255
classes), ``labels.json`` (value -> class id, name, colour; 0 is background) and, with
``include_media``, the volume blobs under ``volumes/``.

Geometry (``docs/medical.md``): the volume blob holds voxels ``(k, j, i)`` and ``affine_lps``
mapping voxel index ``(i, j, k)`` (voxel centres) to DICOM patient coordinates (LPS, mm).  NIfTI
wants voxel -> RAS+, so the label map's data is indexed ``[i, j, k]`` and its affine is
``diag(-1, -1, 1, 1) @ affine_lps``; both the qform and the sform carry it (code 1, scanner).  For
a NIfTI source this is exactly the uploaded file's affine (its voxels were never resampled).

``volume_mask`` RLE (``size`` ``[depth, height, width]``, runs over the column-major flattening,
as the browser writes it) is painted with the class's value, 1 + the class's position in the
current ontology (the numbering of every labelhub export); later objects win where masks
overlap.  A mask whose size is not the volume's is dropped and reported.
"""

from __future__ import annotations

import gzip
import struct
import zipfile
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt
import orjson

from labelhub.core import rle as rle_codec
from labelhub.core.errors import InvalidInput
from labelhub.core.formats import ExportOptions, ExportSource
from labelhub.formats._common import Report, Row, Unseekable, class_table, iter_rows, stem

MAGIC = b"LHVOL\x00"
LPS_TO_RAS = np.diag([-1.0, -1.0, 1.0, 1.0])


def read_volume_header(stream: BinaryIO) -> dict[str, Any]:
    """The JSON header of a labelhub volume blob (``docs/medical.md``), without the voxels."""
    head = stream.read(12)
    if len(head) < 12 or not head.startswith(MAGIC):
        raise InvalidInput("the stored volume is not a labelhub volume blob: re-import the source")
    _version, length = struct.unpack("<HI", head[6:12])
    if length > 1 << 20:
        raise InvalidInput("the stored volume's header is too large: re-import the source")
    header: dict[str, Any] = orjson.loads(stream.read(length))
    return header


def volume_header(source: ExportSource, asset: dict[str, Any]) -> dict[str, Any] | None:
    stream = source.open_media(asset)
    if stream is None:
        return None
    with stream:
        return read_volume_header(stream)


def volume_of(source: ExportSource, row: Row, report: Report) -> dict[str, Any] | None:
    """The row's volume header, or None after reporting why the row has none."""
    if row.item.asset.get("kind") != "volume":
        report.images -= 1
        report.splits[row.split] -= 1
        report.drop("not a volume", row.item)
        return None
    header = volume_header(source, row.item.asset)
    if header is None:
        report.drop("the volume's data is not readable", row.item)
    return header


def copy_volume(source: ExportSource, zf: zipfile.ZipFile, row: Row, report: Report) -> None:
    """The row's volume blob into the zip as ``volumes/<stem>.lhvol`` (``include_media``)."""
    media = source.open_media(row.item.asset)
    if media is None:
        return
    with media, zf.open(f"volumes/{stem(row.file_name)}.lhvol", "w") as dst:
        while chunk := media.read(1 << 20):
            dst.write(chunk)
    report.media += 1


def volume_masks(
    row: Row, shape: tuple[int, ...], classes: set[str], report: Report, *, polygons: bool = False
) -> Iterator[tuple[str, Any]]:
    """(class id, voxels) of each usable ``volume_mask`` of the row, counted in the report; the
    voxels index an array ``(k, j, i)`` (a bool mask, or index arrays for a polygon).  With
    ``polygons``, ``volume_polygon`` objects are rasterized too and come after the masks (so they
    win where they overlap).  Every other object is dropped with its reason (boxes silently: they
    have their own export)."""
    later: list[tuple[str, Any]] = []
    for obj in row.objects:
        geometry = obj.get("geometry") or {}
        kind = geometry.get("type")
        if kind == "volume_polygon" and polygons:
            class_id = str(obj.get("class_id"))
            if class_id not in classes:
                report.drop(f"class '{class_id}' is not in the current ontology", row.item, obj)
                continue
            try:
                index = polygon_voxels(geometry, shape)
            except (ValueError, TypeError, KeyError, IndexError):
                report.drop("polygon is malformed", row.item, obj)
                continue
            if index is None:
                report.drop("polygon covers no voxel centre", row.item, obj)
                continue
            report.objects += 1
            report.shapes["volume_polygon"] += 1
            later.append((class_id, index))
            continue
        if kind != "volume_mask":
            if kind != "volume_box":  # boxes go to the volume-boxes export; not an error
                report.drop(f"unsupported shape {kind}", row.item, obj)
            continue
        class_id = str(obj.get("class_id"))
        if class_id not in classes:
            report.drop(f"class '{class_id}' is not in the current ontology", row.item, obj)
            continue
        rle = geometry.get("rle") or {}
        if tuple(int(v) for v in rle.get("size", ())) != shape:
            report.drop("mask size is not the volume's", row.item, obj)
            continue
        try:
            mask = decode_volume_mask(rle)
        except (ValueError, TypeError, KeyError):
            report.drop("mask runs are malformed", row.item, obj)
            continue
        if not mask.any():
            report.drop("empty mask", row.item, obj)
            continue
        report.objects += 1
        report.shapes["volume_mask"] += 1
        yield class_id, mask
    yield from later


_AXIS = {"i": 0, "j": 1, "k": 2}


def polygon_voxels(geometry: dict[str, Any], shape: tuple[int, ...]) -> tuple[Any, ...] | None:
    """Index arrays into a ``(k, j, i)`` array of the voxels of one ``volume_polygon``: those of
    its slice whose centre (``n + 0.5``) lies inside the polygon (even-odd rule); None if none."""
    axis = _AXIS[geometry["axis"]]
    s = int(geometry["slice"])
    pts = np.asarray(geometry["points"], dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) < 3:
        raise ValueError("a polygon needs 3 or more [a, b] points")
    dims_ijk = (shape[2], shape[1], shape[0])
    a_axis, b_axis = (n for n in range(3) if n != axis)
    if not 0 <= s < dims_ijk[axis]:
        raise ValueError("slice outside the volume")
    lo = np.maximum(np.floor(pts.min(axis=0)).astype(int), 0)
    hi = np.minimum(np.ceil(pts.max(axis=0)).astype(int), [dims_ijk[a_axis], dims_ijk[b_axis]])
    if (hi <= lo).any():
        return None
    ca, cb = np.meshgrid(np.arange(lo[0], hi[0]) + 0.5, np.arange(lo[1], hi[1]) + 0.5, indexing="ij")
    inside = np.zeros(ca.shape, dtype=bool)
    x1, y1 = pts[:, 0], pts[:, 1]
    x2, y2 = np.roll(x1, -1), np.roll(y1, -1)
    for ax, ay, bx, by in zip(x1, y1, x2, y2, strict=True):
        if ay == by:
            continue
        crosses = (ay > cb) != (by > cb)
        x_at = ax + (cb - ay) * (bx - ax) / (by - ay)
        inside ^= crosses & (ca < x_at)
    ia, ib = np.nonzero(inside)
    if ia.size == 0:
        return None
    ijk: list[Any] = [None, None, None]
    ijk[axis] = np.full(ia.size, s)
    ijk[a_axis] = ia + lo[0]
    ijk[b_axis] = ib + lo[1]
    return (ijk[2], ijk[1], ijk[0])


def decode_volume_mask(rle: dict[str, Any]) -> npt.NDArray[np.bool_]:
    """``{"size": [D, H, W], "counts"}`` -> bool array ``(D, H, W)`` = ``(k, j, i)``."""
    d, h, w = (int(v) for v in rle["size"])
    counts = rle_codec.counts_list(rle["counts"])
    if sum(counts) != d * h * w:
        raise ValueError("runs do not sum to the voxel count")
    values = np.zeros(len(counts), dtype=bool)
    values[1::2] = True
    flat = np.repeat(values, counts)
    return flat.reshape((d, h, w), order="F")


def nifti_bytes(labels_kji: npt.NDArray[Any], affine_lps: npt.NDArray[np.float64]) -> bytes:
    """A gzipped NIfTI-1 file of ``labels_kji`` written as ``[i, j, k]`` with the RAS affine."""
    import nibabel as nib

    data = np.ascontiguousarray(np.transpose(labels_kji, (2, 1, 0)))
    affine = LPS_TO_RAS @ affine_lps
    img = nib.Nifti1Image(data, affine)  # type: ignore[no-untyped-call]
    img.header.set_qform(affine, code=1)  # type: ignore[no-untyped-call]
    img.header.set_sform(affine, code=1)  # type: ignore[no-untyped-call]
    img.header.set_xyzt_units("mm")  # type: ignore[no-untyped-call]
    img.header["descrip"] = b"labelhub label map"
    raw = img.to_bytes()
    return gzip.compress(raw, compresslevel=6, mtime=0)


class NiftiLabelsExporter:
    name = "nifti-labels"
    version = "1.0"
    extension = "zip"
    media_type = "application/zip"
    description = (
        "Volume segmentations as NIfTI label maps (.nii.gz) with the source's affine (RAS); "
        "slice polygons filled on their slice."
    )
    shapes: tuple[str, ...] = ("volume_mask", "volume_polygon")

    def export(
        self, source: ExportSource, out: BinaryIO, options: ExportOptions, progress: Callable[[int, int | None], None]
    ) -> dict[str, Any]:
        table = class_table(source)
        value_of = {c.id: c.index + 1 for c in table}
        dtype = np.uint8 if len(table) <= 255 else np.uint16
        report = Report()
        total = source.count_items()
        with zipfile.ZipFile(Unseekable(out), "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for row in iter_rows(source, options, report):
                header = volume_of(source, row, report)
                if header is None:
                    continue
                shape = tuple(int(v) for v in header["shape"])
                labels = np.zeros(shape, dtype=dtype)
                for class_id, mask in volume_masks(row, shape, set(value_of), report, polygons=True):
                    labels[mask] = value_of[class_id]
                affine = np.asarray(header["affine_lps"], dtype=np.float64)
                zf.writestr(f"labels/{stem(row.file_name)}.nii.gz", nifti_bytes(labels, affine))
                if options.include_media:
                    copy_volume(source, zf, row, report)
                progress(report.images, total)
            legend = [{"value": 0, "class_id": None, "name": "background"}] + [
                {"value": c.index + 1, "class_id": c.id, "name": c.name, "color": c.color} for c in table
            ]
            zf.writestr("labels.json", orjson.dumps({"labels": legend}, option=orjson.OPT_INDENT_2))
        progress(report.images, total)
        return report.as_dict()


__all__ = [
    "NiftiLabelsExporter",
    "copy_volume",
    "decode_volume_mask",
    "nifti_bytes",
    "polygon_voxels",
    "read_volume_header",
    "volume_header",
    "volume_masks",
    "volume_of",
]
