"""DICOM through the API: de-identified before storage, series become volumes, corrupt files are
reported while the rest imports, burned-in suspects are quarantined, and no PHI lands anywhere."""

from __future__ import annotations

import io
import logging
import zipfile

import orjson
import pydicom
import pytest

from labelhub.media.volume import decode
from labelhub.wiring import Platform
from tests.conftest import Api, png_bytes
from tests.media.dicom_samples import sample, synthetic_series, to_bytes

PHI = (b"CompressedSamples", b"DOE^JANE", b"PID-4711", b"JFK IMAGING", b"1CT1")


@pytest.fixture
def pid(users: dict[str, Api]) -> int:
    m = users["manager"]
    project = m.post("/api/v1/projects", json={"name": "CT", "ontology": {"classes": []}}).json()
    assert (
        m.put(f"/api/v1/projects/{project['id']}/members", json={"username": "labeler", "role": "labeler"}).status_code
        == 204
    )
    return int(project["id"])


def all_blob_bytes(platform: Platform) -> dict[str, bytes]:
    store = platform.deps.blobs
    return {k: store.read_bytes(k) for k in store.iter_keys("") if not k.startswith("secrets/")}


def assert_no_phi(platform: Platform, caplog: pytest.LogCaptureFixture) -> None:
    for key, data in all_blob_bytes(platform).items():
        for value in PHI:
            assert value not in data, f"{value!r} stored under {key}"
    with platform.deps.db.read() as s:
        from sqlalchemy import text

        rows = s.execute(text("SELECT filename, meta_json, error FROM assets")).all()
        jobs = s.execute(text("SELECT result_json, error FROM jobs")).all()
    for value in PHI:
        assert value.decode() not in str(rows) + str(jobs)
        assert value.decode() not in caplog.text


def test_single_dicom_upload_is_de_identified_before_storage(
    platform: Platform, users: dict[str, Api], pid: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    m = users["manager"]
    r = m.post(f"/api/v1/projects/{pid}/assets", files={"file": ("ct.dcm", sample("CT_small.dcm").read_bytes())})
    assert r.status_code == 201, r.text
    asset = r.json()
    assert (asset["kind"], asset["width"], asset["height"], asset["status"]) == ("image", 128, 128, "ready")
    stored = m.get(f"/api/v1/assets/{asset['id']}/content").content
    ds = pydicom.dcmread(io.BytesIO(stored))
    assert ds.PatientIdentityRemoved == "YES" and ds.PatientName == ""
    with platform.deps.db.read() as s:
        from labelhub.db.tables import Asset

        row = s.get(Asset, asset["id"])
        assert row is not None
        report_id = orjson.loads(row.meta_json)["deid_report"]
    report = orjson.loads(platform.deps.blobs.read_bytes(f"reports/deid/{report_id}.json"))
    (entry,) = report["files"]
    assert entry["status"] == "ok" and entry["verification"]["passed"] and "PatientName" in entry["emptied"]
    assert not any(k.startswith("originals/") for k in all_blob_bytes(platform))
    assert_no_phi(platform, caplog)


def test_zip_series_becomes_a_volume_and_a_corrupt_slice_is_reported(
    platform: Platform, users: dict[str, Api], pid: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    m = users["manager"]
    series = synthetic_series(8)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for k, ds in series:
            data = to_bytes(ds)
            zf.writestr(f"series/IM{k:04d}", data[: len(data) // 2] if k == 3 else data)  # slice 3 truncated
        zf.writestr("photo.png", png_bytes())
    r = m.post(f"/api/v1/projects/{pid}/imports", files={"file": ("study.zip", buf.getvalue())})
    assert r.status_code == 202, r.text
    job = m.wait_job(r.json()["id"])
    assert job["state"] == "succeeded", job
    result = job["result"]
    assert result["imported"] == 2 and result["failed"] == 1, result
    assert "truncated or corrupt" in result["errors"][0]["error"] and result["errors"][0]["file"] == "series/IM0003"
    assert any("missing" in w for w in result["warnings"])
    assets = m.get(f"/api/v1/projects/{pid}/assets").json()["items"]
    volume = next(a for a in assets if a["kind"] == "volume")
    assert (volume["width"], volume["height"], volume["depth"]) == (20, 16, 7)
    header, voxels = decode(io.BytesIO(m.get(f"/api/v1/assets/{volume['id']}/content").content))
    assert voxels.shape == (7, 16, 20) and header["affine_lps"][2][3] == pytest.approx(30.0)
    report = orjson.loads(platform.deps.blobs.read_bytes(f"reports/deid/{result['deid_report']}.json"))
    assert report["summary"]["files"] == 8 and report["summary"]["rejected"] == 1
    assert len(m.get(f"/api/v1/projects/{pid}/tasks").json()["items"]) == 2
    assert_no_phi(platform, caplog)


def test_burned_in_suspect_is_quarantined_for_managers(users: dict[str, Api], pid: int) -> None:
    m, labeler = users["manager"], users["labeler"]
    ds = pydicom.dcmread(sample("MR_small.dcm"))
    ds.Modality = "US"
    r = m.post(f"/api/v1/projects/{pid}/assets", files={"file": ("us.dcm", to_bytes(ds))})
    assert r.status_code == 201, r.text
    asset = r.json()
    assert asset["status"] == "quarantined"
    assert m.get(f"/api/v1/projects/{pid}/tasks").json()["items"] == []
    assert labeler.get(f"/api/v1/assets/{asset['id']}/content").status_code == 404
    assert m.get(f"/api/v1/assets/{asset['id']}/content").status_code == 200


def test_a_file_failing_verification_stores_nothing(platform: Platform, users: dict[str, Api], pid: int) -> None:
    ds = pydicom.dcmread(sample("CT_small.dcm"))
    ds.BodyPartExamined = "1CT1"  # the patient ID where the profile keeps values
    r = users["manager"].post(f"/api/v1/projects/{pid}/assets", files={"file": ("leak.dcm", to_bytes(ds))})
    assert r.status_code == 400 and "quarantined" in r.json()["detail"] and "1CT1" not in r.text
    assert not [k for k in all_blob_bytes(platform) if k.startswith("media/")]
    assert users["manager"].get(f"/api/v1/projects/{pid}/assets").json()["items"] == []


def test_same_series_uploaded_twice_keeps_one_uid_mapping(users: dict[str, Api], pid: int) -> None:
    m = users["manager"]
    first = m.post(f"/api/v1/projects/{pid}/assets", files={"file": ("a.dcm", sample("MR_small.dcm").read_bytes())})
    again = m.post(f"/api/v1/projects/{pid}/assets", files={"file": ("b.dcm", sample("MR_small.dcm").read_bytes())})
    assert first.status_code == 201 and again.status_code == 409  # same de-identified content


def test_nifti_upload_becomes_a_volume_with_a_thumbnail(users: dict[str, Api], pid: int) -> None:
    from pathlib import Path

    import nibabel as nib

    m = users["manager"]
    data = (Path(nib.__file__).parent / "tests" / "data" / "example4d.nii.gz").read_bytes()
    r = m.post(f"/api/v1/projects/{pid}/assets", files={"file": ("fmri.nii.gz", data)})
    assert r.status_code == 201, r.text
    asset = m.get(f"/api/v1/assets/{r.json()['id']}").json()
    assert (asset["kind"], asset["width"], asset["height"], asset["depth"]) == ("volume", 128, 96, 24)
    assert m.get_when(f"/api/v1/assets/{asset['id']}/thumbnail").status_code == 200
    header, voxels = decode(io.BytesIO(m.get(f"/api/v1/assets/{asset['id']}/content").content))
    assert header["volumes"] == 2 and voxels.shape == (24, 96, 128)


def test_dicom_images_get_thumbnails(users: dict[str, Api], pid: int) -> None:
    m = users["manager"]
    r = m.post(f"/api/v1/projects/{pid}/assets", files={"file": ("ct.dcm", sample("CT_small.dcm").read_bytes())})
    assert m.get_when(f"/api/v1/assets/{r.json()['id']}/thumbnail").status_code == 200
    assert m.get(f"/api/v1/assets/{r.json()['id']}").json()["has_thumbnail"] is True


def test_parallel_de_identification_matches_serial(platform: Platform, users: dict[str, Api], pid: int) -> None:
    """A 20-slice series through two forked workers: one volume, the corrupt file reported."""
    from dataclasses import replace

    from labelhub.services.medical_ingest import import_dicom

    files = [(f"IM{k}", to_bytes(ds)) for k, ds in synthetic_series(20)]
    bad = ("broken", files[0][1][:300])
    platform.deps.limits = replace(platform.deps.limits, deid_workers=2)
    done = import_dicom(platform.deps, pid, users["manager"].user_id, [(n, _opener(d)) for n, d in [*files, bad]])
    assert [a.depth for a in done.assets] == [20] and len(done.errors) == 1
    assert done.errors[0]["file"] == "broken"


def _opener(data: bytes):  # type: ignore[no-untyped-def]
    from contextlib import nullcontext

    return lambda: nullcontext(io.BytesIO(data))
