"""The visual ontology editor in project settings: classes, skeleton, nested questions, the live
preview, and the 409 migration dialog when a change would orphan stored annotations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image
from skimage import data

from tests.e2e.conftest import Site, new_page, sign_in
from tests.sdk.conftest import ADMIN_PASSWORD

START = {
    "classes": [
        {"id": "car", "name": "Car", "tool": "bbox", "color": "#e69f00", "hotkey": "1"},
        {"id": "truck", "name": "Truck", "tool": "bbox", "color": "#56b4e9", "hotkey": "2"},
    ],
    "classifications": [
        {
            "id": "weather",
            "name": "Weather",
            "kind": "radio",
            "required": False,
            "options": [{"id": "sun", "name": "Sun"}, {"id": "rain", "name": "Rain"}],
        }
    ],
}


def _settings(browser: Any, site: Site, project_id: int) -> Any:
    page = new_page(browser, site)
    page.set_viewport_size({"width": 1440, "height": 1000})
    sign_in(page, "admin", ADMIN_PASSWORD)
    page.goto(f"/projects/{project_id}/settings")
    page.get_by_role("region", name="Ontology editor").wait_for()
    return page


def test_build_an_ontology_visually_with_live_preview(browser: Any, site: Site, shots: Path) -> None:
    project_id = site.project(START, "Street scenes")
    page = _settings(browser, site, project_id)
    editor = page.get_by_role("region", name="Ontology editor")
    preview = page.get_by_label("Preview as labelers see it")

    # A new keypoints class with a three-point skeleton and a colour from the palette.
    page.get_by_role("button", name="+ Add class").click()
    page.get_by_label("Class name").fill("Pedestrian")
    assert page.get_by_label("Class id").input_value() == "pedestrian"
    page.get_by_label("Tool", exact=True).select_option("keypoints")
    page.get_by_label("Keypoint 1").fill("head")
    page.get_by_label("Keypoint 2").fill("hip")
    page.get_by_role("button", name="+ Add keypoint").click()
    page.get_by_label("Keypoint 3").fill("foot")
    page.get_by_label("Edge from").select_option("1")
    page.get_by_label("Edge to").select_option("2")
    page.get_by_role("button", name="Connect").click()
    page.get_by_role("radio", name="#009e73").click()
    assert page.get_by_label("Hotkey", exact=True).input_value() == "3"

    # A per-object question with a conditional follow-up.
    page.get_by_role("button", name="+ Add object question").click()
    page.get_by_label("Question", exact=True).fill("Pose")
    page.get_by_label("Id of Pose").fill("pose")
    options = page.get_by_label("Option of Pose")
    options.nth(0).fill("Standing")
    options.nth(1).fill("Walking")
    page.get_by_label("Id of option Standing").fill("standing")
    page.get_by_label("Id of option Walking").fill("walking")
    page.get_by_role("button", name="+ Ask when “Walking”").click()
    page.get_by_label("Question", exact=True).nth(1).fill("Direction")
    page.get_by_label("Id of Direction").fill("direction")
    page.get_by_label("Kind of Direction").select_option("text")

    # The preview is the labeler's panel: the follow-up appears only once its option is chosen.
    assert preview.get_by_role("radiogroup", name="Pose").is_visible()
    assert preview.get_by_label("Direction").count() == 0
    preview.get_by_role("radio", name="Walking").click()
    assert preview.get_by_label("Direction").is_visible()
    assert preview.get_by_title("Pedestrian (3)").is_visible()

    # Reorder: Truck above Car; an image question option removed and one added.
    editor.locator("[data-class=truck]").click()
    page.get_by_role("button", name="Move Truck up").click()
    editor.locator("[data-class=__image]").click()
    page.get_by_role("button", name="+ Add option").click()
    page.get_by_label("Option of Weather").nth(2).fill("Fog")
    page.get_by_label("Id of option Fog").fill("fog")
    page.get_by_role("button", name="Move Fog up").click()
    page.mouse.move(5, 5)
    editor.locator("[data-class=pedestrian]").click()
    page.screenshot(path=shots / "ontology-editor.png", full_page=True)

    page.get_by_role("button", name="Save ontology").click()
    page.get_by_text("Saved as version 2.").wait_for()
    stored = site.api.get(f"/projects/{project_id}").json()["ontology"]
    assert [c["id"] for c in stored["classes"]] == ["truck", "car", "pedestrian"]
    ped = stored["classes"][2]
    assert ped["tool"] == "keypoints" and ped["color"] == "#009e73" and ped["hotkey"] == "3"
    assert ped["skeleton"] == {"points": ["head", "hip", "foot"], "edges": [[0, 1], [1, 2]]}
    pose = ped["attributes"][0]
    assert pose["id"] == "pose" and [o["id"] for o in pose["options"]] == ["standing", "walking"]
    assert pose["options"][1]["questions"][0]["id"] == "direction"
    assert pose["options"][1]["questions"][0]["kind"] == "text"
    assert [o["id"] for o in stored["classifications"][0]["options"]] == ["sun", "fog", "rain"]
    page.context.close()


def test_removing_a_used_class_asks_how_to_migrate(browser: Any, site: Site, shots: Path, tmp_path: Path) -> None:
    project_id = site.project(START, "Migration")
    image = tmp_path / "coins.png"
    Image.fromarray(data.coins()).save(image)
    site.upload(project_id, image)
    task = site.api.post(f"/projects/{project_id}/next-task").json()
    body = {
        "objects": [
            {"id": "o1", "class_id": "truck", "geometry": {"type": "bbox", "xyxy": [10, 10, 50, 40]}},
            {"id": "o2", "class_id": "car", "geometry": {"type": "bbox", "xyxy": [60, 10, 90, 40]}},
        ],
        "classifications": {"weather": "rain"},
    }
    site.api.post(f"/tasks/{task['task']['id']}/submit", json={"body": body}).raise_for_status()

    page = _settings(browser, site, project_id)
    editor = page.get_by_role("region", name="Ontology editor")
    editor.locator("[data-class=truck]").click()
    page.get_by_role("button", name="Remove Truck").click()
    editor.locator("[data-class=__image]").click()
    page.get_by_role("button", name="Remove Rain").click()
    page.get_by_role("button", name="Save ontology").click()

    dialog = page.get_by_role("dialog", name="Stored annotations use what you removed")
    dialog.wait_for()
    assert "Truck" in dialog.locator("[data-migrate-class=truck]").inner_text()
    assert "option 'rain' of question 'weather'" in dialog.inner_text()
    migrate = dialog.get_by_role("button", name="Migrate and save")
    assert migrate.is_disabled(), "answers in use must be dropped explicitly"
    assert dialog.get_by_label("Map truck to").input_value() == "car"
    page.screenshot(path=shots / "ontology-migration-dialog.png")
    dialog.get_by_label("Drop these answers from stored annotations").check()
    migrate.click()
    page.get_by_text("Saved as version 2. 1 annotation(s) migrated.").wait_for()

    head = site.api.get(f"/tasks/{task['task']['id']}/annotation").json()["body"]
    assert [(o["id"], o["class_id"]) for o in head["objects"]] == [("o1", "car"), ("o2", "car")]
    assert head["classifications"] == {}
    assert [c["id"] for c in site.api.get(f"/projects/{project_id}").json()["ontology"]["classes"]] == ["car"]
    page.context.close()
