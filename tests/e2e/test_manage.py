"""Management pages in a real browser: sign-in, project creation and upload through the UI, tokens, errors."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PIL import Image
from skimage import data

from tests.e2e.conftest import Site, new_page, sign_in
from tests.sdk.conftest import ADMIN_PASSWORD


def _images(tmp: Path) -> list[Path]:
    out = []
    for name, arr in (("camera", data.camera()), ("coins", data.coins())):
        p = tmp / f"{name}.png"
        Image.fromarray(arr).save(p)
        out.append(p)
    bad = tmp / "broken.png"
    bad.write_bytes(b"this is not an image")
    out.append(bad)
    return out


def test_wrong_password_says_so(browser: Any, site: Site, shots: Path) -> None:
    page = new_page(browser, site)
    page.goto("/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("alert").wait_for()
    assert page.get_by_role("alert").inner_text().strip()
    page.screenshot(path=shots / "login-error.png")
    page.context.close()


def test_create_project_and_upload_through_the_ui(browser: Any, site: Site, shots: Path, tmp_path: Path) -> None:
    page = new_page(browser, site)
    sign_in(page, "admin", ADMIN_PASSWORD)
    page.get_by_label("Name", exact=True).fill("Chest X-ray nodules")
    page.get_by_label("Name of class 1").fill("Nodule")
    page.get_by_role("button", name="+ Add class").click()
    page.get_by_label("Name of class 2").fill("Rib fracture")
    page.get_by_label("Tool of class 2").select_option("polygon")
    page.get_by_role("button", name="Create project").click()
    page.wait_for_url(re.compile(r"/projects/\d+/import$"))
    project_id = int(page.url.rstrip("/").split("/")[-2])
    ontology = site.api.get(f"/projects/{project_id}").json()["ontology"]
    assert [(c["id"], c["tool"], c.get("hotkey")) for c in ontology["classes"]] == [
        ("nodule", "bbox", "1"),
        ("rib_fracture", "polygon", "2"),
    ]

    page.get_by_test_id("file-input").set_input_files([str(p) for p in _images(tmp_path)])
    page.get_by_text(re.compile(r"Uploaded 2 of 3 files")).wait_for()
    failed = page.locator(".file.failed")
    assert failed.count() == 1
    assert "broken.png" in failed.inner_text()
    assert page.get_by_role("button", name="Retry 1 failed").is_visible()
    page.screenshot(path=shots / "import-with-failure.png")

    assets = site.api.get(f"/projects/{project_id}/assets").json()["items"]
    assert sorted(a["filename"] for a in assets) == ["camera.png", "coins.png"]

    page.get_by_role("link", name="Projects").first.click()
    row = page.get_by_role("row").filter(has_text="Chest X-ray nodules")
    assert "0 / 2" in row.inner_text()
    page.screenshot(path=shots / "projects.png")
    page.context.close()


def test_tokens_page_creates_a_token_shown_once(browser: Any, site: Site) -> None:
    page = new_page(browser, site)
    sign_in(page, "admin", ADMIN_PASSWORD)
    page.get_by_role("link", name="API tokens").click()
    page.get_by_placeholder("Token name, e.g. nightly export").fill("e2e script")
    page.get_by_role("button", name="Create token").click()
    token = page.get_by_test_id("new-token").inner_text()
    assert site.as_user(token).get("/auth/me").json()["username"] == "admin"
    assert page.get_by_role("cell", name="e2e script").is_visible()
    page.context.close()


def test_unknown_page_and_missing_project_show_designed_errors(browser: Any, site: Site, shots: Path) -> None:
    page = new_page(browser, site)
    sign_in(page, "admin", ADMIN_PASSWORD)
    page.goto("/projects/99999")
    page.get_by_role("alert").wait_for()
    assert "Try again" in page.get_by_role("alert").inner_text()
    page.screenshot(path=shots / "error-missing-project.png")
    page.context.close()
