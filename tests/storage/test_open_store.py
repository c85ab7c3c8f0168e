from __future__ import annotations

from pathlib import Path

import pytest

import labelhub.storage as storage
from labelhub.core.errors import InvalidInput
from labelhub.storage import LocalBlobStore, open_store


def test_file_url(tmp_path: Path) -> None:
    store = open_store(f"file://{tmp_path}/blobs")
    assert isinstance(store, LocalBlobStore)
    assert store.root == (tmp_path / "blobs").resolve()


def test_file_url_with_escaped_characters(tmp_path: Path) -> None:
    store = open_store(f"file://{tmp_path}/my%20blobs")
    assert isinstance(store, LocalBlobStore)
    assert store.root.name == "my blobs"


def test_plain_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = open_store("data/blobs")
    assert isinstance(store, LocalBlobStore)
    assert store.root == (tmp_path / "data" / "blobs").resolve()
    assert isinstance(open_store(str(tmp_path / "abs")), LocalBlobStore)


@pytest.mark.parametrize("url", ["file://relative/path", "file://host/abs"])
def test_file_url_must_be_absolute(url: str) -> None:
    with pytest.raises(InvalidInput, match="file:///"):
        open_store(url)


def test_s3_url_is_parsed_without_network() -> None:
    from labelhub.storage.s3 import S3BlobStore

    store = open_store(
        "s3://my-bucket/some/prefix/?endpoint_url=http://127.0.0.1:1&region=eu-west-1"
        "&access_key=AKIDEXAMPLE&secret_key=very-secret"
    )
    assert isinstance(store, S3BlobStore)
    assert (store.bucket, store.prefix, store.endpoint) == ("my-bucket", "some/prefix/", "http://127.0.0.1:1")
    assert "very-secret" not in store.describe() and "AKIDEXAMPLE" not in store.describe()
    assert open_store("s3://bare").describe().startswith("s3://bare/ at ")


def test_s3_lazy_export() -> None:
    from labelhub.storage.s3 import S3BlobStore

    assert storage.S3BlobStore is S3BlobStore
    with pytest.raises(AttributeError):
        _ = storage.NoSuchThing  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("url", "hint"),
    [
        ("gs://bucket/x", "unsupported storage URL scheme 'gs'"),
        ("http://example.com/x", "s3://bucket"),
        ("", "empty"),
        ("   ", "empty"),
        ("s3:///no-bucket", "bucket name"),
        ("s3://key:secret@bucket/x", "bucket name"),
        ("s3://bucket?endpoint=http://x", "unknown s3: storage URL parameter(s) endpoint"),
    ],
)
def test_bad_urls(url: str, hint: str) -> None:
    with pytest.raises(InvalidInput) as info:
        open_store(url)
    assert hint in info.value.message
    assert "secret@" not in info.value.message
