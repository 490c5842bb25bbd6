"""Running IREE's command-line tools from the installed iree-base-compiler wheel."""

import subprocess
from pathlib import Path

from iree.compiler.tools.binaries import find_tool

from .errors import TilefuseError


def tool(name: str) -> str:
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
