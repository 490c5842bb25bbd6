"""The package's layers (design/architecture.md) hold: import-linter's contracts in pyproject.toml (each layer
imports only those below it, exhaustively, so a new module must be given a layer; no stage imports another) pass
on this checkout, and `tilefuse/` itself holds only the CLI, the errors and the layer folders."""

import os
import subprocess
import sys
from pathlib import Path

import tilefuse

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")  # the test extra's, beside this Python
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    proc = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout


def test_the_package_top_holds_at_most_six_modules():
    top = sorted(p.name for p in Path(tilefuse.__file__).parent.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "cli.py", "cli_checks.py", "errors.py"]
