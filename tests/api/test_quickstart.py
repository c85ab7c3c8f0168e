"""The first run as a new user meets it: `labelhub serve --demo` without a terminal, then the
first admin from the CLI, then a demo project with the real sample photographs."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

LABELHUB = str(Path(sys.executable).with_name("labelhub"))


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_first_run_without_a_terminal_then_first_admin_gets_the_demo(tmp_path: Path) -> None:
    data, port = tmp_path / "data", _port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABELHUB_")}
    server = subprocess.Popen(
        [LABELHUB, "serve", "--demo", "--port", str(port), "--data-dir", str(data)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v1/health").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
            assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
        made = subprocess.run(
            [LABELHUB, "user", "create", "--username", "first", "--admin", "--data-dir", str(data)],
            input="a long enough password\n",
            text=True,
            capture_output=True,
            env=env,
            timeout=60,
        )
        assert made.returncode == 0, made.stderr
        assert "demo project 'Demo: everyday objects' created" in made.stdout
        with httpx.Client(base_url=f"{url}/api/v1") as c:
            login = c.post("/auth/login", json={"username": "first", "password": "a long enough password"})
            assert login.status_code == 200
            projects = c.get("/projects").json()["items"]
            assert [p["name"] for p in projects] == ["Demo: everyday objects"]
            assets = c.get(f"/projects/{projects[0]['id']}/assets").json()["items"]
            assert sorted(a["filename"] for a in assets) == ["astronaut.jpg", "chelsea.jpg", "coffee.jpg", "rocket.jpg"]
            assert all(a["width"] and a["height"] for a in assets)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        out = server.communicate(timeout=30)[0].decode()
    assert "No accounts yet" in out and "labelhub user create --username admin --admin" in out
    assert "the demo project will be created together with the first admin account" in out
    assert server.returncode is not None
