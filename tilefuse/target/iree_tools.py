"""Every external tool tilefuse runs, resolved in one place: IREE's compiler tools from the installed
iree-base-compiler wheel, its runtime tools from iree-base-runtime, NVIDIA's ptxas from the `cuda-tools` extra's
wheel. Never a bare name looked up on PATH: `.venv/bin/tilefuse` (or `python -m tilefuse`) runs without the venv's
bin on PATH, and a tool found there could be another install's."""

from __future__ import annotations

import subprocess
from functools import cache
from importlib import metadata
from pathlib import Path

from ..errors import TilefuseError

COMPILER_TOOLS = ("iree-compile", "iree-opt")  # iree-opt: the lit stage tests
RUNTIME_TOOLS = ("iree-benchmark-module", "iree-run-module")
PTXAS_DISTRIBUTION = "nvidia-cuda-nvcc-cu12"


@cache
def find(name: str) -> Path | None:
    """The absolute path of tool NAME as installed with tilefuse's packages, or None where it is not installed."""
    if name in COMPILER_TOOLS:
        from iree.compiler.tools.binaries import find_tool  # (imported here: a GPU machine may have no compiler)

        try:
            return Path(find_tool(name))
        except ValueError:  # the wheel that ships it is not installed
            return None
    if name in RUNTIME_TOOLS:
        try:
            from iree._runtime import libs
        except ImportError:
            return None
        path = Path(libs.library_path) / name
    elif name == "ptxas":
        try:
            path = Path(metadata.distribution(PTXAS_DISTRIBUTION).locate_file("nvidia/cuda_nvcc/bin/ptxas"))
        except metadata.PackageNotFoundError:
            return None
    else:
        raise ValueError(f"tilefuse runs no tool '{name}'")  # a bug: every tool tilefuse runs is listed above
    return path if path.is_file() else None


_PACKAGE = {**{t: "iree-base-compiler" for t in COMPILER_TOOLS}, **{t: "iree-base-runtime" for t in RUNTIME_TOOLS},
            "ptxas": f"{PTXAS_DISTRIBUTION} (pip install 'tilefuse[cuda-tools]')"}


def tool(name: str) -> str:
    """The absolute path of tool NAME (`find`); raises TilefuseError naming the package to install."""
    path = find(name)
    if path is None:
        raise TilefuseError(f"{name} not found: it ships with {_PACKAGE[name]}")
    return str(path)


def first_error(stderr: str) -> str:
    """The first diagnostic line that says `error`, else the last non-empty line."""
    lines = [l.strip() for l in stderr.splitlines() if l.strip()]
    for line in lines:
        if "error:" in line:
            return line
    return lines[-1] if lines else "no diagnostic printed"


def iree_compile(args: list[str], what: str, stderr_to: Path | None = None) -> str:
    """Runs iree-compile; returns stderr; raises TilefuseError naming `what` on failure."""
    proc = subprocess.run([tool("iree-compile"), *map(str, args)], capture_output=True, text=True)
    if stderr_to is not None:
        Path(stderr_to).write_text(proc.stderr)
    if proc.returncode != 0:
        raise TilefuseError(f"{what}: iree-compile failed: {first_error(proc.stderr)}")
    return proc.stderr
