"""AI-assistance adapters: Frame Cut, Smart Scissors, OCR (and models in ``assist.models``).

Adapters import ``labelhub.core`` only; heavy libraries (OpenCV, onnxruntime, RapidOCR) are
imported inside functions.  ``default_tools`` builds what ``labelhub.wiring`` hands to
``services.assist``; a tool whose library is missing is ``None`` and listed in ``unavailable``
with what to install.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from labelhub.core.assist import AssistTools, Scissors, Segmenter, TextReader


def default_tools(
    *, max_pixels: int = 200_000_000, sam_encoder: Path | None = None, sam_decoder: Path | None = None
) -> AssistTools:
    """The tools this installation can run.  With both ``sam_*`` paths, Frame Cut uses that ONNX
    promptable model (a missing or unreadable file raises ``ValueError``: the server does not
    start with a model it cannot load)."""
    from labelhub.assist import ocr, scissors
    from labelhub.assist.framecut import GrabCutSegmenter
    from labelhub.assist.images import PillowDecoder

    unavailable: dict[str, str] = {}
    has_cv2 = importlib.util.find_spec("cv2") is not None
    segmenter: Segmenter | None = GrabCutSegmenter() if has_cv2 else None
    if sam_encoder is not None or sam_decoder is not None:
        if sam_encoder is None or sam_decoder is None:
            raise ValueError("set both LABELHUB_SAM_ENCODER and LABELHUB_SAM_DECODER, or neither")
        from labelhub.assist.promptable import OnnxPromptSegmenter

        segmenter = OnnxPromptSegmenter(sam_encoder, sam_decoder)
    live: Scissors | None = scissors.LiveWire() if has_cv2 and scissors.is_available() else None
    reader: TextReader | None = ocr.RapidOcrReader() if has_cv2 and ocr.is_available() else None
    if segmenter is None:
        unavailable["frame-cut"] = "install opencv-python (or opencv-python-headless) >= 4.7"
    if live is None:
        unavailable["scissors"] = "install opencv-python >= 4.7 (cv2.segmentation.IntelligentScissorsMB)"
    if reader is None:
        unavailable["ocr"] = "install rapidocr-onnxruntime >= 1.3"
    return AssistTools(
        decoder=PillowDecoder(max_pixels), segmenter=segmenter, scissors=live, ocr=reader, unavailable=unavailable
    )


__all__ = ["default_tools"]
