"""`tilefuse fuzz` end to end on a small fixed seed (compiles and verifies: slow tier), and the worker pool keeping a
crash or a hang to its own case. The generator without compiles: test_fuzz_space.py."""

import json
import os
import time

import pytest

from tilefuse.cli import main
from tilefuse.tools.fuzz.pool import run_all

pytestmark = pytest.mark.slow

SEED, CASES = 1, 4


def test_a_fixed_seed_runs_clean_and_writes_every_field(tmp_path):
    out = tmp_path / "fuzz.json"
    rc = main(["fuzz", str(CASES), "--seed", str(SEED), "--jobs", "2", "--json", str(out),
               "--work-dir", str(tmp_path / "w")])
    found = json.loads(out.read_text())
    assert rc == 0, found["verdicts"]
    assert found["cases"] == CASES and sum(found["verdicts"].values()) == CASES
    assert {"ok", "refused", "unchecked", "mismatch", "race", "crash", "timeout"} == set(found["verdicts"])
    assert not any(found["verdicts"][v] for v in ("mismatch", "race", "crash"))
    assert set(found["lowered_by_path_with_mma"]) == {"count", "share"}
    assert all(set(r) >= {"stage", "reason", "count"} for r in found["refusals"])
    for r in found["records"]:
        assert set(r) >= {"index", "problem", "command", "verdict", "stage", "reason", "lowered_by_path_with_mma",
                          "seconds"}
        assert r["command"].startswith("tilefuse problem ") and f"--seed {SEED}" in r["command"]
        assert r["verdict"] != "refused" or r["stage"] and r["reason"]
    assert any(r["lowered_by_path_with_mma"] for r in found["records"])


def test_a_dead_or_hung_worker_is_one_cases_verdict():
    # builtins as the work: a worker then starts without importing this module (and IREE)
    results = []
    for fn, task in ((os._exit, 3), (time.sleep, 60), (dict, {"verdict": "ok"})):
        run_all([task], fn, jobs=2, timeout=3, on_result=lambda t, r: results.append(r))
    exited, hung, fine = results
    assert exited["verdict"] == "crash" and "exit code 3" in exited["reason"]
    assert hung["verdict"] == "timeout" and fine["verdict"] == "ok"
