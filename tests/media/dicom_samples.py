"""Real DICOM files from pydicom's wheel (only those present locally: nothing is downloaded),
and synthetic series built from them for the geometry tests."""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

# Files that ship inside the pydicom wheel (get_testdata_file returns None, never downloads, for others).
LOCAL = (
    "CT_small.dcm",
    "MR_small.dcm",
    "MR_small_RLE.dcm",
    "MR_small_jp2klossless.dcm",
    "MR_small_jpeg_ls_lossless.dcm",
    "MR_small_bigendian.dcm",
    "MR_small_implicit.dcm",
    "JPEG2000.dcm",
    "examples_overlay.dcm",
    "liver_1frame.dcm",
    "rtdose_1frame.dcm",
    "SC_rgb.dcm",
    "US1_UNCR.dcm",
    "emri_small.dcm",
)


def sample(name: str) -> Path:
    path = get_testdata_file(name, download=False)
    assert path is not None, f"{name} is not in the pydicom wheel"
    return Path(str(path))


def present(names: tuple[str, ...] = LOCAL) -> list[str]:
    return [n for n in names if get_testdata_file(n, download=False) is not None]


def to_bytes(ds: Dataset) -> bytes:
    out = io.BytesIO()
    pydicom.dcmwrite(out, ds, enforce_file_format=True)
    return out.getvalue()


def synthetic_series(
    n: int = 12,
    *,
    rows: int = 16,
    cols: int = 20,
    spacing: float = 2.5,
    orientation: tuple[float, ...] = (1, 0, 0, 0, 1, 0),
    origin: tuple[float, float, float] = (-10.0, -20.0, 30.0),
    slope: float = 1.0,
    intercept: float = -1024.0,
    patient: str = "DOE^JANE",
) -> list[tuple[int, Dataset]]:
    """``n`` CT slices of one series (``(slice index along the normal, dataset)``), built from
    CT_small's header; voxel value = 100 * slice index + row (stored, before rescale)."""
    base = pydicom.dcmread(sample("CT_small.dcm"))
    row, col = np.array(orientation[:3], float), np.array(orientation[3:], float)
    normal = np.cross(row, col)
    study, series, frame = generate_uid(), generate_uid(), generate_uid()
    out: list[tuple[int, Dataset]] = []
    for k in range(n):
        ds = copy.deepcopy(base)
        ds.PatientName, ds.PatientID = patient, "PID-4711"
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame
        ds.SOPInstanceUID = generate_uid()
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.InstanceNumber = n - k  # deliberately reversed: order must come from geometry
        ds.ImageOrientationPatient = [float(v) for v in orientation]
        ds.ImagePositionPatient = [float(v) for v in np.array(origin) + normal * spacing * k]
        ds.Rows, ds.Columns = rows, cols
        ds.PixelSpacing = [0.5, 0.75]
        ds.RescaleSlope, ds.RescaleIntercept = slope, intercept
        pixels = (np.arange(rows)[:, None] + 100 * k + np.zeros((1, cols))).astype(np.int16)
        ds.PixelData = pixels.tobytes()
        out.append((k, ds))
    return out


def walk(ds: Dataset, path: str = "") -> list[tuple[str, int, Any, str]]:
    """``(path, tag, value, VR)`` of every element, through sequences."""
    found = []
    for elem in ds:
        name = f"{path}{elem.keyword or elem.tag}"
        if elem.VR == "SQ":
            for i, item in enumerate(elem.value):
                found += walk(item, f"{name}[{i}]>")
        else:
            found.append((name, int(elem.tag), elem.value, str(elem.VR)))
    return found
