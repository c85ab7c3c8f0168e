"""Browser tests: a real ``labelhub serve`` on loopback with a fresh data dir, driven by Debian's Chromium.

Chromium is /usr/bin/chromium (``apt-get install -y chromium``; ``scripts/test`` installs it
where apt-get exists); Playwright's own browser download is never used.  Each ``browser.launch``
starts Chromium with a fresh temporary user-data dir.  Without Chromium, the built web app or
the playwright package, every test here is skipped with a message naming what is missing.
Screenshots go to test-artifacts/e2e/ (git-ignored).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.sdk.conftest import ADMIN_PASSWORD, LABELHUB, Server, _wait_healthy, free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("LABELHUB_CHROMIUM", "/usr/bin/chromium")
WEB_DIST = ROOT / "src" / "labelhub" / "web_dist" / "index.html"
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
LABELER_PASSWORD = "labeler long password"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium, or set LABELHUB_CHROMIUM)"
    if not WEB_DIST.exists():
        return f"the web app is not built ({WEB_DIST} missing: cd web && npm ci && npm run build)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -e '.[test]')"
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    reason = _missing()
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            if reason:
                item.add_marker(pytest.mark.skip(reason=f"e2e skipped: {reason}"))


@dataclass
class Site:
    server: Server
    api: httpx.Client

    @property
    def url(self) -> str:
        return self.server.url

    def as_user(self, token: str) -> httpx.Client:
        return httpx.Client(base_url=f"{self.url}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=30)

    def project(self, ontology: dict[str, Any], name: str | None = None) -> int:
        r = self.api.post("/projects", json={"name": name or f"e2e-{uuid.uuid4().hex[:6]}", "ontology": ontology})
        r.raise_for_status()
        return int(r.json()["id"])

    def upload(self, project_id: int, path: Path) -> dict[str, Any]:
        with path.open("rb") as f:
            r = self.api.post(f"/projects/{project_id}/assets", files={"file": (path.name, f, "image/png")})
        r.raise_for_status()
        return dict(r.json())

    def task_of(self, project_id: int, asset_id: int) -> int:
        """The id of the (first) task made for an uploaded asset."""
        r = self.api.get(f"/projects/{project_id}/tasks", params={"asset_id": asset_id})
        r.raise_for_status()
        return int(r.json()["items"][0]["id"])


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("e2e-server")
    data_dir = root / "data"
    log = root / "server.log"
    boot = Server("", "", data_dir, log)
    made = boot.cli(
        "user", "create", "--username", "admin", "--admin", "--data-dir", str(data_dir), input=ADMIN_PASSWORD + "\n"
    )
    assert made.returncode == 0, made.stderr
    tok = boot.cli("token", "create", "--username", "admin", "--name", "e2e", "--data-dir", str(data_dir))
    assert tok.returncode == 0, tok.stderr
    token = tok.stdout.strip().splitlines()[-1]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABELHUB_")}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [LABELHUB, "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data_dir)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        _wait_healthy(url, proc, log)
        server = Server(url, token, data_dir, log)
        with httpx.Client(base_url=f"{url}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=30) as api:
            yield Site(server, api)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    # Screenshots are overwritten by name, never wiped wholesale: several test runs may share the
    # folder (one per area), and each should keep the others' pictures. Old failure shots go.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for stale in ARTIFACTS.glob("FAILED-*.png"):
        stale.unlink(missing_ok=True)
    return ARTIFACTS


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """On a failed e2e test, screenshot every open page to test-artifacts/e2e/FAILED-<test>-<n>.png."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call" and report.failed and "browser" in getattr(item, "funcargs", {}):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for ctx in item.funcargs["browser"].contexts:
            for n, page in enumerate(ctx.pages):
                with contextlib.suppress(Exception):
                    page.screenshot(path=ARTIFACTS / f"FAILED-{item.name}-{n}.png")


def new_page(browser: Any, site: Site) -> Any:
    """A fresh browser context (own cookies) with a 1440x900 window."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=site.url)
    context.set_default_timeout(15_000)
    return context.new_page()


def sign_in(page: Any, username: str, password: str) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Projects").wait_for()


def until(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Polls ``check`` until it returns something truthy (the server-side effect of a UI action);
    its last value after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)
