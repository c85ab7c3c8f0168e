"""The privacy screens in a real browser: a DICOM zip imported from the Import tab names its
de-identification report (summary, viewer with per-file rows, JSON download), the burned-in file
waits under Import → Quarantine and is released with a note; a labeler cannot open the report."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pydicom

from tests.e2e.conftest import LABELER_PASSWORD, Site, new_page, sign_in
from tests.media.dicom_samples import sample, synthetic_series, to_bytes

SLICES = 6
HELD = "us-frame.dcm"


def _zip(tmp_path: Path) -> Path:
    """A CT series (one volume) and one ultrasound frame (a modality known for burned-in text)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for k, ds in synthetic_series(SLICES):
            z.writestr(f"ct/slice-{k:02d}.dcm", to_bytes(ds))
        us = pydicom.dcmread(sample("MR_small.dcm"))
        us.Modality = "US"
        z.writestr(HELD, to_bytes(us))
    path = tmp_path / "study.zip"
    path.write_bytes(buf.getvalue())
    return path


def _member(site: Site, project_id: int, username: str, role: str) -> str:
    token = site.server.make_user(username, LABELER_PASSWORD)
    r = site.api.put(f"/projects/{project_id}/members", json={"username": username, "role": role})
    r.raise_for_status()
    return token


def test_import_report_quarantine_release_and_labeler_locked_out(
    browser: Any, site: Site, shots: Path, tmp_path: Path
) -> None:
    project_id = site.project({"classes": [{"id": "lesion", "name": "Lesion", "tool": "bbox"}]}, "CT privacy")
    _member(site, project_id, "privmgr", "manager")
    lab_token = _member(site, project_id, "privlab", "labeler")

    page = new_page(browser, site)
    sign_in(page, "privmgr", LABELER_PASSWORD)
    page.goto(f"/projects/{project_id}/import")
    page.get_by_test_id("file-input").set_input_files(str(_zip(tmp_path)))

    # The import job finishes and its report's summary appears under the upload.
    page.locator(".file.done").wait_for(timeout=60_000)
    assert "1 ready for labeling · 1 quarantined" in page.locator(".file.done .fnote").inner_text()
    summary = page.get_by_label("De-identification report")
    summary.locator(".report-counts").wait_for()
    facts = summary.locator(".report-counts").inner_text().split()
    assert facts == ["files", str(SLICES + 1), "stored", "2", "quarantined", "1", "rejected", "0"], facts
    assert "Basic Application Level Confidentiality Profile" in summary.inner_text()
    assert "dates removed" in summary.inner_text()
    assert "1 file is held for a manager's decision" in summary.inner_text()
    page.get_by_role("tab", name="Quarantine").get_by_label("1 held").wait_for()
    page.get_by_role("navigation", name="Project").get_by_label("1 in quarantine").wait_for()
    page.screenshot(path=shots / "privacy-import-summary.png")

    # Download JSON: the report as the API serves it, naming the files (never a value).
    with page.expect_download() as dl:
        summary.get_by_role("link", name="Download JSON").click()
    report = json.loads(Path(dl.value.path()).read_text())
    names = sorted(f["file"] for f in report["files"])
    assert names == sorted([HELD] + [f"ct/slice-{k:02d}.dcm" for k in range(SLICES)]), names
    assert report["summary"]["quarantined"] == 1
    assert "DOE" not in json.dumps(report) and "PID-4711" not in json.dumps(report)
    report_id = report["id"]

    # The viewer: summary, one row per file, filterable by status.
    summary.get_by_role("link", name="View report").click()
    page.wait_for_url(f"**/projects/{project_id}/deid-reports/{report_id}")
    table = page.get_by_role("table", name="Files")
    table.locator("tbody tr").first.wait_for()
    assert table.locator("tbody tr").count() == SLICES + 1
    first = table.locator("tbody tr").first.inner_text()
    assert "ct/slice-00.dcm" in first and "ok" in first and "passed" in first
    page.get_by_role("tab", name="Quarantined (1)").click()
    rows = table.locator("tbody tr")
    assert rows.count() == 1
    held_row = rows.first.inner_text()
    assert HELD in held_row and "quarantined" in held_row and "suspected burned-in annotation" in held_row
    rows.first.get_by_role("button", name="Attributes").click()
    detail = table.locator(".deid-detail").inner_text()
    assert "Emptied" in detail and "PatientName" in detail and "UID replaced" in detail
    page.screenshot(path=shots / "privacy-report.png", full_page=True)
    page.get_by_role("tab", name="Rejected (0)").click()
    assert "No files with this status" in table.inner_text()

    # Quarantine: the held file, released with a note.
    page.get_by_role("link", name="← Import").click()
    page.get_by_role("tab", name="Quarantine").click()
    q = page.get_by_role("table", name="Quarantined files")
    q.locator("tbody tr").first.wait_for()
    assert q.locator("tbody tr").count() == 1
    row = q.locator("tbody tr").first
    assert HELD in row.inner_text() and "suspected burned-in annotation" in row.inner_text()
    asset_id = int(row.get_attribute("data-asset") or 0)
    assert row.get_by_role("link", name="View report").get_attribute("href") == (
        f"/projects/{project_id}/deid-reports/{report_id}"
    )
    page.screenshot(path=shots / "privacy-quarantine.png")
    row.get_by_role("button", name="Release…").click()
    dialog = page.get_by_role("dialog")
    assert "visible to labelers" in dialog.inner_text()
    confirm = dialog.get_by_role("button", name="Release to labelers")
    assert confirm.is_disabled()  # a note is required
    dialog.locator("textarea").fill("checked the frame: no burned-in text")
    page.screenshot(path=shots / "privacy-release-dialog.png")
    confirm.click()
    page.get_by_role("status").filter(has_text="labelers can now see it").wait_for()
    page.get_by_text("Nothing in quarantine").wait_for()
    page.get_by_role("tab", name="Quarantine").get_by_label("1 held").wait_for(state="detached")
    page.get_by_role("navigation", name="Project").get_by_label("1 in quarantine").wait_for(state="detached")
    page.screenshot(path=shots / "privacy-released.png")

    assert site.api.get(f"/projects/{project_id}/quarantine").json() == []
    tasks = site.api.get(f"/projects/{project_id}/tasks", params={"asset_id": asset_id}).json()["items"]
    assert len(tasks) == 1 and tasks[0]["asset_id"] == asset_id
    assert site.api.get(f"/assets/{asset_id}").json()["status"] == "ready"

    # A labeler: no report through the API (404, like an unknown id) and none in the browser.
    with site.as_user(lab_token) as lab:
        assert lab.get(f"/deid-reports/{report_id}").status_code == 404
        assert lab.get(f"/projects/{project_id}/quarantine").status_code == 403
    lab_page = new_page(browser, site)
    sign_in(lab_page, "privlab", LABELER_PASSWORD)
    lab_page.goto(f"/projects/{project_id}/deid-reports/{report_id}")
    lab_page.get_by_text("Only the project's managers can open import").wait_for()
    assert lab_page.get_by_role("table", name="Files").count() == 0
    assert lab_page.get_by_role("link", name="Import").count() == 0
    lab_page.screenshot(path=shots / "privacy-labeler-denied.png")
    lab_page.context.close()

    # A single DICOM upload (not a zip) names its own report too; this one is held again.
    single = pydicom.dcmread(sample("MR_small.dcm"))
    single.Modality = "US"
    pixels = bytearray(single.PixelData)
    pixels[0] ^= 1  # other content: not a duplicate of the released frame
    single.PixelData = bytes(pixels)
    path = tmp_path / "us-second.dcm"
    path.write_bytes(to_bytes(single))
    page.get_by_role("tab", name="Images").click()
    page.get_by_test_id("file-input").set_input_files(str(path))
    assert page.locator(".file.done .fnote").inner_text() == "quarantined"
    card = page.get_by_label("De-identification report")
    card.locator(".report-counts").wait_for()
    assert card.locator(".report-counts").inner_text().split() == [
        "files",
        "1",
        "stored",
        "1",
        "quarantined",
        "1",
        "rejected",
        "0",
    ]
    page.get_by_role("tab", name="Quarantine").get_by_label("1 held").wait_for()
    page.screenshot(path=shots / "privacy-single-upload.png")
    card.get_by_role("link", name="Import → Quarantine").click()
    page.get_by_role("table", name="Quarantined files").locator("tbody tr").first.wait_for()
    assert "us-second.dcm" in page.get_by_role("table", name="Quarantined files").inner_text()
    page.get_by_role("tab", name="Images").click()

    # A file whose identifying values survive de-identification is refused (422); the refusal
    # names its report, whose row says which element failed the scan.
    leak = pydicom.dcmread(sample("CT_small.dcm"))
    leak.PatientID = leak.BodyPartExamined = "ZX9981"  # a kept attribute repeating the patient ID
    leak_path = tmp_path / "leak.dcm"
    leak_path.write_bytes(to_bytes(leak))
    page.get_by_test_id("file-input").set_input_files(str(leak_path))
    refused = page.locator(".file.failed")
    refused.wait_for(timeout=30_000)
    assert "identifying values survived" in refused.inner_text()
    cards = page.get_by_label("De-identification report")
    cards.nth(1).locator(".report-counts").wait_for()
    first_card = cards.first.locator(".report-counts").inner_text().split()
    assert first_card == ["files", "1", "stored", "0", "quarantined", "1", "rejected", "0"], first_card
    assert "1 file was not stored" in cards.first.inner_text()
    cards.first.get_by_role("link", name="View report").click()
    table = page.get_by_role("table", name="Files")
    table.locator("tbody tr").first.wait_for()
    scanned = table.locator("tbody tr").first.inner_text()
    assert "not stored" in scanned and "failed: BodyPartExamined" in scanned, scanned
    assert "ZX9981" not in page.content()
    page.screenshot(path=shots / "privacy-report-scan-failed.png")
    page.context.close()
