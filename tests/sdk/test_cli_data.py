"""``labelhub project create / import / export`` run as subprocesses against the real server."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from labelhub_sdk import Client

from .conftest import BOX_ONTOLOGY, Server, free_port


@pytest.fixture
def ontology_file(tmp_path: Path) -> Path:
    path = tmp_path / "ontology.json"
    path.write_text(json.dumps(BOX_ONTOLOGY), encoding="utf-8")
    return path


def creds(server: Server) -> list[str]:
    return ["--server", server.url, "--token", server.token]


def test_project_create_prints_the_id(server: Server, client: Client, ontology_file: Path) -> None:
    run = server.cli(
        "project",
        "create",
        "--name",
        "from the cli",
        "--ontology",
        str(ontology_file),
        "--description",
        "made by a test",
        "--consensus",
        "2",
        *creds(server),
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().isdigit() and run.stdout == run.stdout.strip() + "\n"
    project = client.projects.get(int(run.stdout))
    assert (project.name, project.description, project.consensus) == ("from the cli", "made by a test", 2)


def test_project_create_takes_the_environment(server: Server, ontology_file: Path) -> None:
    run = server.cli(
        "project",
        "create",
        "--name",
        "env",
        "--ontology",
        str(ontology_file),
        env={"LABELHUB_URL": server.url, "LABELHUB_TOKEN": server.token},
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().isdigit()


def test_project_create_errors(server: Server, ontology_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    run = server.cli("project", "create", "--name", "x", "--ontology", str(bad), *creds(server))
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.startswith("error: ") and "not valid JSON" in run.stderr and "Traceback" not in run.stderr

    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"classes": [{"id": "car", "tool": "crayon"}]}), encoding="utf-8")
    run = server.cli("project", "create", "--name", "x", "--ontology", str(wrong), *creds(server))
    assert run.returncode == 1 and run.stderr.startswith("error: ") and "crayon" in run.stderr

    run = server.cli(
        "project",
        "create",
        "--name",
        "x",
        "--ontology",
        str(ontology_file),
        "--server",
        server.url,
        "--token",
        "lh_wrong",
    )
    assert run.returncode == 1 and run.stderr.startswith("error: ") and len(run.stderr.strip().splitlines()) == 1

    run = server.cli("project", "create", "--name", "x", "--ontology", str(ontology_file))
    assert run.returncode == 1 and "error: give the server" in run.stderr

    url = f"http://127.0.0.1:{free_port()}"
    run = server.cli(
        "project", "create", "--name", "x", "--ontology", str(ontology_file), "--server", url, "--token", "lh_x"
    )
    assert run.returncode == 1 and run.stderr.startswith(f"error: cannot reach the server at {url}")
    assert "Traceback" not in run.stderr


def test_import_folder_with_a_corrupt_file(
    server: Server, client: Client, project_id: int, images: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "photos"
    (folder / "nested" / "deeper").mkdir(parents=True)
    (folder / ".cache").mkdir()
    shutil.copy(images["astronaut.png"], folder / "astronaut.png")
    shutil.copy(images["coffee.jpg"], folder / "nested" / "coffee.jpg")
    shutil.copy(images["chelsea.png"], folder / "nested" / "deeper" / "chelsea.png")
    (folder / "broken.png").write_bytes(images["camera.png"].read_bytes()[:300])  # truncated PNG
    shutil.copy(images["rocket.png"], folder / ".hidden.png")
    shutil.copy(images["rocket.jpg"], folder / ".cache" / "rocket.jpg")

    run = server.cli("import", str(folder), "--project", str(project_id), *creds(server))
    assert run.returncode == 1
    assert run.stdout.strip() == "imported 3, duplicates 0, failed 1"
    failed = [ln for ln in run.stderr.splitlines() if ln.startswith("failed: ")]
    assert len(failed) == 1 and failed[0].startswith("failed: broken.png: ") and len(failed[0]) > 25
    assert run.stderr.strip().splitlines()[-1] == "error: 1 of 4 files could not be imported"
    assert "Traceback" not in run.stderr
    assert sorted(a.filename for a in client.assets.iter(project_id)) == ["astronaut.png", "chelsea.png", "coffee.jpg"]

    (folder / "broken.png").unlink()
    again = server.cli("import", str(folder), "--project", str(project_id), *creds(server))
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "imported 0, duplicates 3, failed 0"

    single = server.cli("import", str(images["camera.jpg"]), "--project", str(project_id), *creds(server))
    assert single.returncode == 0 and single.stdout.strip() == "imported 1, duplicates 0, failed 0"


def test_import_zip_follows_the_job(
    server: Server, client: Client, project_id: int, images: dict[str, Path], tmp_path: Path
) -> None:
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(images["camera.png"], "a/camera.png")
        zf.write(images["rocket.jpg"], "rocket.jpg")
        zf.writestr("bad.png", b"\x89PNG\r\n\x1a\n broken")
    run = server.cli("import", str(archive), "--project", str(project_id), *creds(server))
    assert run.returncode == 1
    assert run.stdout.strip() == "imported 2, duplicates 0, failed 1"
    assert "failed: bad.png: " in run.stderr and "error: 1 of 3 files" in run.stderr
    assert len(list(client.assets.iter(project_id))) == 2


def test_import_errors(server: Server, tmp_path: Path, images: dict[str, Path]) -> None:
    run = server.cli("import", str(tmp_path / "missing"), "--project", "1", *creds(server))
    assert run.returncode == 1 and run.stderr.startswith("error: nothing at ")
    run = server.cli("import", str(images["camera.png"]), "--project", "987654", *creds(server))
    assert run.returncode == 1 and run.stderr.strip() == "error: Project 987654 not found."
    run = server.cli("import", str(images["camera.png"]), *creds(server))
    assert run.returncode == 1 and "--project" in run.stderr
    run = server.cli("import", str(images["camera.png"]), "--format", "native", *creds(server))
    assert run.returncode == 1 and ".zip" in run.stderr


def test_export_then_native_import(
    server: Server, client: Client, project_id: int, images: dict[str, Path], tmp_path: Path
) -> None:
    for name in ("astronaut.png", "chelsea.jpg"):
        client.assets.upload(project_id, images[name])
    task = client.tasks.next(project_id)
    assert task is not None
    box = {"id": "b", "class_id": "car", "geometry": {"type": "bbox", "xyxy": [1, 1, 50, 50]}}
    client.tasks.submit(task.id, {"objects": [box], "classifications": {}})
    client.review.decide(task.id, "accept")

    out = tmp_path / "accepted.zip"
    run = server.cli(
        "export",
        "--project",
        str(project_id),
        "--format",
        "native",
        "--out",
        str(out),
        "--state",
        "accepted",
        "--no-media",
        *creds(server),
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(out)
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert not [n for n in zf.namelist() if n.startswith("media/")]
    assert manifest["counts"]["tasks"] == 1 and manifest["counts"]["media"] == 0

    full = tmp_path / "full"
    full.mkdir()
    run = server.cli("export", "--project", str(project_id), "--format", "native", "--out", str(full), *creds(server))
    assert run.returncode == 0, run.stderr
    written = Path(run.stdout.strip())
    assert written.parent == full and written.is_file()
    with zipfile.ZipFile(written) as zf:
        assert len([n for n in zf.namelist() if n.startswith("media/")]) == 2

    run = server.cli("import", str(written), "--format", "native", *creds(server))
    assert run.returncode == 0, run.stderr
    new_id = int(run.stdout.strip())
    assert client.projects.get(new_id).task_counts == {"accepted": 1, "queued": 1}


def test_export_errors(server: Server, project_id: int, tmp_path: Path) -> None:
    run = server.cli(
        "export", "--project", str(project_id), "--format", "nope", "--out", str(tmp_path / "x.zip"), *creds(server)
    )
    assert run.returncode == 1 and run.stderr.startswith("error: No export format 'nope'")
    run = server.cli(
        "export",
        "--project",
        str(project_id),
        "--format",
        "native",
        "--out",
        str(tmp_path / "no" / "such" / "dir.zip"),
        *creds(server),
    )
    assert run.returncode == 1 and "does not exist" in run.stderr
    run = server.cli(
        "export", "--project", str(project_id), "--state", "finished", "--out", str(tmp_path / "y.zip"), *creds(server)
    )
    assert run.returncode == 1 and run.stderr.startswith("error: ") and "Traceback" not in run.stderr
