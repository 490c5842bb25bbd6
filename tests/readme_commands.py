"""The README's command blocks as its reader runs them (test_readme.py): each block split into commands, the sizes
made small by substitutions the test documents, each command run in a folder where the README's relative paths
(tilefuse/codegen/transforms/..., tests/fixtures/...) resolve."""

from __future__ import annotations

import io
import os
import re
import shlex
import subprocess
import sys
import time
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

from tilefuse.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SHELL_SYNTAX = {"|", ">", "<", ";", "||", "&"}  # a command with any of these runs in bash


def blocks() -> list[str]:
    """The README's fenced code blocks, in order."""
    return re.findall(r"^```\n(.*?)^```$", README.read_text(), re.S | re.M)


def block(first: str) -> str:
    """The block whose first line starts with `first`."""
    found = [b for b in blocks() if b.startswith(first)]
    assert len(found) == 1, f"{len(found)} README blocks start with {first!r}"
    return found[0]


def commands(text: str) -> list[str]:
    """A block's commands: a line continued by a trailing backslash or an open quote is joined with the next, a line
    that is only a comment (the previous command's comment, continued) is dropped."""
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


@contextmanager
def _inside(folder: Path, env: dict[str, str]):
    old_cwd, old_env = Path.cwd(), dict(os.environ)
    os.chdir(folder)
    os.environ.update(env)
    try:
        yield
    finally:
        os.chdir(old_cwd)
        os.environ.clear()
        os.environ.update(old_env)


@dataclass
class Shell:
    """Runs commands one after the other in `cwd`: `tilefuse ...` (alone or joined by &&) by cli.main in this
    process, what `python -m tilefuse` runs (a fresh interpreter per command would add a second each); any other
    command by bash, where `tilefuse` is `python -m tilefuse` of this interpreter and the IREE and xDSL tools are
    this environment's. A line `NAME=VALUE` sets a variable for the commands after it."""

    cwd: Path
    substitutions: dict[str, str] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    seconds: dict[str, float] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        for name in ("tilefuse", "tests"):  # the README's relative paths name files of the checkout
            if not (self.cwd / name).exists():
                (self.cwd / name).symlink_to(ROOT / name)
        # tune's cache stays in the folder; the checkout first on the path, then whatever this run had
        self.env = {"XDG_CACHE_HOME": str(self.cwd / "cache"), "PY": sys.executable,
                    "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
                    "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])}

    def run(self, command: str, status: int = 0, shows: str | None = None) -> subprocess.CompletedProcess:
        """Runs `command` after the substitutions; asserts its exit status and, when given, what stdout shows."""
        for old, new in self.substitutions.items():
            if old in command:
                command, _ = command.replace(old, new), self.used.add(old)
        start = time.perf_counter()
        assignment = re.fullmatch(r"([A-Z_]+)=(\S+)", command)
        if assignment:
            self.variables[assignment[1]] = assignment[2]
            proc = subprocess.CompletedProcess(command, 0, "", "")
        else:
            words = shlex.split(command.replace("\\\n", " "), comments=True)  # bash joins continued lines
            starts = [0] + [i + 1 for i, w in enumerate(words) if w == "&&"]
            parts = [words[a:b - 1] for a, b in zip(starts, starts[1:] + [len(words) + 1])]  # a && b: b if a exits 0
            in_process = all(p[0] == "tilefuse" for p in parts) and not SHELL_SYNTAX & set(words) and "$" not in command
            proc = self._main(parts) if in_process else self._bash(command)
        self.seconds[command] = time.perf_counter() - start
        tail = f"{command}\nexit {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        assert proc.returncode == status, tail
        assert "Traceback" not in proc.stderr, tail
        assert shows is None or shows in proc.stdout, tail
        return proc

    def _main(self, parts: list[list[str]]) -> subprocess.CompletedProcess:
        out, err, status = io.StringIO(), io.StringIO(), 0
        with _inside(self.cwd, self.env), redirect_stdout(out), redirect_stderr(err):
            for words in parts:
                try:
                    status = main(words[1:])
                except SystemExit as e:  # argparse's usage errors, --help
                    status = e.code or 0
                if status:
                    break
        return subprocess.CompletedProcess(parts, status, out.getvalue(), err.getvalue())

    def _bash(self, command: str) -> subprocess.CompletedProcess:
        script = 'set -eo pipefail\ntilefuse() { "$PY" -m tilefuse "$@"; }\n' + command
        return subprocess.run(["bash", "-c", script], cwd=self.cwd, env={**os.environ, **self.env, **self.variables},
                              capture_output=True, text=True)

    def run_block(self, text: str, expect: dict[str, tuple[int, str | None]] | None = None) -> None:
        """Every command of a block; `expect` maps a part of a command to its exit status and what its stdout shows
        (any other command must exit 0)."""
        for command in commands(text):
            status, shows = next((v for k, v in (expect or {}).items() if k in command), (0, None))
            self.run(command, status, shows)
