"""Fixtures for the blob store tests.

``store`` is parametrized over both backends so one contract module tests both.  The S3 backend
talks to a real S3-compatible HTTP server on loopback: moto's server, started as a separate
process once per session (only when an S3 test is selected) and stopped at the end.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from labelhub.core.ports import BlobStore
from labelhub.storage.local import LocalBlobStore

if TYPE_CHECKING:
    from labelhub.storage.s3 import S3BlobStore

BUCKET = "labelhub-test"
CREDENTIALS = {"access_key": "testing", "secret_key": "testing", "region": "us-east-1"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a moto S3 server subprocess holding an empty bucket ``BUCKET``."""
    import boto3

    port = free_port()
    log_path = tmp_path_factory.mktemp("moto") / "server.log"
    endpoint = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(endpoint, proc, log_path)
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        )
        client.create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _wait_until_up(endpoint: str, proc: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"moto server exited with {proc.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"moto server did not start within 60 s:\n{log_path.read_text()}")


def make_s3_store(endpoint: str) -> S3BlobStore:
    from labelhub.storage.s3 import S3BlobStore

    # A fresh prefix per test isolates tests sharing the session's bucket.
    return S3BlobStore(BUCKET, prefix=f"t-{uuid.uuid4().hex}", endpoint_url=endpoint, **CREDENTIALS)


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    if request.param == "local":
        return LocalBlobStore(tmp_path / "blobs")
    return make_s3_store(request.getfixturevalue("s3_endpoint"))


@pytest.fixture
def s3_store(s3_endpoint: str) -> S3BlobStore:
    """An ``S3BlobStore`` on the moto server, under a fresh prefix of bucket ``BUCKET``."""
    return make_s3_store(s3_endpoint)


@pytest.fixture
def s3_client(s3_endpoint: str) -> Any:
    """A raw boto3 client on the moto server, to look behind the store's back."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
