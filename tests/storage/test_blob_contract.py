"""The ``BlobStore`` contract, run against every backend (``store`` is parametrized: local, s3)."""

from __future__ import annotations

import io
import os
from typing import BinaryIO, cast

import pytest

from labelhub.core.errors import InvalidInput, NotFound
from labelhub.core.ports import BlobStore

MIB = 1024 * 1024

BAD_KEYS = [
    "",
    "/abs/key",
    "a/../b",
    "..",
    "a\\b",
    "a\x00b",
    "a/.hidden",
    ".env",
    "a//b",
    "folder/",
    "x" * 1025,
]


class FailingStream:
    """Yields ``total`` bytes in chunks, but raises after ``fail_after`` bytes (a dropped upload)."""

    def __init__(self, total: int, fail_after: int) -> None:
        self.total, self.fail_after, self.sent = total, fail_after, 0

    def read(self, size: int = -1) -> bytes:
        if self.sent >= self.fail_after:
            raise ConnectionResetError("simulated client disconnect")
        size = self.total - self.sent if size is None or size < 0 else size
        n = min(size, self.total - self.sent, self.fail_after - self.sent) or 0
        self.sent += n
        return b"x" * n


def test_store_satisfies_protocol(store: BlobStore) -> None:
    assert isinstance(store, BlobStore)
    assert store.describe()


def test_put_bytes_then_read(store: BlobStore) -> None:
    assert store.put_bytes("images/a.png", b"hello", content_type="image/png") == 5
    assert store.read_bytes("images/a.png") == b"hello"
    assert store.exists("images/a.png")
    assert store.size("images/a.png") == 5


def test_put_stream_and_open(store: BlobStore) -> None:
    assert store.put("doc.txt", io.BytesIO(b"streamed")) == 8
    with store.open("doc.txt") as fh:
        assert fh.read(3) == b"str"
        assert fh.read() == b"eamed"


def test_put_overwrites(store: BlobStore) -> None:
    store.put_bytes("k", b"old")
    store.put_bytes("k", b"new content")
    assert store.read_bytes("k") == b"new content"
    assert store.size("k") == 11


def test_empty_blob(store: BlobStore) -> None:
    assert store.put_bytes("empty", b"") == 0
    assert store.exists("empty")
    assert store.size("empty") == 0
    assert store.read_bytes("empty") == b""


def test_delete(store: BlobStore) -> None:
    store.put_bytes("gone/soon", b"x")
    store.delete("gone/soon")
    assert not store.exists("gone/soon")
    store.delete("gone/soon")  # idempotent
    store.delete("never/existed")


def test_iter_keys_sorted_and_prefixed(store: BlobStore) -> None:
    for key in ["b/2", "a/1", "a/0", "a-x", "ab", "b/1/z", "c"]:
        store.put_bytes(key, key.encode())
    assert list(store.iter_keys("")) == sorted(["b/2", "a/1", "a/0", "a-x", "ab", "b/1/z", "c"])
    assert list(store.iter_keys("a/")) == ["a/0", "a/1"]
    assert list(store.iter_keys("a")) == ["a-x", "a/0", "a/1", "ab"]
    assert list(store.iter_keys("b/1")) == ["b/1/z"]
    assert list(store.iter_keys("nothing/")) == []


@pytest.mark.parametrize("op", ["open", "read_bytes", "size"])
def test_missing_key_is_not_found(store: BlobStore, op: str) -> None:
    with pytest.raises(NotFound, match="blob 'no/such/key' not found"):
        getattr(store, op)("no/such/key")
    assert not store.exists("no/such/key")


@pytest.mark.parametrize("key", BAD_KEYS, ids=repr)
def test_bad_keys_are_rejected(store: BlobStore, key: str) -> None:
    for call in (
        lambda: store.put_bytes(key, b"x"),
        lambda: store.put(key, io.BytesIO(b"x")),
        lambda: store.open(key),
        lambda: store.read_bytes(key),
        lambda: store.exists(key),
        lambda: store.delete(key),
        lambda: store.size(key),
    ):
        with pytest.raises(InvalidInput):
            call()
    assert list(store.iter_keys("")) == []


@pytest.mark.parametrize("prefix", ["/abs", "../up", "a//", ".tmp"])
def test_bad_prefix_is_rejected(store: BlobStore, prefix: str) -> None:
    with pytest.raises(InvalidInput):
        list(store.iter_keys(prefix))


@pytest.mark.parametrize(
    ("total", "fail_after"), [(3 * MIB, 2 * MIB + 17), (20 * MIB, 9 * MIB)], ids=["single-put", "multipart"]
)
def test_failed_stream_leaves_no_blob(store: BlobStore, total: int, fail_after: int) -> None:
    with pytest.raises(ConnectionResetError):
        store.put("upload/broken.bin", cast(BinaryIO, FailingStream(total, fail_after)))
    assert not store.exists("upload/broken.bin")
    assert list(store.iter_keys("")) == []


def test_failed_overwrite_keeps_old_blob(store: BlobStore) -> None:
    store.put_bytes("keep", b"original")
    with pytest.raises(ConnectionResetError):
        store.put("keep", cast(BinaryIO, FailingStream(2 * MIB, MIB)))
    assert store.read_bytes("keep") == b"original"
    assert list(store.iter_keys("")) == ["keep"]


def test_five_mib_round_trip(store: BlobStore) -> None:
    data = os.urandom(5 * MIB + 123)
    assert store.put("big/blob.bin", io.BytesIO(data), content_type="application/octet-stream") == len(data)
    assert store.size("big/blob.bin") == len(data)
    with store.open("big/blob.bin") as fh:
        assert fh.read() == data
        fh.seek(MIB)
        assert fh.read(10) == data[MIB : MIB + 10]
    assert store.read_bytes("big/blob.bin") == data


def test_unicode_key(store: BlobStore) -> None:
    store.put_bytes("projets/été/ïmage 1.png", b"u")
    assert store.read_bytes("projets/été/ïmage 1.png") == b"u"
    assert list(store.iter_keys("projets/")) == ["projets/été/ïmage 1.png"]
