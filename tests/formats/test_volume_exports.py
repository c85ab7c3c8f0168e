"""Volume exports through the API: a NIfTI label map read back with nibabel (affine and voxels
checked numerically, for a NIfTI source and an oblique DICOM series), and 3-D boxes in voxel and
patient coordinates."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import nibabel as nib
import numpy as np
import orjson
import pytest

from labelhub.media.volume import decode
from tests.conftest import Api
from tests.media.dicom_samples import synthetic_series, to_bytes

DATA = Path(nib.__file__).parent / "tests" / "data"
ONTOLOGY = {
    "classes": [
        {"id": "liver", "name": "Liver", "tool": "volume_mask"},
        {"id": "tumor", "name": "Tumor", "tool": "volume_mask"},
        {"id": "lesion", "name": "Lesion", "tool": "volume_box"},
    ]
}


def rle3d(mask_kji: np.ndarray[Any, Any]) -> dict[str, Any]:
    """Column-major runs over [depth, height, width], as the browser writes them."""
    flat = mask_kji.ravel(order="F").astype(np.int8)
    change = np.flatnonzero(np.diff(flat)) + 1
    bounds = np.concatenate(([0], change, [flat.size]))
    runs = np.diff(bounds).tolist()
    if flat[0]:
        runs = [0, *runs]
    return {"size": list(mask_kji.shape), "counts": runs}


def project(m: Api, lab: Api) -> int:
    pid = int(m.post("/api/v1/projects", json={"name": "vol", "ontology": ONTOLOGY}).json()["id"])
    member = {"username": lab.username, "role": "labeler"}
    assert m.put(f"/api/v1/projects/{pid}/members", json=member).status_code == 204
    return pid


def import_series(m: Api, pid: int, series: list[tuple[int, Any]]) -> dict[str, Any]:
    """A DICOM series zipped and imported (job); the project's one asset, the volume."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for k, ds in series:
            zf.writestr(f"s/IM{k}", to_bytes(ds))
    job = m.post(f"/api/v1/projects/{pid}/imports", files={"file": ("ct.zip", buf.getvalue())})
    assert m.wait_job(job.json()["id"])["state"] == "succeeded"
    (volume,) = m.get(f"/api/v1/projects/{pid}/assets").json()["items"]
    return dict(volume)


def export(m: Api, pid: int, fmt: str) -> tuple[bytes, dict[str, Any]]:
    job = m.post(f"/api/v1/projects/{pid}/exports", json={"format": fmt})
    assert job.status_code == 202, job.text
    done = m.wait_job(job.json()["id"])
    assert done["state"] == "succeeded", done
    return m.get(f"/api/v1/jobs/{done['id']}/download").content, done["result"]["report"]


def submit(lab: Api, pid: int, objects: list[dict[str, Any]]) -> dict[str, Any]:
    task = lab.post(f"/api/v1/projects/{pid}/next-task").json()["task"]
    r = lab.post(f"/api/v1/tasks/{task['id']}/submit", json={"body": {"objects": objects, "classifications": {}}})
    assert r.status_code == 201, r.text
    return dict(task)


def test_nifti_label_map_keeps_the_source_affine_and_voxels(users: dict[str, Api], tmp_path: Path) -> None:
    m, lab = users["manager"], users["labeler"]
    pid = project(m, lab)
    source = nib.load(DATA / "anatomical.nii")  # an LAS file: x runs right-to-left
    r = m.post(f"/api/v1/projects/{pid}/assets", files={"file": ("anat.nii", (DATA / "anatomical.nii").read_bytes())})
    assert r.status_code == 201, r.text
    asset = r.json()
    ni, nj, nk = source.shape[:3]
    assert (asset["width"], asset["height"], asset["depth"]) == (ni, nj, nk)
    liver = np.zeros((nk, nj, ni), dtype=bool)  # (k, j, i)
    liver[2:5, 10:20, 5:9] = True
    tumor = np.zeros_like(liver)
    tumor[3, 12, 6] = True  # inside the liver: later objects win
    tumor[0, 0, 0] = True  # a corner voxel
    objects = [
        {"id": "a", "class_id": "liver", "geometry": {"type": "volume_mask", "rle": rle3d(liver)}},
        {"id": "b", "class_id": "tumor", "geometry": {"type": "volume_mask", "rle": rle3d(tumor)}},
    ]
    submit(lab, pid, objects)
    data, report = export(m, pid, "nifti-labels")
    assert report["objects"] == 2 and report["dropped_total"] == 0
    zf = zipfile.ZipFile(io.BytesIO(data))
    legend = orjson.loads(zf.read("labels.json"))["labels"]
    assert [(x["value"], x["class_id"]) for x in legend] == [(0, None), (1, "liver"), (2, "tumor"), (3, "lesion")]
    path = tmp_path / "anat.nii.gz"
    path.write_bytes(zf.read("labels/anat.nii.gz"))
    out = nib.load(path)
    np.testing.assert_allclose(out.affine, source.affine, atol=1e-4)  # the source's own affine
    assert nib.aff2axcodes(out.affine) == nib.aff2axcodes(source.affine) == ("L", "A", "S")
    labels = np.asanyarray(out.dataobj)
    assert labels.shape == (ni, nj, nk) and labels.dtype == np.uint8
    expected = np.zeros((ni, nj, nk), dtype=np.uint8)
    expected[np.transpose(liver, (2, 1, 0))] = 1
    expected[np.transpose(tumor, (2, 1, 0))] = 2
    assert np.array_equal(labels, expected)
    assert labels[6, 12, 3] == 2 and labels[0, 0, 0] == 2 and labels[5, 10, 2] == 1
    # The world point of a labelled voxel is the same in the source image and the label map.
    src_world = source.affine @ np.array([8, 19, 4, 1.0])
    assert labels[8, 19, 4] == 1
    np.testing.assert_allclose(out.affine @ np.array([8, 19, 4, 1.0]), src_world, atol=1e-4)


def test_dicom_series_label_map_is_ras_of_the_lps_affine(users: dict[str, Api], tmp_path: Path) -> None:
    """An oblique series: the exported RAS affine maps each voxel to the DICOM position, x and y negated."""
    m, lab = users["manager"], users["labeler"]
    pid = project(m, lab)
    c, s = np.cos(np.radians(30)), np.sin(np.radians(30))
    series = synthetic_series(6, orientation=(c, s, 0, -s, c, 0), origin=(-10.0, -20.0, 30.0))
    volume = import_series(m, pid, series)
    header, _ = decode(io.BytesIO(m.get(f"/api/v1/assets/{volume['id']}/content").content))
    shape = tuple(header["shape"])
    mask = np.zeros(shape, dtype=bool)
    mask[4, 3, 7] = True  # slice k=4, row j=3, column i=7
    submit(lab, pid, [{"id": "a", "class_id": "tumor", "geometry": {"type": "volume_mask", "rle": rle3d(mask)}}])
    data, _ = export(m, pid, "nifti-labels")
    zf = zipfile.ZipFile(io.BytesIO(data))
    (name,) = [n for n in zf.namelist() if n.startswith("labels/") and n.endswith(".nii.gz")]
    path = tmp_path / "ct.nii.gz"
    path.write_bytes(zf.read(name))
    out = nib.load(path)
    labels = np.asanyarray(out.dataobj)
    assert list(zip(*np.nonzero(labels), strict=True)) == [(7, 3, 4)]
    # DICOM: position of voxel (i, j, k) = IPP_k + i * row_dir * col_spacing + j * col_dir * row_spacing.
    ipp = np.array([float(v) for v in dict(series)[4].ImagePositionPatient])
    row_dir, col_dir = np.array([c, s, 0.0]), np.array([-s, c, 0.0])
    lps = ipp + 7 * row_dir * 0.75 + 3 * col_dir * 0.5
    ras = out.affine @ np.array([7, 3, 4, 1.0])
    np.testing.assert_allclose(ras[:3], [-lps[0], -lps[1], lps[2]], atol=1e-3)
    assert int(out.header["qform_code"]) == 1 and int(out.header["sform_code"]) == 1


def test_volume_boxes_in_voxels_and_millimetres(users: dict[str, Api]) -> None:
    m, lab = users["manager"], users["labeler"]
    pid = project(m, lab)
    r = m.post(f"/api/v1/projects/{pid}/assets", files={"file": ("anat.nii", (DATA / "anatomical.nii").read_bytes())})
    asset = r.json()
    box = {"id": "b1", "class_id": "lesion", "geometry": {"type": "volume_box", "xyzxyz": [2, 3, 1, 6, 9, 4]}}
    submit(lab, pid, [box])
    data, report = export(m, pid, "volume-boxes")
    assert report["objects"] == 1
    doc = orjson.loads(data)
    (vol,) = doc["volumes"]
    (b,) = vol["boxes"]
    assert vol["asset_id"] == asset["id"] and b["xyzxyz"] == [2, 3, 1, 6, 9, 4]
    assert b["voxel_min"] == [2, 3, 1] and b["voxel_max"] == [5, 8, 3]
    source = nib.load(DATA / "anatomical.nii")
    ras_first = source.affine @ np.array([1.5, 2.5, 0.5, 1.0])  # the corner (x1, y1, z1) = voxel edge
    assert b["corners_ras_mm"][0] == pytest.approx(ras_first[:3].tolist(), abs=1e-3)
    assert b["corners_lps_mm"][0] == pytest.approx([-ras_first[0], -ras_first[1], ras_first[2]], abs=1e-3)
    zooms = source.header.get_zooms()[:3]
    assert b["size_mm"] == pytest.approx([4 * zooms[0], 6 * zooms[1], 3 * zooms[2]], abs=1e-3)
    centre = source.affine @ np.array([3.5, 5.5, 2.0, 1.0])
    assert b["center_lps_mm"] == pytest.approx([-centre[0], -centre[1], centre[2]], abs=1e-3)


def test_volume_exports_skip_other_kinds_with_a_reason(users: dict[str, Api]) -> None:
    m, lab = users["manager"], users["labeler"]
    pid = project(m, lab)
    m.post(f"/api/v1/projects/{pid}/assets", files={"file": ("t.txt", b"just text")})
    for fmt in ("nifti-labels", "volume-boxes"):
        _, report = export(m, pid, fmt)
        assert report["dropped"] == {"not a volume": 1} and report["images"] == 0
