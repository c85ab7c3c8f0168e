"""``TextReader``: plain text for NER and document classification (standard library only).

Decoding, in order: a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) decides; otherwise
strict UTF-8; otherwise Windows-1252 (the usual legacy encoding of Western text), and when that
has undefined bytes, Latin-1.  Content that looks binary (a NUL byte without a UTF-16/32 BOM, or
more than 1 % control characters other than tab, line feed, form feed and carriage return) is
refused with a message saying so.  The file is stored as UTF-8 without a BOM (``convert``), line
breaks unchanged, and ``text_length`` counts Unicode code points of that text: the unit of
``text_span`` offsets (``docs/annotations.md``), which equals JavaScript string indexes only for
text without characters outside the Basic Multilingual Plane (the browser must convert).
"""

from __future__ import annotations

import codecs
from typing import BinaryIO

from labelhub.core.errors import InvalidInput, PayloadTooLarge
from labelhub.core.media import MediaInfo, MediaKind

MAX_TEXT_BYTES = 64 * 1024 * 1024
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\f\r")


def decode_text(data: bytes, filename: str) -> tuple[str, str]:
    """``(text, encoding)``; ``InvalidInput`` for binary content or a broken BOM encoding."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding + " (BOM)"
            except UnicodeDecodeError as exc:
                raise InvalidInput(
                    f"'{filename}' starts with a {encoding} byte-order mark but is not valid {encoding} "
                    f"(at byte {exc.start + len(bom)}): save it again as UTF-8"
                ) from exc
    if b"\x00" in data:
        raise InvalidInput(
            f"'{filename}' is binary, not text (it contains NUL bytes): upload a plain text file (UTF-8)"
        )
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError:
            text, encoding = data.decode("latin-1"), "latin-1"
    controls = sum(1 for ch in text if (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0) and ch not in _ALLOWED_CONTROLS)
    if controls > max(0, len(text) // 100):
        raise InvalidInput(
            f"'{filename}' is binary, not text ({controls} control characters): upload a plain text file (UTF-8)"
        )
    return text, encoding


class TextReader:
    name: str = "text"
    kind: MediaKind = MediaKind.TEXT
    extensions: tuple[str, ...] = ("txt", "text")
    mime_types: tuple[str, ...] = ("text/plain",)
    requires: tuple[str, ...] = ()

    def is_available(self) -> bool:
        return True

    def sniff(self, head: bytes, filename: str) -> bool:
        """Text has no magic: only a UTF-16/32 BOM is conclusive; otherwise the extension decides."""
        return head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and filename.lower().endswith(
            (".txt", ".text")
        )

    def probe(self, stream: BinaryIO, filename: str) -> MediaInfo:
        text, encoding = decode_text(_read(stream, filename), filename)
        return _info(text, encoding)

    def convert(self, stream: BinaryIO, filename: str) -> tuple[bytes, MediaInfo]:
        """The text as stored (UTF-8, no BOM) and its description."""
        text, encoding = decode_text(_read(stream, filename), filename)
        return text.encode("utf-8"), _info(text, encoding)

    def thumbnail(self, stream: BinaryIO, max_side: int) -> tuple[bytes, str]:
        """The first lines drawn black on white with Pillow's built-in font (PNG)."""
        import io

        from PIL import Image, ImageDraw

        text, _ = decode_text(_read(stream, "the stored text"), "the stored text")
        side = max(16, max_side)
        img = Image.new("L", (side, side), 255)
        draw = ImageDraw.Draw(img)
        for n, line in enumerate(text.splitlines()[: side // 12]):
            draw.text((4, 4 + 12 * n), line[:200], fill=0)
        buf = io.BytesIO()
        img.save(buf, "PNG")
        return buf.getvalue(), "image/png"


def _read(stream: BinaryIO, filename: str) -> bytes:
    if stream.seekable():
        stream.seek(0)
    data = stream.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES:
        raise PayloadTooLarge(f"'{filename}' is larger than {MAX_TEXT_BYTES:,} bytes of text: split it into documents")
    if not data:
        raise InvalidInput(f"'{filename}' is empty")
    return data


def _info(text: str, encoding: str) -> MediaInfo:
    return MediaInfo(
        kind=MediaKind.TEXT,
        mime_type="text/plain; charset=utf-8",
        text_length=len(text),
        extra={"encoding": encoding, "lines": text.count("\n") + (0 if text.endswith("\n") else 1)},
    )


__all__ = ["TextReader", "decode_text"]
