"""Plumbing only: the SAM-style ONNX Frame Cut path with a tiny encoder/decoder the test builds.

The "decoder" is not a model: its mask logit at each pixel centre is the signed distance to the
prompt box's nearest side, so the test can check that box coordinates travel through the
resize frame correctly, that the best mask is picked, and that the embedding is cached.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")

from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from labelhub.assist import default_tools  # noqa: E402
from labelhub.assist.promptable import OnnxPromptSegmenter  # noqa: E402
from labelhub.core.assist import Click, FrameCutPrompt  # noqa: E402

SIDE, H, W = 64, 40, 60


def build(tmp: Path) -> tuple[Path, Path]:
    enc = helper.make_graph(
        [helper.make_node("ReduceMean", ["image"], ["image_embeddings"], axes=[1], keepdims=1)],
        "enc",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, SIDE, SIDE])],
        [helper.make_tensor_value_info("image_embeddings", TensorProto.FLOAT, [1, 1, SIDE, SIDE])],
    )
    scale = SIDE / max(H, W)
    ys, xs = np.mgrid[0:H, 0:W].astype(np.float32) + 0.5
    consts = {
        "gx": xs,
        "gy": ys,
        "inv": np.array(1 / scale, np.float32),
        "start": np.array([-2], np.int64),
        "end": np.array([1000], np.int64),
        "ax0": np.array([0], np.int64),
        "i0": np.array(0, np.int64),
        "i1": np.array(1, np.int64),
        "shape": np.array([1, 1, H, W], np.int64),
        "iou": np.array([[0.2, 0.9]], np.float32),
    }
    nodes = [
        helper.make_node("Squeeze", ["point_coords", "ax0"], ["pc"]),  # (N, 2)
        helper.make_node("Slice", ["pc", "start", "end", "ax0"], ["corners_r"]),  # the box: last two points
        helper.make_node("Mul", ["corners_r", "inv"], ["corners"]),
        helper.make_node("Gather", ["corners", "i0"], ["tl"], axis=0),
        helper.make_node("Gather", ["corners", "i1"], ["br"], axis=0),
        helper.make_node("Gather", ["tl", "i0"], ["x1"], axis=0),
        helper.make_node("Gather", ["tl", "i1"], ["y1"], axis=0),
        helper.make_node("Gather", ["br", "i0"], ["x2"], axis=0),
        helper.make_node("Gather", ["br", "i1"], ["y2"], axis=0),
        helper.make_node("Sub", ["gx", "x1"], ["d1"]),
        helper.make_node("Sub", ["x2", "gx"], ["d2"]),
        helper.make_node("Sub", ["gy", "y1"], ["d3"]),
        helper.make_node("Sub", ["y2", "gy"], ["d4"]),
        helper.make_node("Min", ["d1", "d2", "d3", "d4"], ["d"]),
        helper.make_node("Reshape", ["d", "shape"], ["good"]),
        helper.make_node("Neg", ["good"], ["bad"]),
        helper.make_node("Concat", ["bad", "good"], ["masks"], axis=1),  # mask 1 is the right one
        helper.make_node("Identity", ["iou"], ["iou_predictions"]),
    ]
    f = TensorProto.FLOAT
    dec = helper.make_graph(
        nodes,
        "dec",
        [
            helper.make_tensor_value_info("image_embeddings", f, [1, 1, SIDE, SIDE]),
            helper.make_tensor_value_info("point_coords", f, [1, None, 2]),
            helper.make_tensor_value_info("point_labels", f, [1, None]),
            helper.make_tensor_value_info("mask_input", f, [1, 1, 256, 256]),
            helper.make_tensor_value_info("has_mask_input", f, [1]),
            helper.make_tensor_value_info("orig_im_size", f, [2]),
        ],
        [
            helper.make_tensor_value_info("masks", f, [1, 2, H, W]),
            helper.make_tensor_value_info("iou_predictions", f, [1, 2]),
        ],
        [numpy_helper.from_array(v, k) for k, v in consts.items()],
    )
    paths = tmp / "tiny-encoder.onnx", tmp / "tiny-decoder.onnx"
    for graph, path in zip((enc, dec), paths, strict=True):
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        model.ir_version = 8
        onnx.checker.check_model(model)
        onnx.save(model, str(path))
    return paths


def test_plumbing_box_prompt_reaches_the_decoder_and_embedding_is_cached(tmp_path: Path) -> None:
    enc, dec = build(tmp_path)
    seg = OnnxPromptSegmenter(enc, dec)
    img = np.random.default_rng(0).integers(0, 255, (H, W, 3), dtype=np.uint8)
    r = seg.cut("a:0", lambda: img, FrameCutPrompt((10.2, 5.3, 30.8, 20.6)))
    want = np.zeros((H, W), bool)
    want[5:21, 10:31] = True  # pixel centres inside the box
    assert np.array_equal(r.mask, want)
    assert r.score == pytest.approx(0.9) and r.method == "sam-onnx"
    assert len(r.polygon_xy) == 4
    seg.cut("a:0", lambda: img, FrameCutPrompt((1, 1, 9, 9), (Click(4, 4), Click(6, 6, False))))
    assert seg.encoder_runs == 1, "the image embedding is computed once per asset page"
    seg.cut("b:0", lambda: img, FrameCutPrompt((1, 1, 9, 9)))
    assert seg.encoder_runs == 2


def test_plumbing_configured_by_path_and_refused_when_missing(tmp_path: Path) -> None:
    enc, dec = build(tmp_path)
    tools = default_tools(sam_encoder=enc, sam_decoder=dec)
    assert isinstance(tools.segmenter, OnnxPromptSegmenter)
    with pytest.raises(ValueError, match="does not exist"):
        default_tools(sam_encoder=tmp_path / "nope.onnx", sam_decoder=dec)
    with pytest.raises(ValueError, match="both"):
        default_tools(sam_encoder=enc)
