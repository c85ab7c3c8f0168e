"""DICOM SEG export through the API, read back with highdicom: it references the stored
(de-identified) series instance by instance, each segment's voxels are where they were painted,
and no original patient value reaches the file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pytest

from labelhub.media.volume import decode
from tests.conftest import Api
from tests.formats.test_volume_exports import DATA, export, import_series, project, rle3d, submit
from tests.media.dicom_samples import synthetic_series

hd = pytest.importorskip("highdicom")


def test_dicom_seg_references_the_stored_series_and_keeps_every_voxel(users: dict[str, Api]) -> None:
    m, lab = users["manager"], users["labeler"]
    pid = project(m, lab)
    volume = import_series(m, pid, synthetic_series(6, patient="DOE^JANE"))
    header, _ = decode(io.BytesIO(m.get(f"/api/v1/assets/{volume['id']}/content").content))
    shape = tuple(header["shape"])  # (k, rows, cols)
    liver = np.zeros(shape, dtype=bool)
    liver[1:4, 2:9, 3:12] = True
    tumor = np.zeros(shape, dtype=bool)
    tumor[2, 5, 6] = True  # inside the liver: a BINARY SEG keeps both segments
    tumor[5, 15, 19] = True  # the last slice's far corner
    extra_liver = np.zeros(shape, dtype=bool)
    extra_liver[0, 0, 0] = True  # a second liver object merges into the same segment
    objects = [
        {"id": "a", "class_id": "liver", "geometry": {"type": "volume_mask", "rle": rle3d(liver)}},
        {"id": "b", "class_id": "tumor", "geometry": {"type": "volume_mask", "rle": rle3d(tumor)}},
        {"id": "c", "class_id": "liver", "geometry": {"type": "volume_mask", "rle": rle3d(extra_liver)}},
    ]
    submit(lab, pid, objects)
    data, report = export(m, pid, "dicom-seg")
    assert report["objects"] == 3 and report["dropped_total"] == 0, report
    zf = zipfile.ZipFile(io.BytesIO(data))
    (name,) = [n for n in zf.namelist() if n.startswith("seg/")]
    assert [n for n in zf.namelist() if n.startswith("volumes/")] == [name.replace("seg/", "volumes/")[:-4] + ".lhvol"]
    raw = zf.read(name)
    assert b"DOE^JANE" not in raw and b"PID-4711" not in raw
    seg = hd.seg.segread(io.BytesIO(raw))
    assert seg.Modality == "SEG" and str(seg.SegmentationType) == "BINARY"
    assert [s.SegmentLabel for s in seg.SegmentSequence] == ["Liver", "Tumor"]
    uids = [str(u) for u in header["slice_sop_instance_uids"]]
    assert seg.ReferencedSeriesSequence[0].SeriesInstanceUID == header["series_instance_uid"]
    assert str(seg.FrameOfReferenceUID) == header["frame_of_reference_uid"]
    pixels = seg.get_pixels_by_source_instance(
        source_sop_instance_uids=uids, segment_numbers=[1, 2], assert_missing_frames_are_empty=True
    )
    assert pixels.shape == (*shape, 2)
    assert np.array_equal(pixels[..., 0].astype(bool), liver | extra_liver)
    assert np.array_equal(pixels[..., 1].astype(bool), tumor)


def test_dicom_seg_drops_what_it_cannot_reference_with_a_reason(users: dict[str, Api]) -> None:
    m, lab = users["manager"], users["labeler"]
    pid = project(m, lab)
    r = m.post(f"/api/v1/projects/{pid}/assets", files={"file": ("anat.nii", (DATA / "anatomical.nii").read_bytes())})
    assert r.status_code == 201, r.text
    header, _ = decode(io.BytesIO(m.get(f"/api/v1/assets/{r.json()['id']}/content").content))
    mask = np.zeros(tuple(header["shape"]), dtype=bool)
    mask[1, 1, 1] = True
    submit(lab, pid, [{"id": "a", "class_id": "liver", "geometry": {"type": "volume_mask", "rle": rle3d(mask)}}])
    data, report = export(m, pid, "dicom-seg")
    assert not [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("seg/")]
    assert report["dropped"] == {"not a DICOM series (DICOM SEG needs DICOM source images; use nifti-labels)": 1}


def test_a_series_imported_without_its_headers_is_reported_not_broken(
    users: dict[str, Api], platform: Any, tmp_path: Path
) -> None:
    """A series stored by an older labelhub has no headers companion: the export says to re-import."""
    from labelhub.core.media import DICOM_HEADERS
    from labelhub.services.ingest import companion_key

    m, lab = users["manager"], users["labeler"]
    pid = project(m, lab)
    volume = import_series(m, pid, synthetic_series(4))
    header, _ = decode(io.BytesIO(m.get(f"/api/v1/assets/{volume['id']}/content").content))
    from labelhub.db.tables import Asset

    with platform.deps.db.read() as s:
        key = s.get(Asset, volume["id"]).storage_key
    platform.deps.blobs.delete(companion_key(key, DICOM_HEADERS))
    mask = np.zeros(tuple(header["shape"]), dtype=bool)
    mask[0, 0, 0] = True
    submit(lab, pid, [{"id": "a", "class_id": "tumor", "geometry": {"type": "volume_mask", "rle": rle3d(mask)}}])
    _, report = export(m, pid, "dicom-seg")
    assert list(report["dropped"]) == [
        "the series' DICOM headers were not kept at import (imported by an older labelhub): import it again"
    ]


def test_stored_headers_are_de_identified_and_carry_no_pixels(users: dict[str, Api], platform: Any) -> None:
    from labelhub.core.media import DICOM_HEADERS
    from labelhub.db.tables import Asset
    from labelhub.services.ingest import companion_key

    m, lab = users["manager"], users["labeler"]
    pid = project(m, lab)
    volume = import_series(m, pid, synthetic_series(3, patient="ROE^RICHARD"))
    with platform.deps.db.read() as s:
        key = s.get(Asset, volume["id"]).storage_key
    with platform.deps.blobs.open(companion_key(key, DICOM_HEADERS)) as f:
        stored = zipfile.ZipFile(io.BytesIO(f.read()))
    assert len(stored.namelist()) == 3
    for n in stored.namelist():
        raw = stored.read(n)
        assert b"ROE^RICHARD" not in raw and b"PID-4711" not in raw
        ds = pydicom.dcmread(io.BytesIO(raw))
        assert "PixelData" not in ds and ds.PatientIdentityRemoved == "YES"
