"""Behaviour specific to ``LocalBlobStore`` (the shared contract is in test_blob_contract.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from labelhub.core.errors import InvalidInput
from labelhub.storage.local import LocalBlobStore


def test_root_is_created_and_described(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "new" / "root")
    assert (tmp_path / "new" / "root").is_dir()
    assert store.describe() == f"local:{(tmp_path / 'new' / 'root').resolve()}"


def test_blob_is_a_plain_file_under_root(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    store.put_bytes("a/b/c.txt", b"abc")
    assert (tmp_path / "a" / "b" / "c.txt").read_bytes() == b"abc"


def test_temporary_files_are_not_listed(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    store.put_bytes("dir/real", b"1")
    (tmp_path / "dir" / ".abc123.part").write_bytes(b"in-flight")
    (tmp_path / ".hidden-dir").mkdir()
    (tmp_path / ".hidden-dir" / "x").write_bytes(b"")
    assert list(store.iter_keys("")) == ["dir/real"]


def test_key_nested_under_existing_blob_is_invalid(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    store.put_bytes("a", b"blob")
    with pytest.raises(InvalidInput, match="already a blob"):
        store.put_bytes("a/b", b"x")
    store.put_bytes("d/e", b"x")
    with pytest.raises(InvalidInput, match="other blobs are stored under 'd/'"):
        store.put("d", io.BytesIO(b"x"))
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["e"]  # no temp file left
    assert not store.exists("d")


def test_failed_write_leaves_no_temp_file(tmp_path: Path) -> None:
    class Broken(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            raise OSError("disk went away")

    store = LocalBlobStore(tmp_path)
    with pytest.raises(OSError, match="disk went away"):
        store.put("x/y", Broken())
    assert list((tmp_path / "x").iterdir()) == []
