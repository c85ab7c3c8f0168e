"""Behaviour specific to ``S3BlobStore``, against the moto server started by conftest.py."""

from __future__ import annotations

import io
import socket
from typing import Any

import pytest

from labelhub.core.errors import ServiceUnavailable
from labelhub.storage import s3
from labelhub.storage.s3 import S3BlobStore

TEST_CREDENTIALS = {"access_key": "testing", "secret_key": "testing", "region": "us-east-1"}


def test_objects_live_under_the_prefix_with_content_type(s3_store: S3BlobStore, s3_client: Any) -> None:
    s3_store.put("img/a.png", io.BytesIO(b"png"), content_type="image/png")
    s3_store.put_bytes("img/b.json", b"{}", content_type="application/json")
    head = s3_client.head_object(Bucket=s3_store.bucket, Key=f"{s3_store.prefix}img/a.png")
    assert head["ContentType"] == "image/png"
    head = s3_client.head_object(Bucket=s3_store.bucket, Key=f"{s3_store.prefix}img/b.json")
    assert head["ContentType"] == "application/json"


def test_foreign_objects_with_invalid_names_are_skipped(s3_store: S3BlobStore, s3_client: Any) -> None:
    s3_client.put_object(Bucket=s3_store.bucket, Key=f"{s3_store.prefix}folder/", Body=b"")
    s3_client.put_object(Bucket=s3_store.bucket, Key=f"{s3_store.prefix}folder/ok", Body=b"")
    assert list(s3_store.iter_keys("")) == ["folder/ok"]


def test_iter_keys_paginates(s3_store: S3BlobStore, monkeypatch: pytest.MonkeyPatch) -> None:
    requests: list[str] = []
    s3_store._client.meta.events.register("before-call.s3.ListObjectsV2", lambda **_: requests.append("list"))
    monkeypatch.setattr(s3, "LIST_PAGE_SIZE", 3)
    keys = [f"many/{i:02d}" for i in range(10)]
    for key in keys:
        s3_store.put_bytes(key, b"")
    assert list(s3_store.iter_keys("many/")) == keys
    assert len(requests) == 4


def test_failed_multipart_upload_is_aborted(s3_store: S3BlobStore, s3_client: Any) -> None:
    class DropsAfterTwoParts:
        def __init__(self) -> None:
            self.sent = 0

        def read(self, size: int = -1) -> bytes:
            if self.sent >= 17 * 1024 * 1024:
                raise ConnectionResetError("client went away")
            self.sent += size
            return b"z" * size

    calls: list[str] = []
    for op in ("CreateMultipartUpload", "UploadPart", "AbortMultipartUpload"):
        s3_store._client.meta.events.register(f"before-call.s3.{op}", lambda op=op, **_: calls.append(op))
    with pytest.raises(ConnectionResetError):
        s3_store.put("big.bin", DropsAfterTwoParts())  # type: ignore[arg-type]
    # Parts may or may not have been sent before the failure (threads race); either way it is aborted.
    assert calls[0] == "CreateMultipartUpload" and calls[-1] == "AbortMultipartUpload"
    uploads = s3_client.list_multipart_uploads(Bucket=s3_store.bucket, Prefix=s3_store.prefix)
    assert uploads.get("Uploads", []) == []
    assert not s3_store.exists("big.bin")


def test_missing_bucket_is_service_unavailable(s3_endpoint: str) -> None:
    store = S3BlobStore("no-such-bucket", endpoint_url=s3_endpoint, **TEST_CREDENTIALS)
    with pytest.raises(ServiceUnavailable, match="bucket 'no-such-bucket' does not exist"):
        store.put_bytes("k", b"x")
    with pytest.raises(ServiceUnavailable, match="no-such-bucket"):
        list(store.iter_keys(""))


def test_unreachable_endpoint_is_service_unavailable() -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        endpoint = f"http://127.0.0.1:{sock.getsockname()[1]}"
    store = S3BlobStore("bucket", endpoint_url=endpoint, **TEST_CREDENTIALS)
    with pytest.raises(ServiceUnavailable, match=f"cannot use S3 storage at {endpoint}") as info:
        store.read_bytes("k")
    assert "testing" not in info.value.message
