"""``LocalBlobStore``: blobs as files under one root directory.

Key ``a/b/c.png`` is the file ``<root>/a/b/c.png``.  Writes go to a dot-named temporary file in
the target directory (``.<random>.part``, never a valid key, so never listed), are fsynced, then
``os.replace``-d over the key: readers see either the old blob or the complete new one, and a
stream that fails mid-way leaves nothing behind.  Files are created with mode 0600 (``mkstemp``);
the store is meant to be read through labelhub, not by other users.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from labelhub.core.errors import InvalidInput, NotFound
from labelhub.storage.keys import check_key, check_prefix

CHUNK_SIZE = 1024 * 1024  # 1 MiB: bounded memory per write, few syscalls


class LocalBlobStore:
    """A ``BlobStore`` on the local filesystem.  ``root`` is created if missing."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).expanduser().resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*check_key(key).split("/"))

    def put(self, key: str, stream: BinaryIO, *, content_type: str | None = None) -> int:
        """Stream ``stream`` into ``key``; return the byte count.  ``content_type`` is not stored locally."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError) as exc:
            raise InvalidInput(
                f"cannot store blob '{key}': part of its path is already a blob in {self.describe()}; "
                "choose a key that does not nest under an existing blob"
            ) from exc
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
        written = 0
        try:
            with os.fdopen(fd, "wb") as tmp:
                while chunk := stream.read(CHUNK_SIZE):
                    tmp.write(chunk)
                    written += len(chunk)
                tmp.flush()
                os.fsync(tmp.fileno())
            try:
                os.replace(tmp_name, path)
            except IsADirectoryError as exc:
                raise InvalidInput(
                    f"cannot store blob '{key}': other blobs are stored under '{key}/' in "
                    f"{self.describe()}; choose another key"
                ) from exc
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
            raise
        _fsync_dir(path.parent)
        return written

    def put_bytes(self, key: str, data: bytes, *, content_type: str | None = None) -> int:
        return self.put(key, io.BytesIO(data), content_type=content_type)

    def open(self, key: str) -> BinaryIO:
        """Open ``key`` for reading (a real, seekable file); the caller closes it."""
        path = self._path(key)
        try:
            return path.open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise NotFound(f"blob '{key}' not found in {self.describe()}") from exc

    def read_bytes(self, key: str) -> bytes:
        with self.open(key) as fh:
            return fh.read()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        """Remove ``key``; deleting a missing key is not an error (same as S3).

        Emptied directories are left in place: removing them could race with a concurrent
        ``put`` that has just created them.
        """
        path = self._path(key)
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            if path.is_dir():
                return
            path.unlink()

    def size(self, key: str) -> int:
        path = self._path(key)
        try:
            stat = path.stat()
        except (FileNotFoundError, NotADirectoryError) as exc:
            raise NotFound(f"blob '{key}' not found in {self.describe()}") from exc
        if not path.is_file():
            raise NotFound(f"blob '{key}' not found in {self.describe()}")
        return stat.st_size

    def iter_keys(self, prefix: str) -> Iterator[str]:
        """Yield the keys starting with ``prefix`` (a string prefix, as on S3), sorted.

        Only the directory named by the prefix's complete segments is walked; the matching keys
        are collected before sorting, so memory grows with the number of matches.
        """
        check_prefix(prefix)
        base_dir = prefix.rpartition("/")[0]
        start = self.root.joinpath(*base_dir.split("/")) if base_dir else self.root
        if not start.is_dir():
            return
        found: list[str] = []
        for dirpath, dirnames, filenames in os.walk(start):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            rel_dir = Path(dirpath).relative_to(self.root).as_posix()
            for name in filenames:
                if name.startswith("."):
                    continue  # temporary files of in-flight writes
                key = name if rel_dir == "." else f"{rel_dir}/{name}"
                if key.startswith(prefix):
                    found.append(key)
        yield from sorted(found)

    def describe(self) -> str:
        return f"local:{self.root}"


def _fsync_dir(directory: Path) -> None:
    """Persist the rename itself (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


__all__ = ["CHUNK_SIZE", "LocalBlobStore"]
