"""Datumaro, the reference reader of CVAT's ecosystem, imports our COCO, YOLO and VOC exports with
the same item and annotation counts.

Datumaro 1.13 pins ``pillow~=12`` while the server uses Pillow 13, so it runs in its own virtualenv
(``.venv-datumaro``, made by ``scripts/datumaro-check setup`` on first use) and reports counts as
JSON from ``check.py``; nothing of Datumaro is imported here.  When the virtualenv cannot be
made (no package index reachable), the tests skip with pip's reason.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import Api
from tests.formats.conftest import ONTO
from tests.formats.test_import import V1, label_all, new_project

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "datumaro-check"


@pytest.fixture(scope="module")
def datumaro() -> None:
    run = subprocess.run([str(SCRIPT), "setup"], capture_output=True, text=True, timeout=900, check=False)
    if run.returncode == 3:
        pytest.skip(f"Datumaro could not be installed into its virtualenv: {run.stderr.strip()[-500:]}")
    assert run.returncode == 0, run.stderr


def check(fmt: str, path: Path) -> dict[str, Any]:
    run = subprocess.run([str(SCRIPT), fmt, str(path)], capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    return dict(json.loads(run.stdout.strip().splitlines()[-1]))


def export(m: Api, pid: int, fmt: str, tmp: Path, **options: Any) -> tuple[Path, dict[str, Any]]:
    job = m.post(f"{V1}/projects/{pid}/exports", json={"format": fmt, **options}).json()
    done = m.wait_job(job["id"])
    assert done["state"] == "succeeded", done
    path = tmp / f"{fmt}.zip"
    path.write_bytes(m.get(f"{V1}/jobs/{job['id']}/download").content)
    return path, done["result"]["report"]


@pytest.fixture
def labeled(users: dict[str, Api]) -> int:
    pid = new_project(users, ONTO)
    label_all(users, pid)
    return pid


def test_coco(datumaro: None, users: dict[str, Api], labeled: int, tmp_path: Path) -> None:
    path, report = export(users["manager"], labeled, "coco", tmp_path, split={"train": 0.5, "val": 0.5}, seed=1)
    with zipfile.ZipFile(path) as zf:
        docs = [orjson.loads(zf.read(n)) for n in zf.namelist() if n.startswith("annotations/")]
    got = check("coco", path)
    print(got)
    assert got["items"] == report["images"] == sum(len(d["images"]) for d in docs)
    anns = [a for d in docs for a in d["annotations"]]
    # Datumaro reads each COCO annotation as its box, plus one polygon per ring or one mask (grouped
    # with the box); keypoints in an instances file are not read (only person_keypoints_*.json).
    rings = sum(len(a["segmentation"]) for a in anns if isinstance(a["segmentation"], list))
    masks = sum(isinstance(a["segmentation"], dict) for a in anns)
    assert got["by_type"] == {"bbox": len(anns), "polygon": rings, "mask": masks}
    assert len(anns) == report["objects"] == 18 and (rings, masks) == (6, 3)
    assert got["labels"] == [c["name"] for c in docs[0]["categories"]]
    assert got["subsets"] == {"train": 1, "val": 2} == {s: n for s, n in report["splits"].items()}
    assert got["sizes"] == {f"img{i}": [100, 200] for i in range(3)}


def expected_boxes(label: int) -> list[list[Any]]:
    """The two car boxes of ``rich_body(i)`` on each image, as ``[id, label, x, y, w, h]``."""
    return sorted(
        box
        for i in range(3)
        for box in ([f"img{i}", label, 10.25, 20.0, 39.75 + i, 40.5], [f"img{i}", label, 0.0, 0.0, 200.0, 100.0])
    )


def close(got: list[list[Any]], want: list[list[Any]], tol: float) -> bool:
    return len(got) == len(want) and all(
        g[:2] == w[:2] and all(abs(a - b) <= tol for a, b in zip(g[2:], w[2:], strict=True))
        for g, w in zip(got, want, strict=True)
    )


def test_yolo(datumaro: None, users: dict[str, Api], labeled: int, tmp_path: Path) -> None:
    path, report = export(users["manager"], labeled, "yolo", tmp_path, split={"train": 0.5, "val": 0.5}, seed=1)
    got = check("yolo", path)
    assert got["items"] == report["images"] == 3 and got["subsets"] == {"train": 1, "val": 2}
    assert got["by_type"] == {"bbox": report["objects"]} == {"bbox": 6}
    with zipfile.ZipFile(path) as zf:
        rows = re.findall(r"^\s+\d+:\s*(.+)$", zf.read("data.yaml").decode(), flags=re.M)
    names = [r.strip().strip("'\"") for r in rows]
    assert names and got["labels"] == names
    # normalized to 6 decimals: within a hundredth of a pixel on a 200 x 100 image
    assert close(got["boxes"], expected_boxes(0), 0.01), got["boxes"]
    assert got["sizes"] == {f"img{i}": [100, 200] for i in range(3)}


def test_voc(datumaro: None, users: dict[str, Api], labeled: int, tmp_path: Path) -> None:
    path, report = export(users["manager"], labeled, "voc", tmp_path)
    got = check("voc", path)
    assert got["items"] == report["images"] == 3 and got["subsets"] == {"default": 3}
    assert got["by_type"] == {"bbox": report["objects"]} == {"bbox": 6}
    assert got["labels"][:2] == ["background", "car"]
    assert close(got["boxes"], expected_boxes(1), 1.0), got["boxes"]
    assert got["sizes"] == {f"img{i}": [100, 200] for i in range(3)}


def test_a_virtualenv_that_cannot_be_made_is_reported_for_the_skip(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    env = {**os.environ, "LABELHUB_DATUMARO_VENV": str(blocker / "venv")}
    run = subprocess.run([str(SCRIPT), "setup"], capture_output=True, text=True, timeout=120, env=env, check=False)
    assert run.returncode == 3 and "could not create a virtualenv at" in run.stderr, run.stderr
