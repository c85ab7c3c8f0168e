"""The SDK is its own distribution: it depends on httpx alone and never imports the server."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import labelhub_sdk

SDK = Path(__file__).resolve().parents[2] / "sdk"


def test_depends_only_on_httpx() -> None:
    meta = tomllib.loads((SDK / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["name"] == "labelhub-sdk"
    assert [d.split(">")[0].split("=")[0].strip() for d in meta["dependencies"]] == ["httpx"]
    assert (SDK / "src" / "labelhub_sdk" / "py.typed").is_file()


def test_never_imports_the_server_package() -> None:
    code = (
        "import sys, labelhub_sdk, labelhub_sdk.client, labelhub_sdk.resources; "
        "bad = sorted(m for m in sys.modules if m == 'labelhub' or m.startswith('labelhub.')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    for source in (SDK / "src" / "labelhub_sdk").glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "import labelhub\n" not in text and "from labelhub." not in text, source


def test_all_exports_resolve() -> None:
    assert len(labelhub_sdk.__all__) == len(set(labelhub_sdk.__all__))
    for name in labelhub_sdk.__all__:
        assert hasattr(labelhub_sdk, name), name
    assert issubclass(labelhub_sdk.Conflict, labelhub_sdk.LabelhubError)
