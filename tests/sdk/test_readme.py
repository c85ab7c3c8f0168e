"""The README's example is real code: extract it and run it against the server, unchanged."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from labelhub_sdk import Client

from .conftest import Server

README = Path(__file__).resolve().parents[2] / "sdk" / "README.md"


def readme_script() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Ten lines", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README lost its example"
    return match.group(1)


def test_readme_example_is_about_ten_lines() -> None:
    lines = [ln for ln in readme_script().splitlines() if ln.strip() and not ln.startswith(("import", "from"))]
    assert len(lines) <= 12


def test_readme_script_runs(server: Server, client: Client, images: dict[str, Path], tmp_path: Path) -> None:
    (tmp_path / "example.py").write_text(readme_script(), encoding="utf-8")
    (tmp_path / "street.jpg").write_bytes(images["chelsea.jpg"].read_bytes())
    (tmp_path / "parking.png").write_bytes(images["coffee.png"].read_bytes())
    env = {**os.environ, "LABELHUB_URL": server.url, "LABELHUB_TOKEN": server.token}
    run = subprocess.run(
        [sys.executable, "example.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    found = re.fullmatch(r"project (\d+): task (\d+) \((street\.jpg|parking\.png)\) -> revision (\d+)\n", run.stdout)
    assert found, run.stdout
    project_id, task_id, revision_id = int(found[1]), int(found[2]), int(found[4])

    project = client.projects.get(project_id)
    assert project.name == "cars"
    assert project.ontology is not None and project.ontology["classes"][0]["tool"] == "bbox"
    assert sorted(a.filename for a in client.assets.iter(project_id)) == ["parking.png", "street.jpg"]
    head = client.tasks.annotation(task_id)
    assert head is not None and head.id == revision_id and head.kind == "submission"
    assert head.body["objects"][0]["geometry"] == {"type": "bbox", "xyxy": [40.0, 60.0, 220.0, 180.0]}
    assert client.tasks.get(task_id).task.state == "submitted"
