"""Ports: the interfaces services depend on.  Concrete adapters arrive through ``labelhub.wiring``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO, Protocol, runtime_checkable

from labelhub.core.media import MediaReader


@runtime_checkable
class BlobStore(Protocol):
    """Content storage addressed by key (``a/b/c``; no ``..``, no leading ``/``).

    ``put`` streams from a file object and returns the number of bytes written; a partial write
    never becomes visible under ``key`` (write to a temporary name, then rename / complete).
    """

    def put(self, key: str, stream: BinaryIO, *, content_type: str | None = None) -> int: ...

    def put_bytes(self, key: str, data: bytes, *, content_type: str | None = None) -> int: ...

    def open(self, key: str) -> BinaryIO: ...

    def read_bytes(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def size(self, key: str) -> int: ...

    def iter_keys(self, prefix: str) -> Iterator[str]: ...

    def describe(self) -> str: ...


class MediaRegistry(Protocol):
    def for_file(self, head: bytes, filename: str) -> MediaReader: ...

    def get(self, name: str) -> MediaReader: ...

    def available(self) -> list[MediaReader]: ...

    def unavailable(self) -> dict[str, str]: ...


class JobQueue(Protocol):
    """Hands a job id to a worker.  The job's state lives in the database, not in the queue."""

    def enqueue(self, job_id: str) -> None: ...

    def describe(self) -> str: ...


JSON = dict[str, Any]

__all__ = ["JSON", "BlobStore", "JobQueue", "MediaRegistry"]
