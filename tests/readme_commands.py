"""The README's command blocks as a shell runs them (test_readme.py): each block split into commands, the sizes
made small by documented substitutions, each command run by bash in a folder where the README's relative paths
(tilefuse/transforms/..., tests/fixtures/...) resolve."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def blocks() -> list[str]:
    """The README's fenced code blocks, in order."""
    return re.findall(r"^```\n(.*?)^```$", README.read_text(), re.S | re.M)


def block(first: str) -> str:
    """The block whose first line starts with `first`."""
    found = [b for b in blocks() if b.startswith(first)]
    assert len(found) == 1, f"one README block starts with {first!r}: {len(found)}"
    return found[0]


def commands(text: str) -> list[str]:
    """A block's commands: lines continued by a trailing backslash or an open quote are joined, lines that are
    only a comment (a comment's continuation under the command) are dropped."""
    out, pending = [], ""
    for line in text.splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending += line + "\n"
        if pending.endswith("\\\n"):
            continue
        try:
            shlex.split(pending, comments=True)
        except ValueError:  # an open quote: the command goes on
            continue
        out.append(pending.rstrip("\n"))
        pending = ""
    assert not pending, f"unfinished command: {pending}"
    return out


@dataclass
class Shell:
    """Runs commands one after the other in `cwd`, as the README's reader would: `tilefuse` is this checkout's
    (`python -m tilefuse` in this interpreter) and the IREE and xDSL tools are this environment's."""

    cwd: Path
    substitutions: dict[str, str] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    seconds: dict[str, float] = field(default_factory=dict)

    def __post_init__(self):
        for name in ("tilefuse", "tests"):  # the README's relative paths name files of the checkout
            if not (self.cwd / name).exists():
                (self.cwd / name).symlink_to(ROOT / name)

    def run(self, command: str, status: int = 0, shows: str | None = None) -> subprocess.CompletedProcess:
        """Runs `command` after the substitutions; asserts its exit status and, when given, what stdout shows."""
        for old, new in self.substitutions.items():
            if old in command:
                command = command.replace(old, new)
                self.used.add(old)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
               "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
               "XDG_CACHE_HOME": str(self.cwd / "cache"), "PY": sys.executable}
        start = time.perf_counter()
        proc = subprocess.run(["bash", "-c", 'set -eo pipefail; tilefuse() { "$PY" -m tilefuse "$@"; }\n' + command],
                              cwd=self.cwd, env=env, capture_output=True, text=True)
        self.seconds[command] = time.perf_counter() - start
        assert proc.returncode == status, f"{command}\nexit {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        assert "Traceback" not in proc.stderr, f"{command}\n{proc.stderr[-3000:]}"
        if shows is not None:
            assert shows in proc.stdout, f"{command}\n{proc.stdout[-3000:]}"
        return proc

    def run_block(self, text: str, expect: dict[str, tuple[int, str | None]] | None = None) -> None:
        """Every command of a block; `expect` maps a part of a command to its exit status and what it prints (the
        others exit 0)."""
        expect = expect or {}
        for command in commands(text):
            status, shows = next((v for k, v in expect.items() if k in command), (0, None))
            self.run(command, status, shows)
