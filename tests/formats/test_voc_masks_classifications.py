"""Pascal VOC XML, semantic masks as indexed PNG, and classifications as CSV / JSONL."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import numpy as np
import orjson
from PIL import Image

from labelhub.core.formats import ExportOptions
from labelhub.formats.classifications import ClassificationsExporter
from labelhub.formats.masks import SemanticMaskExporter
from labelhub.formats.voc import VocExporter
from tests.formats.conftest import FakeSource, box, mask, obj, poly, rbox, run_export

W, H = 200, 100


def test_voc_boxes_flags_and_image_sets() -> None:
    objects = [
        box("b1", 10, 20, 50, 60, attributes={"difficult": "yes", "occluded": "no"}),
        box("b2", -5, 0, 30, 40),  # crosses the left border: truncated
        box("b3", 300, 0, 330, 40),  # outside: dropped
        poly("p", [[0, 0], [9, 0], [9, 9]]),  # not a box: dropped, counted
    ]
    items = [("x&y.png", W, H, objects, {}), ("e.png", W, H, [], {})]
    zf, report = run_export(VocExporter(), FakeSource(items), split=(("train", 0.5), ("val", 0.5)))
    root = ET.fromstring(zf.read("Annotations/x&y.xml"))
    assert root.findtext("filename") == "x&y.png" and root.findtext("size/width") == "200"
    objs = root.findall("object")
    assert [o.findtext("name") for o in objs] == ["car", "car"]
    assert [o.findtext("truncated") for o in objs] == ["0", "1"]
    assert [o.findtext("difficult") for o in objs] == ["1", "0"]
    assert [float(objs[1].findtext(f"bndbox/{k}") or "nan") for k in ("xmin", "ymin", "xmax", "ymax")] == [0, 0, 30, 40]
    assert ET.fromstring(zf.read("Annotations/e.xml")).findall("object") == []
    sets = {s: zf.read(f"ImageSets/Main/{s}.txt").decode().split() for s in ("train", "val")}
    assert sorted(sets["train"] + sets["val"]) == ["e", "x&y"]
    assert report["dropped"] == {"outside the image": 1, "unsupported shape polygon": 1}
    assert zf.read("labelmap.txt").decode().splitlines()[2] == "car:230,25,75::"


def test_semantic_masks_are_indexed_pngs_with_the_ontology_palette() -> None:
    ring = np.zeros((H, W), dtype=bool)
    ring[10:50, 100:140] = True
    ring[20:40, 110:130] = False
    objects = [
        box("b", 10, 20, 50, 60),
        mask("m", ring),
        rbox("r", 170, 50, 40, 20, 90),  # 20 wide x 40 tall after rotation
        obj("pt", "sign", {"type": "point", "xy": [1, 1]}),
    ]
    zf, report = run_export(SemanticMaskExporter(), FakeSource([("s.jpg", W, H, objects, {})]))
    img = Image.open(io.BytesIO(zf.read("SegmentationClass/s.png")))
    assert img.mode == "P" and img.size == (W, H)
    arr = np.array(img)
    assert int((arr == 1).sum()) == 40 * 40  # car: class index 0 -> value 1
    assert ((arr == 4) == ring).all()  # blob: the ring, hole kept
    assert int((arr == 3).sum()) == 20 * 40 and (arr[30:70, 160:180] == 3).all()
    assert img.getpalette()[3:6] == [230, 25, 75]
    assert report["dropped"] == {"unsupported shape point": 1}
    assert zf.read("ImageSets/Segmentation/default.txt") == b"s\n"


def test_classifications_csv_and_jsonl() -> None:
    items = [("a.png", W, H, [], {"weather": "rain"}), ("b.png", W, H, None, {}, "queued")]
    raw = ClassificationsExporter("csv")
    buf = io.BytesIO()
    raw.export(FakeSource(items), buf, ExportOptions(), lambda d, t: None)
    rows = list(csv.reader(io.StringIO(buf.getvalue().decode())))
    assert rows[0] == ["file_name", "asset_id", "task_id", "state", "split", "weather"]
    assert rows[1] == ["a.png", "100", "1", "accepted", "default", "rain"]
    assert rows[2] == ["b.png", "101", "2", "queued", "default", ""]
    buf = io.BytesIO()
    ClassificationsExporter("jsonl").export(FakeSource(items), buf, ExportOptions(), lambda d, t: None)
    lines = [orjson.loads(x) for x in buf.getvalue().splitlines()]
    assert lines[0]["classifications"] == {"weather": "rain"} and lines[1]["classifications"] == {}
    assert raw.media_type == "text/csv"
