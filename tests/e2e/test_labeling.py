"""The labeling loop in a real browser: draw at zoom 2, nested questions, draft after reload,
undo/redo, submit, review and reject, the labeler sees the comment, labelers cannot open settings.

The tests run in file order and share one project (module fixture ``world``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from skimage import data

from tests.e2e.conftest import LABELER_PASSWORD, Site, new_page, sign_in, until
from tests.sdk.conftest import ADMIN_PASSWORD

ONTOLOGY = {
    "classes": [
        {"id": "nodule", "name": "Nodule", "tool": "bbox", "color": "#e69f00", "hotkey": "1"},
        {"id": "effusion", "name": "Effusion", "tool": "polygon", "color": "#56b4e9", "hotkey": "2"},
    ],
    "classifications": [
        {
            "id": "quality",
            "name": "Image quality",
            "kind": "radio",
            "required": True,
            "options": [
                {"id": "good", "name": "Good"},
                {
                    "id": "poor",
                    "name": "Poor",
                    "questions": [
                        {
                            "id": "reason",
                            "name": "Reason",
                            "kind": "radio",
                            "required": True,
                            "options": [{"id": "blur", "name": "Blur"}, {"id": "noise", "name": "Noise"}],
                        }
                    ],
                },
            ],
        }
    ],
}


@dataclass
class World:
    project_id: int
    task_id: int
    labeler: httpx.Client


@pytest.fixture(scope="module")
def world(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    project_id = site.project(ONTOLOGY, "Chest X-ray review")
    token = site.server.make_user("rad1", LABELER_PASSWORD)
    site.api.put(f"/projects/{project_id}/members", json={"username": "rad1", "role": "labeler"}).raise_for_status()
    image = tmp_path_factory.mktemp("img") / "chest.png"
    Image.fromarray(data.camera()).save(image)
    asset = site.upload(project_id, image)
    with site.as_user(token) as labeler:
        yield World(project_id, site.task_of(project_id, asset["id"]), labeler)


def draft(world: World) -> dict[str, Any] | None:
    r = world.labeler.get(f"/tasks/{world.task_id}/draft")
    return r.json()["body"] if r.status_code == 200 else None


@pytest.fixture(scope="module")
def labeler_page(browser: Any, site: Site, world: World) -> Iterator[Any]:
    page = new_page(browser, site)
    sign_in(page, "rad1", LABELER_PASSWORD)
    yield page
    page.context.close()


def test_start_labeling_opens_the_editor(labeler_page: Any, world: World) -> None:
    page = labeler_page
    page.goto(f"/projects/{world.project_id}")
    page.get_by_role("button", name="Start labeling").click()
    page.wait_for_url(f"**/tasks/{world.task_id}")
    page.get_by_text("Objects · 0").wait_for()


def test_box_drawn_at_zoom_2_is_stored_in_image_pixels(labeler_page: Any, world: World, shots: Path) -> None:
    page = labeler_page
    page.evaluate(
        "() => { const e = window.__labelhubEditor; e.setViewport({ zoom: 2, panX: 40, panY: 30 }); e.notify(); }"
    )
    canvas = page.locator("main.canvas > div").first
    canvas.focus()
    page.keyboard.press("b")
    box = canvas.bounding_box()

    def screen(x: float, y: float) -> tuple[float, float]:
        return box["x"] + 40 + 2 * x, box["y"] + 30 + 2 * y

    page.mouse.move(*screen(100, 80))
    page.mouse.down()
    page.mouse.move(*screen(140, 120), steps=4)
    page.mouse.move(*screen(180, 150), steps=4)
    page.mouse.up()
    page.get_by_text("Objects · 1").wait_for()
    saved = until(lambda: (d := draft(world)) and d["objects"] and d)
    assert saved, "the draft was not autosaved"
    assert saved["objects"][0]["geometry"] == {"type": "bbox", "xyxy": [100, 80, 180, 150]}
    assert saved["objects"][0]["class_id"] == "nodule"
    page.get_by_test_id("sync-status").filter(has_text="Saved").wait_for()


def test_undo_and_redo(labeler_page: Any, world: World) -> None:
    page = labeler_page
    page.locator("main.canvas > div").first.focus()
    page.keyboard.press("Control+z")
    page.get_by_text("Objects · 0").wait_for()
    assert until(lambda: (d := draft(world)) is not None and d["objects"] == [])
    page.keyboard.press("Control+Shift+z")
    page.get_by_text("Objects · 1").wait_for()
    assert until(lambda: (d := draft(world)) is not None and len(d["objects"]) == 1)


def test_submit_needs_the_required_question(labeler_page: Any, world: World, shots: Path) -> None:
    page = labeler_page
    page.get_by_role("button", name="Submit").click()
    alert = page.locator(".notice.error")
    alert.wait_for()
    assert "Image quality" in alert.inner_text()
    page.screenshot(path=shots / "editor-required-question.png")
    assert world.labeler.get(f"/tasks/{world.task_id}").json()["task"]["state"] == "in_progress"


def test_nested_question_and_draft_survives_reload(labeler_page: Any, world: World, shots: Path) -> None:
    page = labeler_page
    methods: list[str] = []  # once the server holds the draft, saves send only what changed (PATCH)
    page.on("request", lambda r: r.url.endswith(f"/tasks/{world.task_id}/draft") and methods.append(r.method))
    assert page.get_by_role("radiogroup", name="Reason").count() == 0
    page.get_by_role("radio", name="Poor").click()
    page.get_by_role("radio", name="Blur").click()
    assert until(lambda: (d := draft(world)) and d["classifications"] == {"quality": "poor", "reason": "blur"})
    assert "PATCH" in methods and "PUT" not in methods, methods
    page.reload()
    page.get_by_text("Objects · 1").wait_for()
    assert page.get_by_role("radio", name="Poor").get_attribute("aria-checked") == "true"
    assert page.get_by_role("radio", name="Blur").get_attribute("aria-checked") == "true"
    # after a reload the delta starts from the loaded draft's stamp
    methods.clear()
    page.get_by_role("radio", name="Noise").click()
    assert until(lambda: (d := draft(world)) and d["classifications"].get("reason") == "noise")
    page.get_by_role("radio", name="Blur").click()
    assert until(lambda: (d := draft(world)) and d["classifications"].get("reason") == "blur")
    assert methods and set(methods) == {"PATCH"}, methods
    assert len(draft(world)["objects"]) == 1
    page.locator("[data-object]").first.click()
    page.mouse.move(10, 10)
    page.screenshot(path=shots / "editor-with-objects.png")


def test_submit_with_ctrl_enter(labeler_page: Any, site: Site, world: World) -> None:
    page = labeler_page
    page.locator("main.canvas > div").first.focus()
    page.keyboard.press("Control+Enter")
    page.wait_for_url(re.compile(rf"/projects/{world.project_id}$"))
    head = site.api.get(f"/tasks/{world.task_id}/annotation").json()
    assert head["body"]["objects"][0]["geometry"]["xyxy"] == [100, 80, 180, 150]
    assert site.api.get(f"/tasks/{world.task_id}").json()["task"]["state"] == "submitted"


def test_review_and_reject_with_comments(browser: Any, site: Site, world: World, shots: Path) -> None:
    page = new_page(browser, site)
    sign_in(page, "admin", ADMIN_PASSWORD)
    page.goto(f"/projects/{world.project_id}")
    page.get_by_role("button", name="Start reviewing").click()
    page.wait_for_url(f"**/tasks/{world.task_id}/review")
    page.locator("[data-object]").first.click()
    page.get_by_label("Comment on o1").fill("Box is too loose on the right.")
    page.mouse.move(10, 10)
    page.screenshot(path=shots / "review-mode.png")
    page.get_by_role("button", name="Reject…").click()
    page.get_by_role("dialog").get_by_role("textbox").fill("Tighten the nodule box, please.")
    page.get_by_role("dialog").get_by_role("button", name="Reject").click()
    page.wait_for_url(re.compile(rf"/projects/{world.project_id}$"))
    detail = site.api.get(f"/tasks/{world.task_id}").json()
    assert detail["task"]["state"] == "rejected"
    assert detail["reviews"][-1]["comment"] == "Tighten the nodule box, please."
    assert detail["reviews"][-1]["object_comments"] == {"o1": "Box is too loose on the right."}
    page.get_by_role("heading", name="Tasks by state").wait_for()
    page.screenshot(path=shots / "dashboard.png", full_page=True)
    page.context.close()


def test_labeler_sees_the_rejection(labeler_page: Any, world: World, shots: Path) -> None:
    page = labeler_page
    page.goto(f"/projects/{world.project_id}")
    page.get_by_role("button", name="Start labeling").click()
    page.wait_for_url(f"**/tasks/{world.task_id}")
    note = page.get_by_test_id("rejection")
    note.wait_for()
    assert "Tighten the nodule box, please." in note.inner_text()
    page.locator("[data-object]").first.click()
    assert "Box is too loose on the right." in page.locator(".object-note").inner_text()
    page.mouse.move(10, 10)
    page.screenshot(path=shots / "labeler-sees-rejection.png")


def test_labeler_cannot_open_settings(labeler_page: Any, world: World, shots: Path) -> None:
    page = labeler_page
    page.goto(f"/projects/{world.project_id}/settings")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Not allowed" in alert.inner_text()
    assert page.get_by_role("link", name="Settings").count() == 0
    assert page.get_by_role("button", name="Save settings").count() == 0
    page.screenshot(path=shots / "labeler-settings-refused.png")
    refused = world.labeler.patch(f"/projects/{world.project_id}", json={"name": "hijacked"})
    assert refused.status_code == 403
