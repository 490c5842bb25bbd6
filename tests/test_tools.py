"""Every external tool through one resolver (tilefuse/target/iree_tools.py): tilefuse runs from a venv whose bin is not
on PATH (`.venv/bin/tilefuse`, `.venv/bin/python -m tilefuse`, an IDE), so no tool is looked up there."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tilefuse.target import iree_tools
from tilefuse.errors import TilefuseError

ROOT = Path(__file__).resolve().parent.parent
# A PATH without the venv's bin, where pip puts iree-compile's launcher script.
BARE = {**os.environ, "PATH": "/usr/bin:/bin"}


@pytest.mark.parametrize("name", [*iree_tools.COMPILER_TOOLS, *iree_tools.RUNTIME_TOOLS])
def test_each_tool_is_an_installed_executable(name):
    path = Path(iree_tools.tool(name))
    assert path.is_absolute() and os.access(path, os.X_OK)
    assert path.parent != Path(sys.executable).parent  # the wheel's binary, not the venv's launcher


def test_a_missing_tool_names_its_package(monkeypatch):
    monkeypatch.setattr(iree_tools, "find", lambda name: None)
    with pytest.raises(TilefuseError, match="iree-benchmark-module not found: it ships with iree-base-runtime"):
        iree_tools.tool("iree-benchmark-module")


def _tool_names_run_bare() -> list[str]:
    """`subprocess.*([\"name\", ...])` anywhere in tilefuse: a literal program name, which PATH would resolve."""
    found = []
    for file in (ROOT / "tilefuse").rglob("*.py"):
        for node in ast.walk(ast.parse(file.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "subprocess"
                    and node.args and isinstance(node.args[0], ast.List) and node.args[0].elts
                    and isinstance(node.args[0].elts[0], ast.Constant)):
                found.append(f"{file.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_tool_is_run_by_a_bare_name():
    assert _tool_names_run_bare() == []


def test_the_target_probe_runs_without_the_venv_on_path():
    """The probe of a target's facts is iree-compile (it failed with "No such file or directory" here)."""
    proc = subprocess.run([sys.executable, "-c", "from tilefuse.target.targets import get_target; "
                           "print(get_target('gfx942').subgroup_size)"], env=BARE, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip() == "64", proc.stderr[-2000:]


@pytest.mark.slow
@pytest.mark.parametrize("target", ["gfx942", "sm_80"])  # sm_80: ptxas too
def test_compile_runs_without_the_venv_on_path(tmp_path, target):
    run = lambda *args: subprocess.run([sys.executable, "-m", "tilefuse", *map(str, args)], cwd=tmp_path,  # noqa: E731
                                       env=BARE, capture_output=True, text=True)
    assert run("problem", "--suite", "mha_f16_d64", "--small", "-o", "p.mlir").returncode == 0
    proc = run("compile", "p.mlir", "--path", "tilefuse", "--target", target, "-o", "p.vmfb", "--dump-dir", "d")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (tmp_path / "p.vmfb").stat().st_size > 0
