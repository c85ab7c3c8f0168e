"""``labelhub export --format X`` and ``labelhub import --format X`` for every interchange format,
run as subprocesses against a real server: options recorded as dataset versions, a version
downloaded again byte for byte, round trips through COCO, YOLO and VOC, Label Studio and CVAT
sample files, the mapping step (dry run, --map) and one-line errors."""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from skimage import data

from labelhub_sdk import Client
from tests.formats.conftest import ONTO
from tests.formats.test_import import CVAT, LABEL_STUDIO

from .conftest import Server

W, H = 200, 100
EXPORTS = {
    # format: (a member the archive must hold, objects the report counts over the 4 images)
    "coco": ("annotations/instances_train.json", 12),
    "yolo": ("data.yaml", 4),
    "yolo-seg": ("data.yaml", 8),
    "yolo-obb": ("data.yaml", 8),
    "yolo-pose": ("data.yaml", 0),
    "voc": ("ImageSets/Main/train.txt", 4),
    "masks": ("ImageSets/Segmentation/train.txt", 12),
}


def creds(server: Server) -> list[str]:
    return ["--server", server.url, "--token", server.token]


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """img0.png .. img3.png, 200 x 100 real photographs (the names the sample files use)."""
    root = tmp_path_factory.mktemp("cli-formats")
    out = []
    for i, arr in enumerate((data.camera(), data.coffee(), data.chelsea(), data.astronaut())):
        path = root / f"img{i}.png"
        Image.fromarray(arr).resize((W, H)).save(path)
        out.append(path)
    return out


def body(i: int) -> dict[str, Any]:
    return {
        "objects": [
            {"id": "b", "class_id": "car", "geometry": {"type": "bbox", "xyxy": [10, 20, 60 + i, 70]}},
            {"id": "p", "class_id": "road", "geometry": {"type": "polygon", "points_xy": [[0, 0], [120, 3], [99, 70]]}},
            {"id": "r", "class_id": "plate", "geometry": {"type": "rotated_bbox", "cxcywha": [100, 50, 60, 20, 30]}},
        ],
        "classifications": {"weather": "rain" if i % 2 else "sun"},
    }


def new_project(client: Client, photos: list[Path], n: int = 4) -> int:
    pid = client.projects.create(f"fmt-{uuid.uuid4().hex[:8]}", ONTO).id
    for p in photos[:n]:
        client.assets.upload(pid, p)
    return pid


@pytest.fixture(scope="module")
def labeled(server: Server, photos: list[Path]) -> int:
    """Four labeled images; the first two accepted."""
    with server.client() as client:
        pid = new_project(client, photos)
        for i in range(4):
            task = client.tasks.next(pid)
            assert task is not None
            client.tasks.submit(task.id, body(i))
            if i < 2:
                client.review.decide(task.id, "accept")
        return pid


@pytest.mark.parametrize("fmt", sorted(EXPORTS))
def test_export_each_format_with_a_split_is_a_dataset_version(
    server: Server, labeled: int, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"{fmt}.zip"
    args = ["export", "--project", str(labeled), "--format", fmt, "--out", str(out)]
    run = server.cli(*args, "--split", "train=0.5,val=0.5", "--seed", "7", "--no-media", *creds(server))
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(out) and "dataset version " in run.stderr
    member, objects = EXPORTS[fmt]
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert member in names, names
        assert not [n for n in names if n.startswith(("images/", "JPEGImages/"))]  # --no-media
    assert f"{objects} objects" in run.stderr, run.stderr
    listed = server.cli("versions", "--project", str(labeled), "--json", *creds(server))
    assert listed.returncode == 0, listed.stderr
    newest = json.loads(listed.stdout.splitlines()[0])
    assert newest["format"] == fmt and newest["filter"]["split"] == [["train", 0.5], ["val", 0.5]]
    assert newest["filter"]["seed"] == 7 and newest["filter"]["include_media"] is False
    again = tmp_path / "again.zip"
    run = server.cli("export", "--version", str(newest["id"]), "--out", str(again), *creds(server))
    assert run.returncode == 0, run.stderr
    assert again.read_bytes() == out.read_bytes()


def test_the_filters_reach_the_export(server: Server, labeled: int, tmp_path: Path) -> None:
    out = tmp_path / "c.zip"
    args = ["export", "--project", str(labeled), "--format", "coco", "--out", str(out), "--no-media"]
    run = server.cli(*args, "--state", "accepted", "--class", "car", "--labeler", "admin", *creds(server))
    assert run.returncode == 0, run.stderr
    with zipfile.ZipFile(out) as zf:
        doc = json.loads(zf.read("annotations/instances_default.json"))
    assert len(doc["images"]) == 2 and len(doc["annotations"]) == 2
    assert {c["name"] for c in doc["categories"] if c["id"] == doc["annotations"][0]["category_id"]} == {"car"}


@pytest.mark.parametrize("fmt", ["classifications-csv", "classifications-jsonl"])
def test_classification_exports(server: Server, labeled: int, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / fmt
    run = server.cli("export", "--project", str(labeled), "--format", fmt, "--out", str(out), *creds(server))
    assert run.returncode == 0, run.stderr
    text = out.read_text(encoding="utf-8")
    if fmt.endswith("csv"):
        rows = list(csv.DictReader(io.StringIO(text)))
        assert sorted(r["weather"] for r in rows) == ["rain", "rain", "sun", "sun"]
    else:
        rows = [json.loads(line) for line in text.splitlines()]
        assert len(rows) == 4 and "rain" in text and "sun" in text


@pytest.mark.parametrize(("fmt", "objects"), [("coco", 12), ("yolo", 4), ("voc", 4)])
def test_export_then_import_each_format_through_the_cli(
    server: Server, client: Client, labeled: int, photos: list[Path], tmp_path: Path, fmt: str, objects: int
) -> None:
    exported = tmp_path / f"{fmt}.zip"
    run = server.cli("export", "--project", str(labeled), "--format", fmt, "--out", str(exported), *creds(server))
    assert run.returncode == 0, run.stderr
    target = new_project(client, photos)
    args = ["import", str(exported), "--project", str(target), "--format", fmt, "--json"]
    dry = server.cli(*args, "--dry-run", *creds(server))
    assert dry.returncode == 0, dry.stderr
    report = json.loads(dry.stdout)
    assert report["dry_run"] is True and report["items"] == 4 and report["objects"] == objects
    assert all(t.state == "queued" and t.head_revision_id is None for t in client.tasks.iter(target))
    run = server.cli(*args, *creds(server))
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert (report["dry_run"], report["revisions"], report["objects"]) == (False, 4, objects)
    heads = [client.tasks.annotation(t.id) for t in client.tasks.iter(target)]
    assert all(h is not None and h.kind == "import" for h in heads)
    cars = sorted(o["geometry"]["xyxy"][2] for h in heads if h for o in h.body["objects"] if o["class_id"] == "car")
    assert cars == pytest.approx([60, 61, 62, 63], abs=1)


def test_a_yolo_folder_is_zipped_and_imported(
    server: Server, client: Client, photos: list[Path], tmp_path: Path
) -> None:
    folder = tmp_path / "dataset"
    (folder / "labels" / "train").mkdir(parents=True)
    (folder / "data.yaml").write_text("names:\n  0: car\n", encoding="utf-8")
    (folder / "labels" / "train" / "img0.txt").write_text("0 0.5 0.5 0.2 0.2\n0 0.1 0.1 0.1 0.1\n")
    (folder / "labels" / "train" / "img1.txt").write_text("")
    pid = new_project(client, photos, n=2)
    run = server.cli("import", str(folder), "--project", str(pid), "--format", "yolo", *creds(server))
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("2 images matched, 2 objects, 2 revisions written"), run.stdout
    assert "  car: 2 objects -> car" in run.stdout


def test_label_studio_and_cvat_samples_through_the_cli(
    server: Server, client: Client, photos: list[Path], tmp_path: Path
) -> None:
    pid = new_project(client, photos, n=2)
    ls = tmp_path / "export.json"
    ls.write_text(json.dumps(LABEL_STUDIO), encoding="utf-8")
    run = server.cli("import", str(ls), "--project", str(pid), "--format", "labelstudio", "--json", *creds(server))
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert (report["items"], report["objects"], report["unmatched_files"]) == (2, 3, ["elsewhere.png"])
    assert "warning: skipped: " in run.stderr

    cvat = tmp_path / "annotations.xml"
    cvat.write_bytes(CVAT.replace(b'label="sign"', b'label="street sign"'))
    args = ["import", str(cvat), "--project", str(pid), "--format", "cvat", "--mode", "append"]
    dry = server.cli(*args, "--dry-run", *creds(server))
    assert (
        dry.returncode == 1
        and "street sign: 2 objects -> unknown (add --map 'street sign=CLASS|create|drop')" in dry.stdout
    )
    assert dry.stderr.strip().endswith("map each with --map LABEL=CLASS|create|drop")
    run = server.cli(*args, "--map", "street sign=drop", "--json", *creds(server))
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["objects"] == 4
    first = min((t for t in client.tasks.iter(pid)), key=lambda t: t.id)
    head = client.tasks.annotation(first.id)
    assert head is not None and len(head.body["objects"]) == 2 + 3  # Label Studio's two, then CVAT's three


def test_import_errors_are_one_line(server: Server, client: Client, photos: list[Path], tmp_path: Path) -> None:
    pid = new_project(client, photos, n=1)
    coco = tmp_path / "c.json"
    coco.write_text(json.dumps({
        "images": [{"id": 1, "file_name": "img0.png", "width": W, "height": H}],
        "categories": [{"id": 1, "name": "truck"}],
        "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 1, 10, 10]}],
    }), encoding="utf-8")  # fmt: skip
    base = ["import", str(coco), "--project", str(pid), "--format", "coco"]
    run = server.cli(*base, *creds(server))
    assert run.returncode == 1 and run.stderr.splitlines()[-1].startswith("error: ") and "--map" in run.stderr
    assert "Traceback" not in run.stderr
    run = server.cli(*base, "--map", "truck", *creds(server))
    assert run.returncode == 1 and run.stderr.startswith("error: --map takes LABEL=TARGET")
    run = server.cli(*base, "--map", "truck=bus", *creds(server))
    assert run.returncode == 1 and "neither a class id" in run.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"images": [}', encoding="utf-8")
    run = server.cli("import", str(bad), "--project", str(pid), "--format", "coco", "--dry-run", *creds(server))
    last = run.stderr.splitlines()[-1]
    assert run.returncode == 1 and last.startswith("error: bad.json: not valid JSON at line 1, column 13")
    assert run.stderr.count("error:") == 1 and "uploading bad.json" in run.stderr  # the upload's bar, then one line
    run = server.cli("import", str(coco), "--format", "coco", *creds(server))
    assert run.returncode == 1 and "--project" in run.stderr
    run = server.cli("import", str(coco), "--project", str(pid), "--format", "kml", *creds(server))
    assert run.returncode == 1 and "unknown import format 'kml'" in run.stderr and "labelstudio" in run.stderr
    run = server.cli("import", str(coco), "--project", str(pid), "--dry-run", *creds(server))
    assert run.returncode == 1 and "need an annotation format" in run.stderr
    assert all(t.head_revision_id is None for t in client.tasks.iter(pid))
    run = server.cli(*base, "--map", "truck=create", *creds(server))
    assert run.returncode == 0 and "created classes: truck" in run.stdout, run.stderr


def test_export_option_errors(server: Server, labeled: int, tmp_path: Path) -> None:
    base = ["export", "--project", str(labeled), "--format", "coco", "--out", str(tmp_path / "x.zip")]
    run = server.cli(*base, "--split", "train=0.8,val", *creds(server))
    assert run.returncode == 1 and run.stderr.startswith("error: --split takes NAME=RATIO")
    run = server.cli(*base, "--split", "train=0.8,val=0.1", *creds(server))
    assert run.returncode == 1 and "sum to 1" in run.stderr
    run = server.cli(*base, "--class", "zebra", *creds(server))
    assert run.returncode == 1 and "zebra" in run.stderr and "Traceback" not in run.stderr
    run = server.cli(*base, "--labeler", "nobody", *creds(server))
    assert run.returncode == 1 and "nobody" in run.stderr
    run = server.cli("export", "--out", str(tmp_path / "y.zip"), *creds(server))
    assert run.returncode == 1 and "--project ID" in run.stderr
    run = server.cli("export", "--version", "987654", "--out", str(tmp_path / "z.zip"), *creds(server))
    assert run.returncode == 1 and run.stderr.strip() == "error: Dataset version 987654 does not exist."
