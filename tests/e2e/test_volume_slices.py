"""Per-slice work on a volume in the browser: a slice-scope question answered on two axial slices
(the panel follows the wheel, answered slices are listed and marked on the slider), a polygon
drawn on the axial view with real clicks (a wrong vertex removed with Backspace, closed on the
first point), submit, and the stored body read back through the API."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.e2e.conftest import ADMIN_PASSWORD, LABELER_PASSWORD, Site, new_page, sign_in, until
from tests.e2e.test_ontology_editor import _settings
from tests.e2e.test_volume import screen_of, synthetic_nifti

ONTOLOGY = {
    "classes": [{"id": "lesion", "name": "Lesion", "tool": "volume_polygon", "color": "#e69f00"}],
    "classifications": [
        {"id": "quality", "name": "Scan quality", "kind": "radio", "options": [{"id": "ok", "name": "OK"}]},
        {
            "id": "finding",
            "name": "Finding",
            "kind": "radio",
            "required": True,  # required per slice: never blocks submit
            "scope": "slice",
            "options": [
                {"id": "none", "name": "None"},
                {
                    "id": "nodule",
                    "name": "Nodule",
                    "questions": [{"id": "size", "name": "Size (mm)", "kind": "number", "min": 0, "max": 100}],
                },
            ],
        },
    ],
}
SESSION = "window.__labelhubVolume"


def test_slice_answers_and_a_polygon_on_the_axial_view(browser: Any, site: Site, shots: Path) -> None:
    project_id = site.project(ONTOLOGY, "Slice findings")
    token = site.server.make_user("rad-slices", LABELER_PASSWORD)
    site.api.put(
        f"/projects/{project_id}/members", json={"username": "rad-slices", "role": "labeler"}
    ).raise_for_status()
    site.api.post(f"/projects/{project_id}/assets", files={"file": ("ct.nii.gz", synthetic_nifti())}).raise_for_status()
    with site.as_user(token) as labeler:
        task_id = labeler.post(f"/projects/{project_id}/next-task").json()["task"]["id"]

    page = new_page(browser, site)
    sign_in(page, "rad-slices", LABELER_PASSWORD)
    page.goto(f"/tasks/{task_id}")
    page.wait_for_function(f"() => ({SESSION}?.frames ?? 0) >= 3")
    assert page.evaluate(f"() => {SESSION}.cursor[2]") == 20
    section = page.get_by_test_id("slice-questions")
    assert page.get_by_test_id("slice-questions-k").inner_text() == "k 21 / 40"
    # The per-volume panel lists only the asset question.
    volume_panel = page.get_by_role("region", name="Classification", exact=True)
    assert volume_panel.get_by_role("radio", name="OK").count() == 1
    assert volume_panel.get_by_role("radio", name="None").count() == 0

    # Slice 21 (k = 20): a nodule of 7 mm.
    section.get_by_role("radio", name="Nodule").click()
    section.get_by_role("spinbutton", name="Size (mm)").fill("7")
    # Five wheel steps down on the axial view: the panel follows to k = 25, with no answer there.
    x, y = screen_of(page, "axial", 32, 24)
    page.mouse.move(x, y)
    for _ in range(5):
        page.mouse.wheel(0, 100)
    assert until(lambda: page.get_by_test_id("slice-questions-k").inner_text() == "k 26 / 40")
    assert not section.get_by_role("radio", name="Nodule").is_checked()
    section.get_by_role("radio", name="None").click()
    answered = page.get_by_test_id("answered-slices").get_by_role("button")
    assert until(lambda: answered.all_inner_texts() == ["21", "26"])
    assert until(lambda: page.get_by_test_id("slice-mark").count() == 2)

    # Back to k = 20 from the list, then the polygon tool with real clicks on the axial view.
    answered.filter(has_text="21").click()
    assert until(lambda: page.evaluate(f"() => {SESSION}.cursor[2]") == 20)
    assert until(lambda: section.get_by_role("radio", name="Nodule").is_checked())
    page.locator('[data-tool="polygon"]').click()
    corners = [(18, 12), (44, 12), (44, 34), (18, 34)]
    for pu, pv in corners[:3]:
        page.mouse.click(*screen_of(page, "axial", pu, pv))
    page.mouse.click(*screen_of(page, "axial", 56, 40))  # a wrong vertex...
    page.keyboard.press("Backspace")  # ...removed
    page.mouse.click(*screen_of(page, "axial", *corners[3]))
    assert page.evaluate(f"() => {SESSION}.draftPolygon.points.length") == 4
    page.mouse.move(*screen_of(page, "axial", 30, 40))
    page.screenshot(path=shots / "volume-polygon-drawing.png")
    page.mouse.click(*screen_of(page, "axial", 18.5, 12.5))  # on the first vertex: closes
    assert page.evaluate(f"() => {SESSION}.draftPolygon") is None
    assert page.evaluate(f"() => {SESSION}.polygons.length") == 1
    assert until(lambda: page.get_by_test_id("polygon-list").get_by_role("listitem").count() == 1)
    # Drawn on its slice only.
    page.mouse.move(5, 5)
    page.screenshot(path=shots / "volume-slices.png")
    page.evaluate(f"() => {SESSION}.setSlice('axial', 21)")
    assert until(lambda: page.get_by_test_id("slice-questions-k").inner_text() == "k 22 / 40")
    page.screenshot(path=shots / "volume-slices-next-slice.png")

    maps = page.evaluate(f"() => ({{ u: {SESSION}.maps.axial.flipU, v: {SESSION}.maps.axial.flipV }})")
    sx = page.evaluate(f"() => {SESSION}.placements.axial.sx")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(re.compile(rf"/projects/{project_id}$"))

    body = site.api.get(f"/tasks/{task_id}/annotation").json()["body"]
    assert body["classifications"] == {}
    assert body["slice_classifications"] == {"20": {"finding": "nodule", "size": 7}, "25": {"finding": "none"}}
    (obj,) = body["objects"]
    g = obj["geometry"]
    assert obj["class_id"] == "lesion" and g["type"] == "volume_polygon"
    assert g["axis"] == "k" and g["slice"] == 20 and len(g["points"]) == 4
    # Points in voxel coordinates [i, j]: the display's flips undone (64 x 48 in-plane).
    expected = [(64 - pu if maps["u"] else pu, 48 - pv if maps["v"] else pv) for pu, pv in corners]
    for (i, j), (ei, ej) in zip(g["points"], expected, strict=True):
        assert abs(i - ei) <= 1.5 / sx and abs(j - ej) <= 1.5 / sx, (g["points"], expected)
    page.context.close()

    # A reviewer opening the task sees the polygon and both answered slices (the body loaded back).
    reviewer = new_page(browser, site)
    sign_in(reviewer, "admin", ADMIN_PASSWORD)
    reviewer.goto(f"/tasks/{task_id}/review")
    reviewer.wait_for_function(f"() => ({SESSION}?.frames ?? 0) >= 3")
    assert reviewer.evaluate(f"() => {SESSION}.polygons.map((p) => [p.axis, p.slice, p.points.length])") == [[2, 20, 4]]
    answered = reviewer.get_by_test_id("answered-slices").get_by_role("button")
    assert until(lambda: answered.all_inner_texts() == ["21", "26"])
    section = reviewer.get_by_test_id("slice-questions")
    assert until(lambda: section.get_by_role("radio", name="Nodule").is_checked())
    assert section.get_by_role("spinbutton", name="Size (mm)").input_value() == "7"
    reviewer.mouse.move(5, 5)
    reviewer.screenshot(path=shots / "volume-slices-review.png")
    reviewer.context.close()


def test_ontology_editor_sets_a_question_per_slice(browser: Any, site: Site, shots: Path) -> None:
    plain = {
        **ONTOLOGY,
        "classifications": [{k: v for k, v in q.items() if k != "scope"} for q in ONTOLOGY["classifications"]],
    }
    project_id = site.project(plain, "Slice scope editor")
    page = _settings(browser, site, project_id)
    page.get_by_role("region", name="Ontology editor").locator("[data-class=__image]").click()
    scope = page.get_by_label("Scope of Finding")
    assert scope.input_value() == "asset"
    scope.select_option("slice")
    page.mouse.move(5, 5)
    page.screenshot(path=shots / "ontology-slice-scope.png", full_page=True)
    page.get_by_role("button", name="Save ontology").click()
    page.get_by_text("Saved as version 2.").wait_for()
    stored = site.api.get(f"/projects/{project_id}").json()["ontology"]["classifications"]
    assert [q.get("scope") for q in stored] == [None, "slice"]
    page.context.close()
