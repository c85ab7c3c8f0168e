"""Blob store adapters (``core.ports.BlobStore``) and ``open_store(url)``, which picks one from a URL.

Supported URLs::

    file:///var/lib/labelhub/blobs           -> LocalBlobStore(Path("/var/lib/labelhub/blobs"))
    /var/lib/labelhub/blobs  or  ./blobs     -> LocalBlobStore (a plain path, resolved)
    s3://bucket/some/prefix?endpoint_url=http://127.0.0.1:9000&region=us-east-1
                                             -> S3BlobStore(bucket, "some/prefix", ...)

S3 query parameters: ``endpoint_url``, ``region``, ``access_key``, ``secret_key``.  Without
``access_key``/``secret_key`` boto3's default chain applies (``AWS_*`` environment variables,
profile, instance role).  ``S3BlobStore`` (and boto3) is imported only when an S3 URL is opened.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from labelhub.core.errors import InvalidInput
from labelhub.core.ports import BlobStore
from labelhub.storage.keys import check_key, check_prefix
from labelhub.storage.local import LocalBlobStore

if TYPE_CHECKING:
    from labelhub.storage.s3 import S3BlobStore

SUPPORTED_URLS = "file:///absolute/path, a plain path, or s3://bucket/prefix?endpoint_url=...&region=..."
_S3_PARAMS = ("endpoint_url", "region", "access_key", "secret_key")


def open_store(url: str) -> BlobStore:
    """Build the blob store a storage URL names (see the module docstring)."""
    if not url or not url.strip():
        raise InvalidInput(f"the storage URL is empty: use {SUPPORTED_URLS}")
    url = url.strip()
    if "://" not in url:
        return LocalBlobStore(Path(url))
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file":
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            raise InvalidInput(
                "a file: storage URL needs an absolute path with three slashes, e.g. file:///var/lib/labelhub/blobs"
            )
        return LocalBlobStore(Path(unquote(parts.path)))
    if scheme == "s3":
        return _open_s3(parts.netloc, unquote(parts.path), parts.query)
    raise InvalidInput(f"unsupported storage URL scheme '{scheme}': use {SUPPORTED_URLS}")


def _open_s3(bucket: str, path: str, query: str) -> BlobStore:
    from labelhub.storage.s3 import S3BlobStore

    if not bucket or "@" in bucket:
        raise InvalidInput(
            "an s3: storage URL needs a bucket name right after s3:// (credentials go in the query "
            "or AWS_* environment variables), e.g. s3://labelhub/blobs"
        )
    params = parse_qs(query, keep_blank_values=True)
    unknown = sorted(set(params) - set(_S3_PARAMS))
    if unknown:
        raise InvalidInput(f"unknown s3: storage URL parameter(s) {', '.join(unknown)}: use {', '.join(_S3_PARAMS)}")

    def param(name: str) -> str | None:
        return params[name][-1] or None if name in params else None

    return S3BlobStore(
        bucket,
        path.strip("/"),
        endpoint_url=param("endpoint_url"),
        region=param("region"),
        access_key=param("access_key"),
        secret_key=param("secret_key"),
    )


def __getattr__(name: str) -> Any:
    """Lazy export of ``S3BlobStore`` so importing ``labelhub.storage`` does not import boto3."""
    if name == "S3BlobStore":
        from labelhub.storage.s3 import S3BlobStore

        return S3BlobStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["LocalBlobStore", "S3BlobStore", "check_key", "check_prefix", "open_store"]
