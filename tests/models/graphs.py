"""Tiny ONNX graphs built with onnx's helper API, for plumbing tests (no learned weights).

``box_model``: input ``images`` (1, 3, S, S) float; outputs ``boxes`` (2, 4) constant xyxy in
network pixels, ``scores`` (2,) = [mean of the input, 0.95] and ``labels`` (2,) = [0, 1]. With
the manifest's scale 1/255, a white image scores 1.0 and a black one 0.0, which proves the image
really reaches the graph.  ``yolo_model``: one output (1, 4 + 2, 3) of centre boxes and per-class
scores, two anchors overlapping (NMS keeps one).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

BOXES = [[8.0, 16.0, 40.0, 48.0], [0.0, 0.0, 64.0, 64.0]]


def _save(graph: Any, path: Path) -> None:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def box_model(
    folder: Path, *, size: int = 64, classes: tuple[str, ...] = ("vehicle", "person"), **manifest: Any
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "detector.onnx"
    consts = [
        numpy_helper.from_array(np.array(BOXES, dtype=np.float32), "boxes_c"),
        numpy_helper.from_array(np.array([0.95], dtype=np.float32), "second"),
        numpy_helper.from_array(np.array([0, 1], dtype=np.int64), "labels_c"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "shape1"),
    ]
    nodes = [
        helper.make_node("Identity", ["boxes_c"], ["boxes"]),
        helper.make_node("ReduceMean", ["images"], ["mean4"], keepdims=0),
        helper.make_node("Reshape", ["mean4", "shape1"], ["mean1"]),
        helper.make_node("Concat", ["mean1", "second"], ["scores"], axis=0),
        helper.make_node("Identity", ["labels_c"], ["labels"]),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny-detector",
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, size, size])],
        [
            helper.make_tensor_value_info("boxes", TensorProto.FLOAT, [2, 4]),
            helper.make_tensor_value_info("scores", TensorProto.FLOAT, [2]),
            helper.make_tensor_value_info("labels", TensorProto.INT64, [2]),
        ],
        initializer=consts,
    )
    _save(graph, path)
    body = {
        "version": "tiny-1",
        "classes": list(classes),
        "input": {"size": [size, size], "resize": "stretch"},
        "output": {"format": "boxes"},
        "min_score": 0.0,
        **manifest,
    }
    path.with_suffix(".json").write_text(json.dumps(body))
    return path


def yolo_model(folder: Path, *, size: int = 64) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "yolo.onnx"
    # anchors: (cx, cy, w, h, score vehicle, score person)
    pred = np.array(
        [[[20, 21, 50], [20, 21, 50], [10, 10, 8], [10, 10, 8], [0.9, 0.8, 0.1], [0.05, 0.1, 0.7]]], dtype=np.float32
    )
    graph = helper.make_graph(
        [helper.make_node("Identity", ["pred_c"], ["output0"]), helper.make_node("Identity", ["images"], ["unused"])],
        "tiny-yolo",
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, size, size])],
        [
            helper.make_tensor_value_info("output0", TensorProto.FLOAT, [1, 6, 3]),
            helper.make_tensor_value_info("unused", TensorProto.FLOAT, [1, 3, size, size]),
        ],
        initializer=[numpy_helper.from_array(pred, "pred_c")],
    )
    _save(graph, path)
    manifest = {
        "version": "yolo-tiny",
        "classes": ["vehicle", "person"],
        "input": {"size": [size, size], "resize": "letterbox"},
        "output": {"format": "yolov8", "output": "output0", "nms_iou": 0.5},
        "min_score": 0.25,
    }
    path.with_suffix(".json").write_text(json.dumps(manifest))
    return path
