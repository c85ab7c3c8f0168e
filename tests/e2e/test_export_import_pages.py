"""The export page with its options (class filter, split, seed), the dataset versions table and
downloading a version again; the annotation import with the mapping step, in a real browser."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from PIL import Image

from tests.e2e.conftest import LABELER_PASSWORD, Site, new_page, sign_in

ONTOLOGY = {
    "classes": [
        {"id": "car", "name": "Car", "tool": "bbox", "color": "#e69f00", "hotkey": "1"},
        {"id": "person", "name": "Person", "tool": "bbox", "color": "#56b4e9", "hotkey": "2"},
    ],
    "classifications": [],
}


def _images(site: Site, project_id: int, tmp_path: Path, names: list[str]) -> None:
    for i, name in enumerate(names):
        path = tmp_path / name
        Image.new("RGB", (64, 48), (40 * i, 90, 160)).save(path)
        site.upload(project_id, path)


def _manager(site: Site, project_id: int, username: str) -> None:
    site.server.make_user(username, LABELER_PASSWORD)
    r = site.api.put(f"/projects/{project_id}/members", json={"username": username, "role": "manager"})
    r.raise_for_status()


def _submit_all(site: Site, project_id: int) -> None:
    """Every task gets a car and a person, and is submitted."""
    while True:
        r = site.api.post(f"/projects/{project_id}/next-task")
        if r.status_code == 204 or not r.content or r.json() is None:
            return
        task = r.json()["task"]
        body = {
            "objects": [
                {"id": "c1", "class_id": "car", "geometry": {"type": "bbox", "xyxy": [4, 4, 30, 20]}},
                {"id": "p1", "class_id": "person", "geometry": {"type": "bbox", "xyxy": [34, 10, 60, 44]}},
            ],
            "classifications": {},
        }
        site.api.post(f"/tasks/{task['id']}/submit", json={"body": body}).raise_for_status()


def _coco_files(raw: bytes) -> dict[str, dict[str, Any]]:
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        return {n: json.loads(z.read(n)) for n in z.namelist() if n.endswith(".json")}


def test_export_with_class_filter_and_split_then_download_version(
    browser: Any, site: Site, shots: Path, tmp_path: Path
) -> None:
    project_id = site.project(ONTOLOGY, "Street export")
    _images(site, project_id, tmp_path, [f"street{i}.png" for i in range(4)])
    _submit_all(site, project_id)
    _manager(site, project_id, "exportmgr")

    page = new_page(browser, site)
    sign_in(page, "exportmgr", LABELER_PASSWORD)
    page.goto(f"/projects/{project_id}/export")
    page.locator("select[name=format]").select_option("coco")
    assert "COCO" in page.locator(".format-help").inner_text()
    page.locator(".dataset-versions").get_by_text("No exports yet").wait_for()  # the table loads after the form

    classes = page.get_by_role("group", name="Classes")
    classes.get_by_label("Car").check()
    assert "(1 of 2)" in classes.inner_text()
    page.get_by_role("group", name="Labelers").get_by_label("exportmgr").wait_for()

    # the split: off by default; ratios that do not sum to 1 are refused inline
    page.get_by_label("Split into train / val / test").check()
    page.locator("input[name=split-train]").fill("0.5")
    page.locator("input[name=split-val]").fill("0.4")
    page.locator("input[name=split-test]").fill("0.2")
    alert = page.locator(".split [role=alert]")
    assert alert.inner_text() == "The ratios must sum to 1; they sum to 1.1."
    start = page.get_by_role("button", name="Start export")
    assert start.is_disabled()
    page.screenshot(path=shots / "export-split-invalid.png")
    page.locator("input[name=split-test]").fill("0.1")
    alert.wait_for(state="detached")
    page.locator("input[name=seed]").fill("7")
    assert start.is_enabled()
    start.click()

    page.get_by_role("link", name="Download", exact=True).wait_for()
    report = page.get_by_label("Export report")
    text = report.inner_text()
    assert "recorded as dataset version" in text
    assert "images\n4" in text and "objects\n4" in text, text  # 4 cars; the persons are filtered out
    assert "splits: train 2 · val 1 · test 1" in text, text

    row = page.locator(".dataset-versions tbody tr").first
    row.wait_for()
    row_text = row.inner_text()
    assert "classes car" in row_text and "split train 0.5 / val 0.4 / test 0.1 (seed 7)" in row_text, row_text
    assert "4 objects · 4 images" in row_text and "exportmgr" in row_text, row_text
    version = site.api.get(f"/projects/{project_id}/dataset-versions").json()[0]
    assert version["content_sha256"][:12] in row_text
    page.screenshot(path=shots / "export-page.png", full_page=True)

    with page.expect_download() as info:
        row.get_by_role("link", name=version["filename"]).click()
    raw = Path(info.value.path()).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == version["content_sha256"]
    files = _coco_files(raw)
    assert files, "no COCO JSON in the downloaded zip"
    annotations = [a for coco in files.values() for a in coco["annotations"]]
    cat_name = {c["id"]: c["name"] for coco in files.values() for c in coco["categories"]}
    assert len(annotations) == 4
    assert {cat_name[a["category_id"]] for a in annotations} == {"car"}
    assert {Path(n).name for n in files} <= {"instances_train.json", "instances_val.json", "instances_test.json"}
    page.context.close()


def test_annotation_import_maps_unknown_label(browser: Any, site: Site, shots: Path, tmp_path: Path) -> None:
    project_id = site.project(ONTOLOGY, "Street import")
    _images(site, project_id, tmp_path, ["a.png", "b.png"])
    _manager(site, project_id, "importmgr")
    coco = {
        "images": [
            {"id": 1, "file_name": "a.png", "width": 64, "height": 48},
            {"id": 2, "file_name": "b.png", "width": 64, "height": 48},
        ],
        "categories": [{"id": 1, "name": "car"}, {"id": 2, "name": "automobile"}],
        "annotations": [
            {"id": 1, "image_id": 1, "category_id": 1, "bbox": [2, 2, 20, 10]},
            {"id": 2, "image_id": 1, "category_id": 2, "bbox": [30, 20, 20, 20]},
            {"id": 3, "image_id": 2, "category_id": 2, "bbox": [5, 5, 10, 10]},
        ],
    }
    good = tmp_path / "instances.json"
    good.write_text(json.dumps(coco))
    bad = tmp_path / "broken.json"
    bad.write_text('{"images": [\n  {"id": 1,,}\n]}')

    page = new_page(browser, site)
    sign_in(page, "importmgr", LABELER_PASSWORD)
    page.goto(f"/projects/{project_id}/import")
    page.get_by_role("tab", name="Annotations").click()
    page.locator("select[name=import-format]").select_option("coco")

    # a malformed file: the preview's 400 names the file and the line
    page.locator("input[name=import-file]").set_input_files(str(bad))
    page.get_by_role("button", name="Preview").click()
    error = page.locator(".annotation-import [role=alert]")
    error.wait_for()
    assert "broken.json" in error.inner_text() and "line" in error.inner_text(), error.inner_text()
    page.screenshot(path=shots / "import-annotations-error.png")

    page.locator("input[name=import-file]").set_input_files(str(good))
    page.get_by_role("button", name="Preview").click()
    table = page.get_by_role("table", name="Label mapping")
    table.wait_for()
    summary = page.get_by_label("Import preview").locator("p").first.inner_text()
    assert summary == "Preview: 3 objects in the file for 2 matched images · 1 to import as mapped so far", summary
    importing = page.get_by_role("button", name="Import", exact=True)
    assert importing.is_disabled()
    mapping = page.get_by_label("Map automobile")
    assert mapping.input_value() == ""
    page.screenshot(path=shots / "import-annotations-preview.png", full_page=True)
    mapping.select_option("car")
    assert importing.is_enabled()
    importing.click()

    result = page.get_by_label("Import result")
    result.wait_for()
    assert "Imported 3 objects in 2 images · 2 revisions written" in result.inner_text(), result.inner_text()
    page.screenshot(path=shots / "import-annotations-done.png", full_page=True)

    tasks = site.api.get(f"/projects/{project_id}/tasks").json()["items"]
    heads = [site.api.get(f"/tasks/{t['id']}/annotation").json() for t in tasks]
    assert sorted(h["object_count"] for h in heads) == [1, 2]
    objects = [o for h in heads for o in h["body"]["objects"]]
    assert {o["class_id"] for o in objects} == {"car"}
    assert all(h["kind"] == "import" for h in heads)
    page.context.close()
