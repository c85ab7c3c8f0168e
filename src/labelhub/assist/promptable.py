"""Frame Cut with a promptable segmentation model: a SAM-family encoder/decoder pair exported to
ONNX (the layout of segment-anything's ``scripts/export_onnx_model.py``), run with onnxruntime.

An admin configures the two files by path (``LABELHUB_SAM_ENCODER``, ``LABELHUB_SAM_DECODER``);
nothing is downloaded.  Shapes:

* encoder: ``image`` (1, 3, S, S) float32, the picture resized so its longest side is S (1024 for
  SAM), normalised with ImageNet mean/std, zero-padded right and bottom -> one output, the image
  embedding (cached per ``image_key``, bounded: it is the slow part);
* decoder: ``image_embeddings``, ``point_coords`` (1, N, 2) float32 in the resized frame,
  ``point_labels`` (1, N) float32 (1 positive click, 0 negative, 2 / 3 the box's top-left /
  bottom-right corners, -1 padding), ``mask_input`` (1, 1, 256, 256), ``has_mask_input`` (1,),
  ``orig_im_size`` (2,) float32 [H, W] -> ``masks`` (1, K, H, W) logits and
  ``iou_predictions`` (1, K); the mask with the highest predicted IoU is kept, logits > 0.
"""

from __future__ import annotations

import importlib
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from labelhub.assist.framecut import mask_to_polygon
from labelhub.core.assist import FrameCutPrompt, FrameCutResult, ImageLoader

MEAN = np.array([123.675, 116.28, 103.53], np.float32)
STD = np.array([58.395, 57.12, 57.375], np.float32)


class OnnxPromptSegmenter:
    """The ``Segmenter`` port backed by an ONNX encoder/decoder pair."""

    name = "sam-onnx"

    def __init__(self, encoder: Path, decoder: Path, *, cache_embeddings: int = 8) -> None:
        ort: Any = importlib.import_module("onnxruntime")  # untyped; imported on use

        for p in (encoder, decoder):
            if not Path(p).is_file():
                raise ValueError(f"model file {p} does not exist; check LABELHUB_SAM_ENCODER / LABELHUB_SAM_DECODER")
        opts = ort.SessionOptions()
        self._enc = ort.InferenceSession(str(encoder), opts, providers=["CPUExecutionProvider"])
        self._dec = ort.InferenceSession(str(decoder), opts, providers=["CPUExecutionProvider"])
        shape = self._enc.get_inputs()[0].shape
        self.side = int(shape[-1]) if isinstance(shape[-1], int) else 1024
        self.version = Path(encoder).stem
        self._cache: OrderedDict[str, tuple[npt.NDArray[np.float32], float, tuple[int, int]]] = OrderedDict()
        self._size = cache_embeddings
        self._lock = threading.Lock()
        self.encoder_runs = 0  # for tests and metrics: how often the slow part ran

    def _embedding(self, key: str, load: ImageLoader) -> tuple[npt.NDArray[np.float32], float, tuple[int, int]]:
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        image = load()
        h, w = image.shape[:2]
        scale = self.side / max(h, w)
        nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
        from PIL import Image

        resized = np.asarray(Image.fromarray(image).resize((nw, nh), Image.Resampling.BILINEAR), dtype=np.float32)
        x = np.zeros((self.side, self.side, 3), np.float32)
        x[:nh, :nw] = (resized - MEAN) / STD
        inp = self._enc.get_inputs()[0].name
        emb = self._enc.run(None, {inp: x.transpose(2, 0, 1)[None]})[0]
        self.encoder_runs += 1
        entry = (np.asarray(emb, np.float32), scale, (h, w))
        with self._lock:
            self._cache[key] = entry
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return entry

    def cut(self, image_key: str, load: ImageLoader, prompt: FrameCutPrompt) -> FrameCutResult:
        emb, scale, (h, w) = self._embedding(image_key, load)
        x1, y1, x2, y2 = prompt.box_xyxy
        coords = [(c.x, c.y) for c in prompt.clicks] + [(x1, y1), (x2, y2)]
        labels = [1.0 if c.positive else 0.0 for c in prompt.clicks] + [2.0, 3.0]
        feeds: dict[str, Any] = {
            "image_embeddings": emb,
            "point_coords": (np.array(coords, np.float32) * scale)[None],
            "point_labels": np.array(labels, np.float32)[None],
            "mask_input": np.zeros((1, 1, 256, 256), np.float32),
            "has_mask_input": np.zeros((1,), np.float32),
            "orig_im_size": np.array([h, w], np.float32),
        }
        wanted = {i.name for i in self._dec.get_inputs()}
        missing = wanted - set(feeds)
        if missing:
            raise ValueError(f"the decoder wants inputs {sorted(missing)}; export it with segment-anything's script")
        outputs = dict(zip([o.name for o in self._dec.get_outputs()], self._dec.run(None, feeds), strict=True))
        masks, scores = np.asarray(outputs["masks"]), np.asarray(outputs["iou_predictions"]).reshape(-1)
        best = int(scores.argmax())
        mask: npt.NDArray[np.bool_] = masks[0, best] > 0
        if mask.shape != (h, w):
            raise ValueError(f"the decoder returned a {mask.shape} mask for a {(h, w)} image")
        return FrameCutResult(mask=mask, polygon_xy=mask_to_polygon(mask), score=float(scores[best]), method="sam-onnx")


__all__ = ["OnnxPromptSegmenter"]
