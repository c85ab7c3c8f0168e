"""Slice polygons in exports: nifti-labels fills them on their slice (read back with nibabel and
checked voxel by voxel), every other exporter finishes and drops them with a reason."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import nibabel as nib
import numpy as np

from labelhub.formats.nifti_labels import polygon_voxels
from labelhub.formats.registry import default_formats
from tests.conftest import Api
from tests.formats.test_volume_exports import DATA, export, rle3d

ONTOLOGY = {
    "classes": [
        {"id": "liver", "name": "Liver", "tool": "volume_mask"},
        {"id": "lesion", "name": "Lesion", "tool": "volume_polygon"},
    ],
    "classifications": [
        {"id": "finding", "kind": "radio", "scope": "slice", "options": [{"id": "none"}, {"id": "yes"}]}
    ],
}


def inside(points: list[list[float]], x: float, y: float) -> bool:
    """Even-odd rule, one point at a time (the reference for the vectorized rasterizer)."""
    hit = False
    for n, (ax, ay) in enumerate(points):
        bx, by = points[(n + 1) % len(points)]
        if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
            hit = not hit
    return hit


def test_polygon_voxels_match_a_point_by_point_reference() -> None:
    shape = (7, 20, 16)  # (k, j, i)
    tri = [[0.5, 0.2], [15.7, 3.3], [6.1, 6.9]]  # axis j: points are [i, k]
    index = polygon_voxels({"axis": "j", "slice": 4, "points": tri}, shape)
    got = np.zeros(shape, bool)
    assert index is not None
    got[index] = True
    want = np.zeros(shape, bool)
    for k in range(7):
        for i in range(16):
            want[k, 4, i] = inside(tri, i + 0.5, k + 0.5)
    assert want.sum() > 10 and np.array_equal(got, want)
    assert polygon_voxels({"axis": "k", "slice": 0, "points": [[1.1, 1.1], [1.4, 1.1], [1.4, 1.4]]}, shape) is None


def test_nifti_labels_fill_slice_polygons_and_other_exporters_drop_them(users: dict[str, Api], tmp_path: Path) -> None:
    m, lab = users["manager"], users["labeler"]
    pid = int(m.post("/api/v1/projects", json={"name": "polys", "ontology": ONTOLOGY}).json()["id"])
    assert (
        m.put(f"/api/v1/projects/{pid}/members", json={"username": lab.username, "role": "labeler"}).status_code == 204
    )
    source = nib.load(DATA / "anatomical.nii")
    r = m.post(f"/api/v1/projects/{pid}/assets", files={"file": ("anat.nii", (DATA / "anatomical.nii").read_bytes())})
    assert r.status_code == 201, r.text
    ni, nj, nk = source.shape[:3]
    liver = np.zeros((nk, nj, ni), dtype=bool)
    liver[1:4, 2:12, 1:9] = True
    rect = [[2, 3], [6, 3], [6, 9], [2, 9]]  # axis k, slice 2: voxels i 2..5, j 3..8
    objects = [
        {"id": "a", "class_id": "liver", "geometry": {"type": "volume_mask", "rle": rle3d(liver)}},
        {
            "id": "p",
            "class_id": "lesion",
            "geometry": {"type": "volume_polygon", "axis": "k", "slice": 2, "points": rect},
        },
    ]
    task = lab.post(f"/api/v1/projects/{pid}/next-task").json()["task"]
    body = {"objects": objects, "classifications": {}, "slice_classifications": {"2": {"finding": "yes"}}}
    r = lab.post(f"/api/v1/tasks/{task['id']}/submit", json={"body": body})
    assert r.status_code == 201, r.text

    data, report = export(m, pid, "nifti-labels")
    assert report["objects"] == 2 and report["shapes"] == {"volume_mask": 1, "volume_polygon": 1}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith(".nii.gz")]
        path = tmp_path / "labels.nii.gz"
        path.write_bytes(zf.read(name))
    img = nib.load(path)
    got = np.asarray(img.dataobj)  # [i, j, k]
    want = np.zeros((ni, nj, nk), dtype=got.dtype)
    want[np.transpose(liver, (2, 1, 0))] = 1
    want[2:6, 3:9, 2] = 2  # the polygon wins over the mask on its slice
    assert np.array_equal(got, want)
    assert np.allclose(img.affine, source.affine, atol=1e-4)

    csv_data, _ = export(m, pid, "classifications-csv")
    assert "finding" not in csv_data.decode().splitlines()[0]  # a slice question is no column

    for fmt in sorted(e["name"] for e in default_formats().describe()):
        if fmt == "nifti-labels":
            continue
        _, rep = export(m, pid, str(fmt))  # finishes (export asserts the job succeeded)
        if fmt == "volume-boxes":  # (dicom-seg drops the whole NIfTI-sourced row first)
            assert any("volume_polygon" in reason for reason in rep.get("dropped", {})), (fmt, rep)


def test_slice_answer_outside_the_volume_is_a_400(users: dict[str, Any]) -> None:
    m, lab = users["manager"], users["labeler"]
    pid = int(m.post("/api/v1/projects", json={"name": "polys2", "ontology": ONTOLOGY}).json()["id"])
    assert (
        m.put(f"/api/v1/projects/{pid}/members", json={"username": lab.username, "role": "labeler"}).status_code == 204
    )
    m.post(f"/api/v1/projects/{pid}/assets", files={"file": ("anat.nii", (DATA / "anatomical.nii").read_bytes())})
    task = lab.post(f"/api/v1/projects/{pid}/next-task").json()["task"]
    bad = {"objects": [], "classifications": {}, "slice_classifications": {"999": {"finding": "yes"}}}
    r = lab.post(f"/api/v1/tasks/{task['id']}/submit", json={"body": bad})
    assert r.status_code == 400 and "axial slice index in 0.." in r.text, r.text
