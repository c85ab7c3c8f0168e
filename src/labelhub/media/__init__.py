"""Media readers (``core.media.MediaReader``) and the registry that picks one per uploaded file.

Importing this package imports no imaging library: each reader imports its own (Pillow for
``ImageReader``) when it first decodes something, and reports via ``is_available`` whether it can.
"""

from __future__ import annotations

from labelhub.media.image import DEFAULT_MAX_PIXELS, ImageReader
from labelhub.media.magic import HEAD_BYTES, sniff_image_format
from labelhub.media.registry import ReaderRegistry, default_registry, install_hint

__all__ = [
    "DEFAULT_MAX_PIXELS",
    "HEAD_BYTES",
    "ImageReader",
    "ReaderRegistry",
    "default_registry",
    "install_hint",
    "sniff_image_format",
]
