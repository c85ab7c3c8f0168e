"""Label Studio's ML-backend protocol against a real HTTP server on loopback."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from labelhub.assist.models import ModelLoader
from labelhub.assist.models.ls_backend import region_to_detection
from labelhub.core.errors import InvalidInput, ServiceUnavailable
from labelhub.core.models import ImageInput, ModelKind, ModelSpec
from tests.models.ls_server import ls_backend


def _png(w: int = 64, h: int = 48) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.zeros((h, w, 3), dtype=np.uint8)).save(buf, "PNG")
    return buf.getvalue()


def test_health_setup_and_predict_follow_the_protocol() -> None:
    with ls_backend() as server:
        spec = ModelSpec(ModelKind.LS_BACKEND, server.url, ("Car", "Tree"), {"timeout_seconds": 5})
        loader = ModelLoader()
        info = loader.inspect(spec)
        assert info.version == "ls-model-7" and info.classes == ("Car", "Tree")
        paths = [p for p, _ in server.requests]
        assert paths == ["/health", "/setup"]
        setup = server.requests[1][1]
        assert '<RectangleLabels name="label" toName="image"><Label value="Car"/>' in setup["schema"]
        image = _png()
        found = loader.load(spec).detect(ImageInput(image, "a.png", 64, 48, "image/png"))
        predict = server.requests[-1][1]
        assert server.requests[-1][0] == "/predict"
        assert set(predict) >= {"tasks", "project", "label_config", "params"}
        ref = predict["tasks"][0]["data"]["image"]
        assert ref.startswith("data:image/png;base64,") and base64.b64decode(ref.split(",", 1)[1]) == image
        car = next(d for d in found if d.label == "Car")
        # percent of 64 x 48: x 25..75 %, y 50..75 %
        assert car.geometry == {"type": "bbox", "xyxy": [16.0, 24.0, 48.0, 36.0]}
        assert car.score == pytest.approx(0.87)
        tree = next(d for d in found if d.label == "Tree")
        assert tree.geometry["type"] == "polygon" and tree.geometry["points_xy"][1] == [32.0, 4.8]


def test_a_server_that_times_out_is_a_clear_503() -> None:
    with ls_backend(delay=1.0) as server:
        spec = ModelSpec(ModelKind.LS_BACKEND, server.url, ("Car",), {"timeout_seconds": 0.3})
        detector = ModelLoader().load(spec)
        with pytest.raises(ServiceUnavailable, match=r"did not answer /predict within 0.3 s"):
            detector.detect(ImageInput(_png(), "a.png", 64, 48, "image/png"))


def test_unreachable_server_and_bad_urls() -> None:
    loader = ModelLoader()
    with pytest.raises(ServiceUnavailable, match="not reachable"):
        loader.inspect(ModelSpec(ModelKind.LS_BACKEND, "http://127.0.0.1:9", ("Car",), {"timeout_seconds": 1}))
    with pytest.raises(InvalidInput, match="must start with http"):
        loader.inspect(ModelSpec(ModelKind.LS_BACKEND, "ftp://x", ("Car",)))


def test_rotated_rectangles_become_polygons_and_unknown_regions_are_ignored() -> None:
    region = {
        "type": "rectanglelabels",
        "value": {"x": 50, "y": 50, "width": 10, "height": 10, "rotation": 90, "rectanglelabels": ["Car"]},
    }
    d = region_to_detection(region, 100, 100, 0.5)
    assert d is not None and d.geometry["type"] == "polygon"
    assert d.geometry["points_xy"][1] == pytest.approx([50.0, 60.0])  # rotated about the top-left corner
    assert region_to_detection({"type": "choices", "value": {"choices": ["x"]}}, 100, 100, 0.5) is None
