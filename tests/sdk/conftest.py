"""A real labelhub server in a separate process, for the SDK and data-command tests.

One server per test session: ``labelhub user create`` and ``labelhub token create`` prepare the
admin in a fresh data directory, ``labelhub serve`` runs on a free loopback port, and the
fixture waits for ``/api/v1/health``.  The server is stopped (and its log shown on failure) at
the end.  Sample images are real photographs from scikit-image, written with Pillow.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from PIL import Image
from skimage import data

from labelhub_sdk import Client

BIN = Path(sys.executable).parent
LABELHUB = str(BIN / "labelhub")
ADMIN_PASSWORD = "a long admin password"
START_TIMEOUT = 90.0
STOP_GRACE = 3.0

BOX_ONTOLOGY = {"classes": [{"id": "car", "name": "Car", "tool": "bbox"}]}


@dataclass(frozen=True)
class Server:
    url: str
    token: str
    data_dir: Path
    log: Path

    def client(self, token: str | None = None) -> Client:
        return Client(self.url, token or self.token, timeout=60)

    def cli(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None, timeout: float = 180
    ) -> subprocess.CompletedProcess[str]:
        """Run ``labelhub ARGS`` as a subprocess (without LABELHUB_URL/TOKEN unless given in ``env``)."""
        base = {k: v for k, v in os.environ.items() if not k.startswith("LABELHUB_")}
        base.update({"NO_COLOR": "1", "COLUMNS": "200"})
        return subprocess.run(
            [LABELHUB, *args],
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**base, **(env or {})},
            check=False,
        )

    def make_user(self, username: str, password: str = "another long password") -> str:
        """Create an account directly in the database and return an API token for it."""
        made = self.cli(
            "user", "create", "--username", username, "--data-dir", str(self.data_dir), input=password + "\n"
        )
        assert made.returncode == 0, made.stderr
        tok = self.cli("token", "create", "--username", username, "--data-dir", str(self.data_dir))
        assert tok.returncode == 0, tok.stderr
        return tok.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"labelhub serve exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"labelhub serve did not answer within {START_TIMEOUT:g} s:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("labelhub-server")
    data_dir = root / "data"
    log = root / "server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABELHUB_")}
    boot = Server("", "", data_dir, log)
    made = boot.cli(
        "user", "create", "--username", "admin", "--admin", "--data-dir", str(data_dir), input=ADMIN_PASSWORD + "\n"
    )
    assert made.returncode == 0, made.stderr
    tok = boot.cli("token", "create", "--username", "admin", "--name", "sdk-tests", "--data-dir", str(data_dir))
    assert tok.returncode == 0, tok.stderr
    token = tok.stdout.strip().splitlines()[-1]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [LABELHUB, "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data_dir)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        _wait_healthy(url, proc, log)
        yield Server(url, token, data_dir, log)
    finally:
        # SIGTERM first; the embedded job consumer (huey) replaces uvicorn's signal handlers, so
        # today the server ignores it and gets SIGKILL after a short grace period.
        proc.terminate()
        try:
            proc.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.fixture
def client(server: Server) -> Iterator[Client]:
    with server.client() as c:
        yield c


@pytest.fixture
def project_id(client: Client) -> int:
    """A fresh project (one bbox class) per test, so tests never see each other's tasks."""
    return client.projects.create(f"test-{uuid.uuid4().hex[:8]}", BOX_ONTOLOGY).id


@pytest.fixture(scope="session")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Real photographs as files: PNGs and JPEGs of different content (so no two are duplicates)."""
    root = tmp_path_factory.mktemp("sdk-images")
    arrays = {
        "astronaut": data.astronaut(),
        "camera": data.camera(),
        "coffee": data.coffee(),
        "chelsea": data.chelsea(),
        "rocket": data.rocket(),
    }
    paths: dict[str, Path] = {}
    for name, arr in arrays.items():
        img = Image.fromarray(arr)
        png = root / f"{name}.png"
        img.save(png)
        paths[f"{name}.png"] = png
        jpg = root / f"{name}.jpg"
        img.convert("RGB").save(jpg, quality=90)
        paths[f"{name}.jpg"] = jpg
    return paths


@pytest.fixture
def make_image(tmp_path: Path) -> Callable[[str], Path]:
    """``make_image(name)``: a small real photograph whose content differs from every other call's."""
    counter = iter(range(10_000))
    camera = Image.fromarray(data.camera())

    def make(name: str = "img") -> Path:
        i = next(counter)
        path = tmp_path / f"{name}-{i}.png"
        camera.resize((64 + i, 48)).save(path)
        return path

    return make
