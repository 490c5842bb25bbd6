"""Runs the lit suite (stage tests: stock iree-opt + tilefuse/codegen/transforms/ + FileCheck) as part of pytest."""

import subprocess
import sys
from pathlib import Path


def test_lit_suite():
    lit_dir = Path(__file__).parent / "lit"
    proc = subprocess.run([sys.executable, "-c", "from lit.main import main; main()", "-v", str(lit_dir)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert "Failed" not in proc.stdout
    assert "Passed" in proc.stdout
