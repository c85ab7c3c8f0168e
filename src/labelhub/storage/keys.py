"""Blob key rules shared by every store.

A key is ``segment/segment/...``: it must map onto a local path *inside* the store root and onto
an S3 object name without surprises, so the same key means the same blob on every backend.
Hence: no empty key or segment, no leading ``/``, no ``..``, no backslash, no control character
(NUL included), no segment starting with ``.`` (the local store uses dot-names for its
temporary files, and ``.``/``..`` would escape the root), and at most 1024 UTF-8 bytes (the S3 limit).
"""

from __future__ import annotations

from labelhub.core.errors import InvalidInput

MAX_KEY_BYTES = 1024


def check_key(key: str) -> str:
    """Return ``key`` unchanged if it is a valid blob key, else raise ``InvalidInput``."""
    if not key:
        raise InvalidInput("the blob key is empty: pass a key such as 'projects/1/image.png'")
    _check_text(key, what="key")
    if key.endswith("/"):
        raise InvalidInput(f"the blob key {key!r} ends with '/': name a blob, not a folder")
    _check_segments(key, what="key")
    return key


def check_prefix(prefix: str) -> str:
    """Validate a listing prefix: like a key, but it may be empty or end with ``/``."""
    if not prefix:
        return prefix
    _check_text(prefix, what="prefix")
    _check_segments(prefix.removesuffix("/"), what="prefix")
    return prefix


def _check_text(value: str, *, what: str) -> None:
    if value.startswith("/"):
        raise InvalidInput(f"the blob {what} {value!r} is absolute: drop the leading '/'")
    if "\\" in value:
        raise InvalidInput(f"the blob {what} {value!r} contains a backslash: separate segments with '/'")
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        raise InvalidInput(f"the blob {what} {value!r} contains a control character (NUL, newline, ...): remove it")
    if len(value.encode("utf-8", errors="surrogatepass")) > MAX_KEY_BYTES:
        raise InvalidInput(f"the blob {what} is longer than {MAX_KEY_BYTES} UTF-8 bytes: use a shorter name")


def _check_segments(value: str, *, what: str) -> None:
    for segment in value.split("/"):
        if not segment:
            raise InvalidInput(f"the blob {what} {value!r} has an empty segment ('//'): remove it")
        if segment.startswith("."):
            raise InvalidInput(
                f"the blob {what} {value!r} has a segment starting with '.' ({segment!r}), which is "
                "reserved ('..' escapes, dot-names are temporary files): rename that segment"
            )


__all__ = ["MAX_KEY_BYTES", "check_key", "check_prefix"]
