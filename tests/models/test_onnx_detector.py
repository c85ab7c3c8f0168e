"""The ONNX detector path, on tiny graphs built by the test (plumbing only: no learned weights)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from labelhub.assist.models import ModelLoader
from labelhub.core.errors import InvalidInput
from labelhub.core.models import ImageInput, ModelKind, ModelSpec
from tests.models.graphs import BOXES, box_model, yolo_model


def _image(w: int, h: int, value: int) -> ImageInput:
    buf = io.BytesIO()
    Image.fromarray(np.full((h, w, 3), value, dtype=np.uint8)).save(buf, "PNG")
    return ImageInput(buf.getvalue(), "x.png", w, h, "image/png")


def test_plumbing_onnx_boxes_are_mapped_back_to_image_pixels(tmp_path: Path) -> None:
    path = box_model(tmp_path)
    loader = ModelLoader()
    spec = ModelSpec(ModelKind.ONNX, str(path))
    info = loader.inspect(spec)
    assert info.classes == ("vehicle", "person") and info.version == "tiny-1"
    found = loader.load(spec).detect(_image(128, 96, 255))
    by_label = {d.label: d for d in found}
    # stretch 128 x 96 -> 64 x 64: x scales by 2, y by 1.5
    x1, y1, x2, y2 = BOXES[0]
    assert by_label["vehicle"].geometry == {"type": "bbox", "xyxy": [x1 * 2, y1 * 1.5, x2 * 2, y2 * 1.5]}
    assert by_label["vehicle"].score == pytest.approx(1.0)  # white image: the graph read the pixels
    assert by_label["person"].score == pytest.approx(0.95)
    dark = {d.label: d.score for d in loader.load(spec).detect(_image(128, 96, 0))}
    assert dark["vehicle"] == pytest.approx(0.0)


def test_plumbing_onnx_letterbox_and_yolov8_output_with_nms(tmp_path: Path) -> None:
    path = yolo_model(tmp_path)
    found = ModelLoader().load(ModelSpec(ModelKind.ONNX, str(path))).detect(_image(128, 64, 128))
    # anchors 0 and 1 overlap (IoU > 0.5): NMS keeps the better one; anchor 2 is a person
    assert sorted(d.label for d in found) == ["person", "vehicle"]
    vehicle = next(d for d in found if d.label == "vehicle")
    assert vehicle.score == pytest.approx(0.9)
    # letterbox 128 x 64 -> scale 0.5, padded 16 px top: net (15, 15, 25, 25) -> image (30, -2 -> 0, 50, 18)
    x1, y1, x2, y2 = vehicle.geometry["xyxy"]
    assert (x1, x2) == pytest.approx((30.0, 50.0)) and (y1, y2) == pytest.approx((0.0, 18.0))


def test_plumbing_onnx_missing_file_or_manifest_is_refused(tmp_path: Path) -> None:
    loader = ModelLoader()
    with pytest.raises(InvalidInput, match="does not exist"):
        loader.inspect(ModelSpec(ModelKind.ONNX, str(tmp_path / "nope.onnx")))
    path = box_model(tmp_path / "m")
    path.with_suffix(".json").unlink()
    with pytest.raises(InvalidInput, match="No manifest"):
        loader.inspect(ModelSpec(ModelKind.ONNX, str(path)))
    path.with_suffix(".json").write_text(json.dumps({"classes": []}))
    with pytest.raises(InvalidInput, match="non-empty list"):
        loader.inspect(ModelSpec(ModelKind.ONNX, str(path)))
    path.with_suffix(".json").write_text("{broken")
    with pytest.raises(InvalidInput, match="not valid JSON"):
        loader.inspect(ModelSpec(ModelKind.ONNX, str(path)))
    (tmp_path / "junk.onnx").write_bytes(b"not a model")
    (tmp_path / "junk.json").write_text(json.dumps({"classes": ["a"]}))
    with pytest.raises(InvalidInput, match="could not load"):
        loader.inspect(ModelSpec(ModelKind.ONNX, str(tmp_path / "junk.onnx")))


def test_plumbing_onnx_yaml_manifest(tmp_path: Path) -> None:
    path = box_model(tmp_path)
    manifest = json.loads(path.with_suffix(".json").read_text())
    path.with_suffix(".json").unlink()
    import yaml

    path.with_suffix(".yaml").write_text(yaml.safe_dump(manifest))
    assert ModelLoader().inspect(ModelSpec(ModelKind.ONNX, str(path))).classes == ("vehicle", "person")
