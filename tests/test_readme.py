"""The README's test command is the one CI runs; its bench commands run (the GPU one degrades to one line here)."""

import json
import shlex
from pathlib import Path

import pytest

from tilefuse import bench
from tilefuse.perf import calibrate

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_test_command():
    ci = [l for l in (ROOT / ".ci" / "run").read_text().splitlines() if l and not l.startswith(("#", "set ", "cd "))]
    assert len(ci) == 1
    readme = (ROOT / "README.md").read_text()
    assert f"\n{ci[0]}\n" in readme


def _readme_command(start: str) -> list[str]:
    """The README line that starts with `start`, as arguments (its comment dropped)."""
    line = next(l for l in (ROOT / "README.md").read_text().splitlines() if l.startswith(start))
    return shlex.split(line.split("  #")[0])


def test_the_readme_gpu_bench_command_degrades_to_one_line_without_a_device(cli, tmp_path, monkeypatch):
    if bench.device_available("cuda")[0]:
        pytest.skip("needs no device: on a GPU this command measures for up to 10 minutes")
    args = _readme_command("tilefuse bench --calibration --suite --fallback stock --json")
    monkeypatch.chdir(tmp_path)
    proc = cli(*args[1:])
    assert proc.returncode == 0 and len(proc.stdout.strip().splitlines()) == 1, proc.stderr
    assert "skipping the GPU runs" in proc.stdout


def test_the_readme_dry_run_and_refit_commands_run(cli, tmp_path, monkeypatch):
    from test_bench import _measured_run

    monkeypatch.chdir(tmp_path)
    args = _readme_command("tilefuse bench --device local-task")
    proc = cli(*[str(ROOT / a) if a.startswith("tests/") else a for a in args[1:]])
    assert proc.returncode == 0, proc.stderr
    assert {k["status"] for k in json.loads(Path("dry.json").read_text())["kernels"]} == {"ok"}
    Path("bench.json").write_text(json.dumps(_measured_run()))  # what the GPU command writes on an H100
    refit = _readme_command("python -m tilefuse.perf.calibrate")
    assert calibrate.main([str(ROOT / a) if a.startswith("tests/") else a for a in refit[3:]]) == 0
