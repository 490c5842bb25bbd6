"""Running IREE's command-line tools from the installed iree-base-compiler and iree-base-runtime wheels."""

import os
import subprocess
from pathlib import Path

from .errors import TilefuseError

# Tools the runtime wheel ships (iree/_runtime_libs): the compiler's find_tool does not know them, and a machine
# that only runs modules (tilefuse.bench on a lent GPU) has the runtime wheel alone.
RUNTIME_TOOLS = ("iree-benchmark-module", "iree-run-module")


def tool(name: str) -> str:
    """The path of an IREE tool from the installed wheels (not PATH: a venv's scripts may not be on it)."""
    if name in RUNTIME_TOOLS:
        from iree._runtime import libs

        exe = os.path.join(libs.library_path, name)
        if not os.path.isfile(exe):
            raise TilefuseError(f"{name} not found in {libs.library_path} (it ships with iree-base-runtime)")
        return exe
    from iree.compiler.tools.binaries import find_tool

    return find_tool(name)


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
