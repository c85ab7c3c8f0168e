"""De-identification reports and quarantine decisions through the API (managers only, audited)."""

from __future__ import annotations

import orjson
import pydicom
import pytest
from sqlalchemy import select

from labelhub.db.tables import Asset, AuditEvent, Task
from labelhub.wiring import Platform
from tests.conftest import Api
from tests.media.dicom_samples import sample, to_bytes


@pytest.fixture
def pid(users: dict[str, Api]) -> int:
    m = users["manager"]
    project = m.post("/api/v1/projects", json={"name": "US", "ontology": {"classes": []}}).json()
    for name, role in (("labeler", "labeler"), ("reviewer", "reviewer")):
        assert (
            m.put(f"/api/v1/projects/{project['id']}/members", json={"username": name, "role": role}).status_code == 204
        )
    return int(project["id"])


def quarantined_upload(m: Api, pid: int, name: str = "us.dcm", rows: int | None = None) -> dict:  # type: ignore[type-arg]
    ds = pydicom.dcmread(sample("MR_small.dcm"))
    ds.Modality = "US"  # a modality known for burned-in annotation
    if rows is not None:
        ds.SeriesDescription = f"variant {rows}"  # other content, other digest
    r = m.post(f"/api/v1/projects/{pid}/assets", files={"file": (name, to_bytes(ds))})
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "quarantined"
    return dict(r.json())


def audit_actions(platform: Platform) -> list[tuple[str, str]]:
    with platform.deps.db.read() as s:
        return [(e.action, e.target) for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_reports_by_id_and_by_asset_for_managers_only(users: dict[str, Api], pid: int) -> None:
    m = users["manager"]
    r = m.post(f"/api/v1/projects/{pid}/assets", files={"file": ("ct.dcm", sample("CT_small.dcm").read_bytes())})
    asset = r.json()
    report = m.get(f"/api/v1/assets/{asset['id']}/deid-report")
    assert report.status_code == 200, report.text
    body = report.json()
    assert body["project_id"] == pid and body["summary"]["stored_assets"] == 1
    (entry,) = body["files"]
    assert entry["verification"]["passed"] and "PatientName" in entry["emptied"]
    assert m.get(f"/api/v1/deid-reports/{body['id']}").json() == body
    assert b"CompressedSamples" not in report.content  # CT_small's patient name: never a value
    for who in ("labeler", "reviewer", "outsider"):
        assert users[who].get(f"/api/v1/deid-reports/{body['id']}").status_code == 404
        assert users[who].get(f"/api/v1/assets/{asset['id']}/deid-report").status_code == 404
    assert m.get("/api/v1/deid-reports/../../secrets/deid-uid-hmac").status_code == 404
    assert m.get(f"/api/v1/deid-reports/{'0' * 32}").status_code == 404
    png = m.post(f"/api/v1/projects/{pid}/assets", files={"file": ("a.txt", b"not dicom")}).json()
    assert m.get(f"/api/v1/assets/{png['id']}/deid-report").status_code == 404


def test_quarantine_list_and_release_creates_a_task(platform: Platform, users: dict[str, Api], pid: int) -> None:
    m, lab = users["manager"], users["labeler"]
    held = quarantined_upload(m, pid)
    listed = m.get(f"/api/v1/projects/{pid}/quarantine")
    assert [a["id"] for a in listed.json()] == [held["id"]]
    assert lab.get(f"/api/v1/projects/{pid}/quarantine").status_code == 403
    assert users["reviewer"].get(f"/api/v1/projects/{pid}/quarantine").status_code == 403
    assert lab.post(f"/api/v1/assets/{held['id']}/quarantine-decision", json={"decision": "release"}).status_code == 404
    assert lab.post(f"/api/v1/projects/{pid}/next-task").status_code == 204  # nothing to label yet
    r = m.post(f"/api/v1/assets/{held['id']}/quarantine-decision", json={"decision": "release", "note": "checked"})
    assert r.status_code == 200, r.text
    assert r.json()["asset"]["status"] == "ready" and r.json()["task_id"] is not None
    task = lab.post(f"/api/v1/projects/{pid}/next-task").json()["task"]
    assert task["id"] == r.json()["task_id"] and task["asset_id"] == held["id"]
    assert lab.get(f"/api/v1/assets/{held['id']}/content").status_code == 200
    assert m.get(f"/api/v1/projects/{pid}/quarantine").json() == []
    again = m.post(f"/api/v1/assets/{held['id']}/quarantine-decision", json={"decision": "delete"})
    assert again.status_code == 409
    assert ("asset.quarantine_release", f"asset:{held['id']}") in audit_actions(platform)


def test_delete_removes_row_and_blob(platform: Platform, users: dict[str, Api], pid: int) -> None:
    m = users["manager"]
    held = quarantined_upload(m, pid)
    with platform.deps.db.read() as s:
        row = s.get(Asset, held["id"])
        assert row is not None and row.storage_key is not None
        key = row.storage_key
    assert platform.deps.blobs.exists(key)
    r = m.post(f"/api/v1/assets/{held['id']}/quarantine-decision", json={"decision": "delete"})
    assert r.status_code == 200 and r.json() == {"decision": "delete", "asset": None, "task_id": None}
    assert not platform.deps.blobs.exists(key)
    with platform.deps.db.read() as s:
        assert s.get(Asset, held["id"]) is None
        assert s.scalar(select(Task.id).where(Task.asset_id == held["id"])) is None
    assert m.get(f"/api/v1/assets/{held['id']}").status_code == 404
    assert ("asset.quarantine_delete", f"asset:{held['id']}") in audit_actions(platform)


def test_delete_keeps_a_blob_another_project_uses(platform: Platform, users: dict[str, Api], pid: int) -> None:
    m = users["manager"]
    other = m.post("/api/v1/projects", json={"name": "US2", "ontology": {"classes": []}}).json()["id"]
    first = quarantined_upload(m, pid)
    second = quarantined_upload(m, other)
    with platform.deps.db.read() as s:
        a, b = s.get(Asset, first["id"]), s.get(Asset, second["id"])
        assert a is not None and b is not None and a.storage_key == b.storage_key
        key = a.storage_key
    assert m.post(f"/api/v1/assets/{first['id']}/quarantine-decision", json={"decision": "delete"}).status_code == 200
    assert key is not None and platform.deps.blobs.exists(key)
    assert m.get(f"/api/v1/assets/{second['id']}/content").status_code == 200


def test_bad_decisions_change_nothing(platform: Platform, users: dict[str, Api], pid: int) -> None:
    m = users["manager"]
    held = quarantined_upload(m, pid)
    assert m.post(f"/api/v1/assets/{held['id']}/quarantine-decision", json={"decision": "approve"}).status_code == 422
    ready = m.post(f"/api/v1/projects/{pid}/assets", files={"file": ("n.txt", b"plain words")}).json()
    r = m.post(f"/api/v1/assets/{ready['id']}/quarantine-decision", json={"decision": "delete"})
    assert r.status_code == 409 and "not quarantined" in r.json()["detail"]
    with platform.deps.db.read() as s:
        assert s.get(Asset, ready["id"]) is not None
        row = s.get(Asset, held["id"])
        assert row is not None and row.status == "quarantined"
        assert orjson.loads(row.meta_json)["deid_report"]
    assert not [a for a, _ in audit_actions(platform) if a.startswith("asset.quarantine")]


def test_multiframe_dicom_pages_render_for_managers_then_labelers_after_release(
    users: dict[str, Api], pid: int
) -> None:
    """SC_rgb_rle_2frame.dcm: a secondary capture (burned-in suspect) with two RLE colour frames."""
    import io

    import numpy as np
    from PIL import Image

    m, lab = users["manager"], users["labeler"]
    original = pydicom.dcmread(sample("SC_rgb_rle_2frame.dcm"))
    r = m.post(
        f"/api/v1/projects/{pid}/assets", files={"file": ("sc.dcm", sample("SC_rgb_rle_2frame.dcm").read_bytes())}
    )
    assert r.status_code == 201, r.text
    asset = r.json()
    assert (asset["kind"], asset["pages"], asset["status"]) == ("multipage_image", 2, "quarantined")
    assert lab.get(f"/api/v1/assets/{asset['id']}/pages/1.png").status_code == 404
    for n in (0, 1):
        page = m.get(f"/api/v1/assets/{asset['id']}/pages/{n}.png")
        assert page.status_code == 200, page.text
        img = np.asarray(Image.open(io.BytesIO(page.content)).convert("RGB"))
        assert np.array_equal(img, original.pixel_array[n])
    assert m.get(f"/api/v1/assets/{asset['id']}/pages/2.png").status_code == 404
    m.post(f"/api/v1/assets/{asset['id']}/quarantine-decision", json={"decision": "release"})
    assert lab.get(f"/api/v1/assets/{asset['id']}/pages/1.png").status_code == 200
