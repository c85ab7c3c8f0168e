"""An ONNX detector or instance-segmentation model run with onnxruntime, described by a manifest.

The manifest sits next to the model file: ``<stem>.json``, ``<stem>.yaml``/``.yml`` or
``manifest.json`` in the same folder.  Shape (every key but ``classes`` has a default)::

    {"version": "2024-05", "task": "detect" | "segment",
     "classes": ["car", "person"],
     "input": {"name": null, "size": [640, 640], "resize": "letterbox" | "stretch",
               "channels": "RGB" | "BGR", "layout": "NCHW" | "NHWC", "scale": 0.00392156862745098,
               "mean": [0, 0, 0], "std": [1, 1, 1], "pad_value": 114},
     "output": {"format": "boxes" | "yolov8",
                "boxes": "boxes", "scores": "scores", "labels": "labels", "masks": null,
                "box_format": "xyxy" | "cxcywh", "normalized": false,
                "nms_iou": 0.5, "mask_threshold": 0.5},
     "min_score": 0.05, "max_detections": 300}

``boxes``: named outputs ``boxes`` (N, 4), ``scores`` (N), ``labels`` (N, integer class index),
optionally ``masks`` (N, h, w) probabilities over the network input (task ``segment``); a leading
batch axis of 1 is dropped.  ``yolov8``: one output (1, 4 + classes, anchors) of centre boxes and
per-class scores, as Ultralytics exports it; non-maximum suppression is applied here.
Coordinates are in network-input pixels (or [0, 1] with ``normalized``) and are mapped back to
the image through the same letterbox/stretch used on the way in.
"""

from __future__ import annotations

import importlib
import json
import threading
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image

from labelhub.core import rle
from labelhub.core.errors import InvalidInput, ServiceUnavailable
from labelhub.core.models import Detection, ImageInput, ModelInfo, ModelSpec

from .image import rgb_array

F32 = npt.NDArray[np.float32]


def find_manifest(model_path: Path) -> Path | None:
    for candidate in (
        model_path.with_suffix(".json"),
        model_path.with_suffix(".yaml"),
        model_path.with_suffix(".yml"),
        model_path.parent / "manifest.json",
    ):
        if candidate.is_file():
            return candidate
    return None


def read_manifest(model_path: Path) -> dict[str, Any]:
    found = find_manifest(model_path)
    if found is None:
        raise InvalidInput(
            f"No manifest next to {model_path}: write {model_path.with_suffix('.json').name} with at least "
            '{"classes": [...]} (see docs/models.md).'
        )
    text = found.read_text(encoding="utf-8")
    try:
        if found.suffix in (".yaml", ".yml"):
            data = importlib.import_module("yaml").safe_load(text)
        else:
            data = json.loads(text)
    except Exception as e:
        raise InvalidInput(f"The manifest {found} is not valid {found.suffix[1:].upper()}: {e}") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"The manifest {found} must be a mapping with at least a 'classes' list.")
    classes = data.get("classes")
    if not isinstance(classes, list) or not classes or not all(isinstance(c, str) and c for c in classes):
        raise InvalidInput(f"The manifest {found} needs 'classes': a non-empty list of class names, in index order.")
    return data


def nms(boxes: F32, scores: F32, iou: float) -> list[int]:
    """Greedy non-maximum suppression over xyxy boxes; indices kept, best first."""
    order = list(np.argsort(-scores))
    keep: list[int] = []
    areas = (boxes[:, 2] - boxes[:, 0]).clip(0) * (boxes[:, 3] - boxes[:, 1]).clip(0)
    while order:
        i = int(order.pop(0))
        keep.append(i)
        if not order:
            break
        rest = np.array(order)
        xx1 = np.maximum(boxes[i, 0], boxes[rest, 0])
        yy1 = np.maximum(boxes[i, 1], boxes[rest, 1])
        xx2 = np.minimum(boxes[i, 2], boxes[rest, 2])
        yy2 = np.minimum(boxes[i, 3], boxes[rest, 3])
        inter = (xx2 - xx1).clip(0) * (yy2 - yy1).clip(0)
        union = areas[i] + areas[rest] - inter
        ratio = np.where(union > 0, inter / np.where(union > 0, union, 1), 0)
        order = [int(j) for j, r in zip(rest, ratio, strict=True) if r <= iou]
    return keep


class OnnxDetector:
    def __init__(self, spec: ModelSpec) -> None:
        path = Path(spec.uri)
        if not path.is_file():
            raise InvalidInput(f"The model file {path} does not exist on the server; check the path and try again.")
        self.manifest = read_manifest(path)
        m = self.manifest
        self.classes = tuple(m["classes"])
        self.info = ModelInfo(self.classes, str(m.get("version") or spec.version or "1"), str(m.get("task", "detect")))
        inp, out = dict(m.get("input") or {}), dict(m.get("output") or {})
        self.size = tuple(int(v) for v in inp.get("size", (640, 640)))
        self.resize = str(inp.get("resize", "letterbox"))
        self.bgr = str(inp.get("channels", "RGB")).upper() == "BGR"
        self.nhwc = str(inp.get("layout", "NCHW")).upper() == "NHWC"
        self.scale = float(inp.get("scale", 1 / 255))
        self.mean = np.array(inp.get("mean", (0, 0, 0)), dtype=np.float32)
        self.std = np.array(inp.get("std", (1, 1, 1)), dtype=np.float32)
        self.pad = int(inp.get("pad_value", 114))
        self.out = out
        self.format = str(out.get("format", "boxes"))
        if self.format not in ("boxes", "yolov8"):
            raise InvalidInput(f"Manifest output.format must be 'boxes' or 'yolov8', got {self.format!r}.")
        self.min_score = float(m.get("min_score", 0.05))
        self.max_det = int(m.get("max_detections", 300))
        try:
            ort: Any = importlib.import_module("onnxruntime")

            opts = ort.SessionOptions()
            opts.intra_op_num_threads = int(spec.config.get("threads", 0) or 0)
            self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        except ImportError:
            raise ServiceUnavailable("onnxruntime is not installed; run ./scripts/setup again.") from None
        except Exception as e:
            raise InvalidInput(f"onnxruntime could not load {path}: {e}") from None
        self.input_name = str(inp.get("name") or self.session.get_inputs()[0].name)
        self.lock = threading.Lock()

    # --- pre and post processing -------------------------------------------------------------
    def _prepare(self, rgb: npt.NDArray[np.uint8]) -> tuple[F32, float, float, float, float]:
        """The network input and the transform back: image = (net - (dx, dy)) / (sx, sy)."""
        h, w = rgb.shape[:2]
        tw, th = self.size
        if self.resize == "stretch":
            sx, sy, dx, dy = tw / w, th / h, 0.0, 0.0
            canvas = np.asarray(Image.fromarray(rgb).resize((tw, th), Image.Resampling.BILINEAR))
        else:
            r = min(tw / w, th / h)
            nw, nh = max(1, round(w * r)), max(1, round(h * r))
            sx = sy = r
            dx, dy = (tw - nw) / 2, (th - nh) / 2
            canvas = np.full((th, tw, 3), self.pad, dtype=np.uint8)
            resized = np.asarray(Image.fromarray(rgb).resize((nw, nh), Image.Resampling.BILINEAR))
            canvas[int(dy) : int(dy) + nh, int(dx) : int(dx) + nw] = resized
            dx, dy = float(int(dx)), float(int(dy))
        x = canvas[..., ::-1] if self.bgr else canvas
        x = (x.astype(np.float32) * self.scale - self.mean) / self.std
        x = x[None] if self.nhwc else x.transpose(2, 0, 1)[None]
        return np.ascontiguousarray(x, dtype=np.float32), sx, sy, dx, dy

    def detect(self, image: ImageInput) -> list[Detection]:
        rgb = rgb_array(image)
        h, w = rgb.shape[:2]
        x, sx, sy, dx, dy = self._prepare(rgb)
        with self.lock:  # one session, many request threads: onnxruntime runs are serialised per model
            names = [o.name for o in self.session.get_outputs()]
            values = self.session.run(None, {self.input_name: x})
        outputs = dict(zip(names, values, strict=True))
        boxes, scores, labels, masks = self._decode(outputs, names)
        if self.out.get("normalized"):
            boxes = np.asarray(boxes * np.array([*self.size, *self.size], dtype=np.float32), dtype=np.float32)
        shift = np.array([dx, dy, dx, dy], dtype=np.float32)
        boxes = np.asarray((boxes - shift) / np.array([sx, sy, sx, sy], dtype=np.float32), dtype=np.float32)
        boxes[:, [0, 2]] = boxes[:, [0, 2]].clip(0, w)
        boxes[:, [1, 3]] = boxes[:, [1, 3]].clip(0, h)
        found: list[Detection] = []
        for i in np.argsort(-scores)[: self.max_det]:
            score, label = float(scores[i]), int(labels[i])
            if score < self.min_score or not 0 <= label < len(self.classes):
                continue
            x1, y1, x2, y2 = (float(v) for v in boxes[i])
            if x2 - x1 < 1e-3 or y2 - y1 < 1e-3:
                continue
            geometry: dict[str, Any] = {"type": "bbox", "xyxy": [x1, y1, x2, y2]}
            if masks is not None:
                m = self._mask_to_image(masks[i], (w, h), (sx, sy, dx, dy))
                if m.any():
                    geometry = {"type": "mask", "rle": rle.encode(m)}
            found.append(Detection(self.classes[label], min(max(score, 0.0), 1.0), geometry))
        return found

    def _decode(self, outs: dict[str, Any], names: list[str]) -> tuple[F32, F32, npt.NDArray[np.int64], F32 | None]:
        if self.format == "yolov8":
            pred = np.asarray(outs[self.out.get("output", names[0])], dtype=np.float32)
            pred = pred[0] if pred.ndim == 3 else pred
            if pred.shape[0] != 4 + len(self.classes) and pred.shape[1] == 4 + len(self.classes):
                pred = pred.T
            cls_scores = pred[4 : 4 + len(self.classes)]
            labels = cls_scores.argmax(axis=0)
            scores = cls_scores.max(axis=0)
            keep = scores >= self.min_score
            c = pred[:4, keep].T
            boxes = np.stack(
                [c[:, 0] - c[:, 2] / 2, c[:, 1] - c[:, 3] / 2, c[:, 0] + c[:, 2] / 2, c[:, 1] + c[:, 3] / 2], 1
            )
            scores, labels = scores[keep], labels[keep]
            kept: list[int] = []
            for k in np.unique(labels):  # per-class NMS
                idx = np.nonzero(labels == k)[0]
                kept += [int(idx[j]) for j in nms(boxes[idx], scores[idx], float(self.out.get("nms_iou", 0.5)))]
            kept.sort()
            return boxes[kept].astype(np.float32), scores[kept].astype(np.float32), labels[kept].astype(np.int64), None
        try:
            boxes = np.asarray(outs[self.out.get("boxes", "boxes")], dtype=np.float32)
            scores = np.asarray(outs[self.out.get("scores", "scores")], dtype=np.float32)
            labels = np.asarray(outs[self.out.get("labels", "labels")]).astype(np.int64)
        except KeyError as e:
            raise InvalidInput(
                f"The model has no output named {e}; its outputs are {names}. Fix output.* in the manifest."
            ) from None
        boxes = boxes.reshape(-1, 4)
        scores, labels = scores.reshape(-1), labels.reshape(-1)
        if self.out.get("box_format", "xyxy") == "cxcywh":
            c = boxes
            boxes = np.stack(
                [c[:, 0] - c[:, 2] / 2, c[:, 1] - c[:, 3] / 2, c[:, 0] + c[:, 2] / 2, c[:, 1] + c[:, 3] / 2], 1
            )
        masks = None
        if self.out.get("masks"):
            masks = np.asarray(outs[self.out["masks"]], dtype=np.float32)
            masks = masks.reshape(-1, *masks.shape[-2:])
        if not len(boxes) == len(scores) == len(labels) or (masks is not None and len(masks) != len(boxes)):
            raise InvalidInput("The model's boxes, scores, labels (and masks) outputs differ in length.")
        return boxes, scores, labels, masks

    def _mask_to_image(
        self, m: F32, size: tuple[int, int], transform: tuple[float, float, float, float]
    ) -> npt.NDArray[np.bool_]:
        """A mask over the network input (any resolution) cut to the image area and resized to it."""
        w, h = size
        sx, sy, dx, dy = transform
        tw, th = self.size
        mh, mw = m.shape
        fx, fy = mw / tw, mh / th  # the mask may be smaller than the network input (e.g. 1/4)
        x0, y0 = round(dx * fx), round(dy * fy)
        x1, y1 = round((dx + w * sx) * fx), round((dy + h * sy) * fy)
        crop = m[y0 : max(y1, y0 + 1), x0 : max(x1, x0 + 1)]
        img = Image.fromarray(crop.astype(np.float32), mode="F").resize((w, h), Image.Resampling.BILINEAR)
        return np.asarray(img) >= float(self.out.get("mask_threshold", 0.5))


__all__ = ["OnnxDetector", "find_manifest", "nms", "read_manifest"]
