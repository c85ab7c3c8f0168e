"""The dependency arrows of docs/architecture.md, enforced: a wrong import fails CI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "labelhub"


def test_import_linter_contracts_are_kept() -> None:
    exe = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run([str(exe), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_sdk_never_imports_the_server() -> None:
    offenders = []
    for path in (ROOT / "sdk" / "src").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n == "labelhub" or n.startswith("labelhub.")]
    assert offenders == []


def test_modules_stay_small() -> None:
    big = {p.relative_to(SRC).as_posix(): n for p in SRC.rglob("*.py") if (n := len(p.read_text().splitlines())) > 800}
    assert big == {}, f"split these modules (over 800 lines): {big}"


def test_heavy_libraries_are_not_imported_by_core() -> None:
    heavy = {"fastapi", "sqlalchemy", "pydantic", "PIL", "boto3", "huey", "httpx"}
    for path in (SRC / "core").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            mods = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                mods = [node.module]
            assert not {m.split(".")[0] for m in mods} & heavy, f"{path.name} imports {mods}"
