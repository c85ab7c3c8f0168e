"""``S3BlobStore``: blobs as objects in one S3 (or S3-compatible: MinIO, Ceph, R2...) bucket.

Key ``a/b.png`` is the object ``<prefix>a/b.png``.  ``put`` goes through ``upload_fileobj``: a
single PUT below 8 MiB, a multipart upload above, and S3 only makes an object visible once the
PUT or the multipart completion succeeds (a failed multipart upload is aborted), so a partial
write never shows under the key.

``open`` downloads the object into a ``SpooledTemporaryFile`` (memory up to 8 MiB, disk beyond)
and returns it rewound.  Chosen over wrapping the streaming HTTP body because callers (Pillow,
zip writers) need ``seek``, may read slowly (an idle HTTP body times out mid-read), and the
download is retried by s3transfer; the cost is one full download before the first byte.

Errors: a missing object is ``NotFound``; an unreachable endpoint, a missing bucket or refused
credentials are ``ServiceUnavailable`` naming the endpoint (never the credentials).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO, cast

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from labelhub.core.errors import InvalidInput, NotFound, ServiceUnavailable
from labelhub.storage.keys import check_key, check_prefix

MIB = 1024 * 1024
SPOOL_MAX_BYTES = 8 * MIB
LIST_PAGE_SIZE = 1000  # keys per ListObjectsV2 request (the S3 maximum)
_MISSING_CODES = frozenset({"404", "NoSuchKey", "NotFound"})
_AUTH_CODES = frozenset({"403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"})


class _CountingReader:
    """Counts the bytes handed to s3transfer.  Deliberately not seekable: s3transfer then reads
    the stream once, sequentially, buffering each part, which works for any input stream."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.count += len(data)
        return data


class S3BlobStore:
    """A ``BlobStore`` on S3.  Credentials left ``None`` come from boto3's default chain
    (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``/``AWS_SESSION_TOKEN``, profile, instance role).

    No request is made at construction; the first operation reports an unreachable endpoint.
    """

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
    ) -> None:
        if not bucket or "/" in bucket:
            raise InvalidInput(f"invalid S3 bucket name {bucket!r}: pass a bare bucket name such as 'labelhub'")
        prefix = prefix.strip("/")
        if prefix:
            check_prefix(prefix)
            prefix += "/"
        self.bucket = bucket
        self.prefix = prefix
        session = boto3.session.Session(
            aws_access_key_id=access_key, aws_secret_access_key=secret_key, region_name=region
        )
        options: dict[str, Any] = {
            "connect_timeout": 5,
            "read_timeout": 60,
            "retries": {"max_attempts": 3, "mode": "standard"},
        }
        if endpoint_url:
            # S3-compatible servers want path-style URLs and may reject the newer default checksums.
            options["s3"] = {"addressing_style": "path"}
            options["request_checksum_calculation"] = "when_required"
            options["response_checksum_validation"] = "when_required"
        self._client: Any = session.client("s3", endpoint_url=endpoint_url, config=Config(**options))
        self._transfer = TransferConfig(multipart_threshold=8 * MIB, multipart_chunksize=8 * MIB)
        self.endpoint = str(self._client.meta.endpoint_url)

    def _name(self, key: str) -> str:
        return self.prefix + check_key(key)

    @contextmanager
    def _errors(self, key: str | None = None) -> Iterator[None]:
        """Translate botocore errors into labelhub errors (see the module docstring)."""
        try:
            yield
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code, message = str(error.get("Code", "")), str(error.get("Message", ""))
            if key is not None and code in _MISSING_CODES:
                raise NotFound(f"blob '{key}' not found in {self.describe()}") from exc
            if code == "NoSuchBucket":
                raise ServiceUnavailable(
                    f"the S3 bucket '{self.bucket}' does not exist at {self.endpoint}: create it or fix the storage URL"
                ) from exc
            if code in _AUTH_CODES:
                raise ServiceUnavailable(
                    f"S3 at {self.endpoint} refused access to bucket '{self.bucket}' ({code}): "
                    "check the storage credentials and bucket policy"
                ) from exc
            raise ServiceUnavailable(
                f"S3 request to {self.endpoint} failed ({code}: {message}): check the storage service"
            ) from exc
        except BotoCoreError as exc:  # connection refused, timeouts, no credentials...
            raise ServiceUnavailable(
                f"cannot use S3 storage at {self.endpoint} ({exc}): check that it is running and reachable"
            ) from exc

    def put(self, key: str, stream: BinaryIO, *, content_type: str | None = None) -> int:
        """Upload ``stream`` to ``key``; return the byte count.  Errors raised by ``stream`` propagate."""
        name = self._name(key)
        reader = _CountingReader(stream)
        extra = {"ContentType": content_type} if content_type else None
        with self._errors(key):
            self._client.upload_fileobj(reader, self.bucket, name, ExtraArgs=extra, Config=self._transfer)
        return reader.count

    def put_bytes(self, key: str, data: bytes, *, content_type: str | None = None) -> int:
        name = self._name(key)
        extra = {"ContentType": content_type} if content_type else {}
        with self._errors(key):
            self._client.put_object(Bucket=self.bucket, Key=name, Body=data, **extra)
        return len(data)

    def open(self, key: str) -> BinaryIO:
        """Download ``key`` into a rewound, seekable spooled file; the caller closes it."""
        name = self._name(key)
        # Returned to the caller, who closes it: a ``with`` block would close it too early.
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES, mode="w+b")  # noqa: SIM115
        try:
            with self._errors(key):
                self._client.download_fileobj(self.bucket, name, spool, Config=self._transfer)
            spool.seek(0)
        except BaseException:
            spool.close()
            raise
        return cast(BinaryIO, spool)

    def read_bytes(self, key: str) -> bytes:
        name = self._name(key)
        with self._errors(key):
            body = self._client.get_object(Bucket=self.bucket, Key=name)["Body"]
            try:
                return bytes(body.read())
            finally:
                body.close()

    def exists(self, key: str) -> bool:
        try:
            self.size(key)
        except NotFound:
            return False
        return True

    def delete(self, key: str) -> None:
        """Remove ``key``; deleting a missing key is not an error (S3 semantics)."""
        name = self._name(key)
        with self._errors(key):
            self._client.delete_object(Bucket=self.bucket, Key=name)

    def size(self, key: str) -> int:
        name = self._name(key)
        with self._errors(key):
            head = self._client.head_object(Bucket=self.bucket, Key=name)
        return int(head["ContentLength"])

    def iter_keys(self, prefix: str) -> Iterator[str]:
        """Yield keys starting with ``prefix``, sorted (S3 lists in UTF-8 byte order, which is
        Python's string order), one page of ``LIST_PAGE_SIZE`` at a time.  Objects whose names are not valid
        keys (written by other tools, e.g. ``folder/`` markers) are skipped."""
        check_prefix(prefix)
        paginator = self._client.get_paginator("list_objects_v2")
        with self._errors():
            pages = paginator.paginate(
                Bucket=self.bucket,
                Prefix=self.prefix + prefix,
                PaginationConfig={"PageSize": LIST_PAGE_SIZE},
            )
            for page in pages:
                for item in page.get("Contents", []):
                    key = str(item["Key"])[len(self.prefix) :]
                    if _is_valid_key(key):
                        yield key

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.prefix} at {self.endpoint}"


def _is_valid_key(key: str) -> bool:
    try:
        check_key(key)
    except InvalidInput:
        return False
    return True


__all__ = ["S3BlobStore"]
