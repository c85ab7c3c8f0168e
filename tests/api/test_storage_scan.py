"""Registering a storage folder by reference: a server folder or a blob prefix."""

from __future__ import annotations

import time
from pathlib import Path

from tests.conftest import ProjectEnv, png_bytes

V1 = "/api/v1"


def _assets_ready(project: ProjectEnv, n: int) -> list[dict]:  # type: ignore[type-arg]
    deadline = time.monotonic() + 30
    while True:
        items = project.manager.get(f"{V1}/projects/{project.id}/assets", params={"limit": 500}).json()["items"]
        refs = [a for a in items if a["filename"].startswith("scan")]
        if (len(refs) == n and all(a["status"] != "pending" for a in refs)) or time.monotonic() > deadline:
            return refs
        time.sleep(0.05)


def test_scan_a_server_folder_registers_supported_files_once(project: ProjectEnv, tmp_path: Path) -> None:
    folder = tmp_path / "import" / "xrays"
    (folder / "deeper").mkdir(parents=True)
    for i in range(3):
        (folder / f"scan{i}.png").write_bytes(png_bytes(40 + i, 30, seed=i))
    (folder / "deeper" / "scan9.png").write_bytes(png_bytes(20, 10, seed=9))
    (folder / "notes.rtf").write_text("not an image")  # .txt would be a text asset
    (folder / ".scan-hidden.png").write_bytes(png_bytes(5, 5))
    (folder / "scan-broken.png").write_bytes(png_bytes()[:40])
    m = project.manager
    job = m.post(f"{V1}/projects/{project.id}/assets/scan", json={"uri": folder.as_uri()})
    assert job.status_code == 202, job.text
    done = m.wait_job(job.json()["id"])
    assert done["state"] == "succeeded" and done["result"]["registered"] == 5, done
    refs = _assets_ready(project, 5)
    by_name = {a["filename"]: a for a in refs}
    assert (by_name["scan1.png"]["width"], by_name["scan1.png"]["height"]) == (41, 30)
    assert by_name["scan9.png"]["status"] == "ready"
    assert by_name["scan-broken.png"]["status"] == "failed" and "truncated" in by_name["scan-broken.png"]["error"]
    assert m.get(f"{V1}/assets/{by_name['scan0.png']['id']}/content").content == png_bytes(40, 30, seed=0)
    again = m.wait_job(m.post(f"{V1}/projects/{project.id}/assets/scan", json={"uri": folder.as_uri()}).json()["id"])
    assert again["result"] == {"registered": 0, "already_registered": 5, "errors": []}


def test_scan_a_blob_prefix(project: ProjectEnv, platform) -> None:  # type: ignore[no-untyped-def]
    for i in range(2):
        platform.deps.blobs.put_bytes(f"external/batch/scan{i}.png", png_bytes(8, 6, seed=i))
    platform.deps.blobs.put_bytes("external/batch/readme.md", b"# hi")
    m = project.manager
    done = m.wait_job(
        m.post(f"{V1}/projects/{project.id}/assets/scan", json={"uri": "blob://external/batch/"}).json()["id"]
    )
    assert done["result"]["registered"] == 2
    assert {(a["width"], a["height"]) for a in _assets_ready(project, 2)} == {(8, 6)}


def test_scan_refuses_locations_outside_what_it_may_read(project: ProjectEnv, tmp_path: Path) -> None:
    m, url = project.manager, f"{V1}/projects/{project.id}/assets/scan"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    for uri, words in (
        (outside.as_uri(), "outside the server's import folders"),
        ((tmp_path / "import" / "missing").as_uri(), "not a folder"),
        ("blob://media/", "not a prefix you may register from"),
        ("ftp://x/", "scan a file:// folder"),
    ):
        r = m.post(url, json={"uri": uri})
        assert r.status_code == 400 and words in r.json()["detail"], (uri, r.text)
    assert project.labeler.post(url, json={"uri": "blob://external/"}).status_code == 403
