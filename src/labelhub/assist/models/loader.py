"""``ModelLoader``: specs to runnable detectors, with a small cache of loaded models.

Loaded ONNX sessions are kept per (path, modification time, size), so replacing the file on
disk is picked up on the next call; remote servers are cheap to rebuild.  ``register_kind`` is
the extension point for models trained inside labelhub (kind ``trained``): the training issue
registers a factory ``spec -> Detector`` here from ``labelhub.wiring``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from labelhub.core.errors import InvalidInput, ServiceUnavailable
from labelhub.core.models import Detector, ModelInfo, ModelKind, ModelSpec

from . import builtin_layout
from .ls_backend import LabelStudioBackend
from .onnx_detector import OnnxDetector
from .pages import PagedDetector

Factory = Callable[[ModelSpec], Detector]
CACHE_SIZE = 8


class ModelLoader:
    def __init__(self) -> None:
        self.factories: dict[ModelKind, Factory] = {
            ModelKind.ONNX: OnnxDetector,
            ModelKind.LS_BACKEND: LabelStudioBackend,
            ModelKind.BUILTIN: self._builtin,
        }
        self.cache: OrderedDict[tuple[Any, ...], Detector] = OrderedDict()
        self.lock = threading.Lock()

    def register_kind(self, kind: ModelKind, factory: Factory) -> None:
        """Add (or replace) how one kind of model is built, e.g. ``ModelKind.TRAINED``."""
        self.factories[kind] = factory

    def builtins(self) -> dict[str, ModelInfo]:
        if not builtin_layout.available():
            return {}
        return {builtin_layout.NAME: ModelInfo(builtin_layout.CLASSES, builtin_layout.version())}

    @staticmethod
    def _builtin(spec: ModelSpec) -> Detector:
        if spec.uri == builtin_layout.NAME:
            return builtin_layout.DocumentLayout()
        raise InvalidInput(f"There is no built-in model '{spec.uri}'; built-in models: {builtin_layout.NAME}.")

    def _key(self, spec: ModelSpec) -> tuple[Any, ...]:
        key: tuple[Any, ...] = (spec.kind, spec.uri, spec.classes, repr(sorted(spec.config.items())))
        if spec.kind is ModelKind.ONNX:
            p = Path(spec.uri)
            if not p.is_file():
                raise InvalidInput(
                    f"The model file {p} does not exist on the server (moved or deleted?); register the model again."
                )
            st = p.stat()
            key += (st.st_mtime_ns, st.st_size)
        return key

    def load(self, spec: ModelSpec) -> Detector:
        factory = self.factories.get(spec.kind)
        if factory is None:
            raise ServiceUnavailable(
                f"Models of kind '{spec.kind.value}' cannot be run by this version of labelhub "
                "(trained models arrive with the training feature)."
            )
        key = self._key(spec)
        with self.lock:
            hit = self.cache.get(key)
            if hit is not None:
                self.cache.move_to_end(key)
                return hit
        detector: Detector = PagedDetector(factory(spec))
        with self.lock:
            self.cache[key] = detector
            while len(self.cache) > CACHE_SIZE:
                self.cache.popitem(last=False)
        return detector

    def inspect(self, spec: ModelSpec) -> ModelInfo:
        if spec.kind is ModelKind.LS_BACKEND:
            backend = LabelStudioBackend(spec)
            try:
                return backend.inspect()
            finally:
                backend.close()
        return self.load(spec).info


__all__ = ["ModelLoader"]
