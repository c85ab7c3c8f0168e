"""Volume tasks end to end beyond painting: the volume's own classification (nested, required)
answered in the side panel and refused while open, submit, a reviewer rejects with a comment from
the volume screen, the labeler sees it on reopening, fixes an answer and resubmits, and a reviewer
accepts with a correction (the corrected body is stored as the review revision)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.e2e.conftest import ADMIN_PASSWORD, LABELER_PASSWORD, Site, new_page, sign_in
from tests.e2e.test_volume import synthetic_nifti

ONTOLOGY = {
    "classes": [{"id": "liver", "name": "Liver", "tool": "volume_mask", "color": "#e69f00"}],
    "classifications": [
        {
            "id": "phase",
            "name": "Contrast phase",
            "kind": "radio",
            "required": True,
            "options": [
                {
                    "id": "arterial",
                    "name": "Arterial",
                    "questions": [
                        {
                            "id": "quality",
                            "name": "Image quality",
                            "kind": "radio",
                            "required": True,
                            "options": [{"id": "good", "name": "Good"}, {"id": "poor", "name": "Poor"}],
                        }
                    ],
                },
                {"id": "venous", "name": "Venous"},
            ],
        }
    ],
}


def open_volume(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_function("() => (window.__labelhubVolume?.frames ?? 0) >= 3")


def test_classify_reject_fix_and_accept_a_volume(browser: Any, site: Site, shots: Path) -> None:
    project_id = site.project(ONTOLOGY, "Liver phases")
    token = site.server.make_user("rad-phase", LABELER_PASSWORD)
    member = {"username": "rad-phase", "role": "labeler"}
    site.api.put(f"/projects/{project_id}/members", json=member).raise_for_status()
    site.api.post(f"/projects/{project_id}/assets", files={"file": ("ct.nii.gz", synthetic_nifti())}).raise_for_status()
    with site.as_user(token) as labeler:
        task_id = labeler.post(f"/projects/{project_id}/next-task").json()["task"]["id"]

    page = new_page(browser, site)
    sign_in(page, "rad-phase", LABELER_PASSWORD)
    open_volume(page, f"/tasks/{task_id}")
    panel = page.get_by_role("region", name="Classification")
    page.get_by_role("button", name="Submit").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Contrast phase" in alert.inner_text()
    assert site.api.get(f"/tasks/{task_id}").json()["task"]["state"] != "submitted"
    panel.get_by_role("radio", name="Arterial").click()
    panel.get_by_role("radio", name="Good").wait_for()  # the follow-up appears under its option
    panel.get_by_role("radio", name="Good").click()
    page.mouse.move(5, 5)
    page.screenshot(path=shots / "volume-classification.png")
    page.keyboard.press("Control+Enter")
    page.wait_for_url(re.compile(rf"/projects/{project_id}$"))
    head = site.api.get(f"/tasks/{task_id}/annotation").json()
    assert head["body"]["classifications"] == {"phase": "arterial", "quality": "good"}

    reviewer = new_page(browser, site)
    sign_in(reviewer, "admin", ADMIN_PASSWORD)
    open_volume(reviewer, f"/tasks/{task_id}/review")
    reviewer.get_by_role("button", name="Reject…").click()
    reviewer.get_by_role("dialog").get_by_role("textbox").fill("This is the venous phase.")
    reviewer.get_by_role("dialog").get_by_role("button", name="Reject").click()
    reviewer.wait_for_url(re.compile(rf"/projects/{project_id}$"))
    detail = site.api.get(f"/tasks/{task_id}").json()
    assert detail["task"]["state"] == "rejected" and detail["reviews"][-1]["comment"] == "This is the venous phase."

    page.goto(f"/projects/{project_id}")  # the returned task comes back to its labeler first
    page.get_by_role("button", name="Start labeling").click()
    page.wait_for_url(f"**/tasks/{task_id}")
    page.wait_for_function("() => (window.__labelhubVolume?.frames ?? 0) >= 3")
    note = page.get_by_test_id("rejection")
    note.wait_for()
    assert "This is the venous phase." in note.inner_text()
    page.mouse.move(5, 5)
    page.screenshot(path=shots / "volume-rejection-seen.png")
    page.get_by_role("region", name="Classification").get_by_role("radio", name="Venous").click()
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(re.compile(rf"/projects/{project_id}$"))
    assert site.api.get(f"/tasks/{task_id}/annotation").json()["body"]["classifications"] == {"phase": "venous"}

    open_volume(reviewer, f"/tasks/{task_id}/review")
    reviewer.get_by_role("region", name="Classification").get_by_role("radio", name="Arterial").click()
    reviewer.get_by_role("region", name="Classification").get_by_role("radio", name="Poor").click()
    reviewer.get_by_role("button", name="Accept corrected").click()
    reviewer.wait_for_url(re.compile(rf"/projects/{project_id}$"))
    detail = site.api.get(f"/tasks/{task_id}").json()
    assert detail["task"]["state"] == "accepted"
    head = site.api.get(f"/tasks/{task_id}/annotation").json()
    assert head["kind"] == "review" and head["body"]["classifications"] == {"phase": "arterial", "quality": "poor"}
    page.context.close()
    reviewer.context.close()
