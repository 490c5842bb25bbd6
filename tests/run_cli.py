"""`tilefuse ...` as a user runs it, in a fresh interpreter, and the shape every CLI error has."""

import subprocess
import sys


def tilefuse(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "tilefuse", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd)


def assert_one_line_error(proc, *words, status=2):
    """STATUS: 2 for an error in the input, 1 for a stage that failed."""
    assert proc.returncode == status, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tilefuse: error:"), proc.stderr
    assert "Traceback" not in proc.stderr
    for w in words:
        assert w in lines[0]
