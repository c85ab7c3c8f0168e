"""Export (format choice from GET /formats, job progress, the downloaded file read back) and the
members page (add, change role, remove), in a real browser."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from PIL import Image
from skimage import data

from tests.e2e.conftest import LABELER_PASSWORD, Site, new_page, sign_in
from tests.sdk.conftest import ADMIN_PASSWORD

ONTOLOGY = {
    "classes": [{"id": "coin", "name": "Coin", "tool": "bbox", "color": "#e69f00", "hotkey": "1"}],
    "classifications": [],
}


def _coco(raw: bytes) -> dict[str, Any]:
    if raw[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            name = next(n for n in z.namelist() if n.endswith(".json"))
            return dict(json.loads(z.read(name)))
    return dict(json.loads(raw))


def test_export_coco_with_progress_and_download(browser: Any, site: Site, shots: Path, tmp_path: Path) -> None:
    project_id = site.project(ONTOLOGY, "Coins export")
    image = tmp_path / "coins.png"
    Image.fromarray(data.coins()).save(image)
    site.upload(project_id, image)
    task = site.api.post(f"/projects/{project_id}/next-task").json()["task"]
    body = {
        "objects": [{"id": "o1", "class_id": "coin", "geometry": {"type": "bbox", "xyxy": [10, 20, 50, 60]}}],
        "classifications": {},
    }
    site.api.post(f"/tasks/{task['id']}/submit", json={"body": body}).raise_for_status()
    exporters = site.api.get("/formats").json()["exporters"]
    assert "coco" in exporters

    page = new_page(browser, site)
    sign_in(page, "admin", ADMIN_PASSWORD)
    page.goto(f"/projects/{project_id}/export")
    fmt = page.locator("select[name=format]")
    fmt.wait_for()
    offered = fmt.locator("option").all_inner_texts()
    assert sorted(offered) == sorted(exporters)
    fmt.select_option("coco")
    page.get_by_role("button", name="Start export").click()
    download_link = page.get_by_role("link", name="Download")
    download_link.wait_for()
    assert "1 of 1 tasks" in page.locator(".job").inner_text()
    assert "100%" in page.locator(".job").inner_text()
    page.screenshot(path=shots / "export-done.png")
    with page.expect_download() as info:
        download_link.click()
    path = info.value.path()
    coco = _coco(Path(path).read_bytes())
    assert [c["name"] for c in coco["categories"]] == ["coin"]
    assert [a["bbox"] for a in coco["annotations"]] == [[10, 20, 40, 40]]
    page.context.close()


def test_members_add_change_role_remove(browser: Any, site: Site, shots: Path) -> None:
    project_id = site.project(ONTOLOGY, "Members flow")
    site.server.make_user("member1", LABELER_PASSWORD)
    page = new_page(browser, site)
    sign_in(page, "admin", ADMIN_PASSWORD)
    page.goto(f"/projects/{project_id}/members")
    form = page.get_by_role("form", name="Add member")
    form.get_by_placeholder("username").fill("member1")
    form.locator("select[name=member-role]").select_option("reviewer")
    form.get_by_role("button", name="Add member").click()
    role = page.get_by_label("Role of member1")
    role.wait_for()

    def roles() -> dict[str, str]:
        return {m["username"]: m["role"] for m in site.api.get(f"/projects/{project_id}/members").json()}

    assert roles()["member1"] == "reviewer"
    role.select_option("labeler")
    for _ in range(50):
        if roles().get("member1") == "labeler":
            break
        page.wait_for_timeout(100)
    assert roles()["member1"] == "labeler"
    page.screenshot(path=shots / "members.png")
    page.get_by_role("row").filter(has_text="member1").get_by_role("button", name="Remove").click()
    page.get_by_label("Role of member1").wait_for(state="detached")
    assert "member1" not in roles()
    page.context.close()
