"""Magic-byte sniffing: recognise a file by its first bytes, not by its (user-supplied) name.

Pure stdlib, so the registry can ask every reader, available or not, whether it would have
matched.  ``head`` is the first bytes of a file: read ``HEAD_BYTES`` of them (18 suffice for the
images here; later formats look deeper, e.g. DICOM's ``DICM`` at 128 and NIfTI's magic at 344).
"""

from __future__ import annotations

HEAD_BYTES = 512

# Pillow format name -> signatures at offset 0.
_PREFIXES: dict[str, tuple[bytes, ...]] = {
    "PNG": (b"\x89PNG\r\n\x1a\n",),
    "JPEG": (b"\xff\xd8\xff",),
    "GIF": (b"GIF87a", b"GIF89a"),
    "TIFF": (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"),  # classic and BigTIFF
}
# BMP has only a 2-byte magic ("BM"); the DIB header size at offset 14 makes it reliable.
_BMP_DIB_HEADER_SIZES = frozenset({12, 16, 40, 52, 56, 64, 108, 124})


def sniff_image_format(head: bytes) -> str | None:
    """Return the Pillow format name (``"PNG"``, ``"JPEG"``, ``"GIF"``, ``"BMP"``, ``"WEBP"``,
    ``"TIFF"``) that ``head`` starts like, or ``None``."""
    for fmt, signatures in _PREFIXES.items():
        if head.startswith(signatures):
            return fmt
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    dib_header_size = int.from_bytes(head[14:18], "little")
    if len(head) >= 18 and head[:2] == b"BM" and dib_header_size in _BMP_DIB_HEADER_SIZES:
        return "BMP"
    return None


def has_extension(filename: str, extensions: tuple[str, ...]) -> str | None:
    """Return the longest of ``extensions`` (``"png"``, ``"nii.gz"``; dot optional) that
    ``filename`` ends with, case-insensitively, or ``None``."""
    name = filename.lower()
    matches = [ext.lower().lstrip(".") for ext in extensions]
    matches = [ext for ext in matches if ext and name.endswith("." + ext)]
    return max(matches, key=len) if matches else None


__all__ = ["HEAD_BYTES", "has_extension", "sniff_image_format"]
