"""Streaming a stored blob as a response body, in 1 MiB chunks, closing it at the end."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

CHUNK = 1 << 20


def chunks(stream: BinaryIO) -> Iterator[bytes]:
    with stream:
        while chunk := stream.read(CHUNK):
            yield chunk


__all__ = ["chunks"]
