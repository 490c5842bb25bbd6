"""What the A/B harness produces besides the table, from real compiles: the fault-experiment table, the CPU numerics
verdict, and the clean skip without a GPU. The table, verdict and HTML page from records built by hand:
test_ab_format.py; the bench harness on the CPU: test_bench.py."""

import json

import pytest

from tilefuse.codegen.paths import get_path
from tilefuse.tools import ab, bench

pytestmark = pytest.mark.slow


def test_bench_without_gpu_says_so_in_one_line(tmp_path, cli):
    ok, _ = bench.device_available("cuda")
    if ok:
        pytest.skip("a CUDA device is present")
    proc = cli("bench", "--problems", "mha_f16_d64", "--work-dir", tmp_path)
    assert proc.returncode == 0
    assert len(proc.stdout.strip().splitlines()) == 1 and "skipping the GPU runs" in proc.stdout


def test_fault_experiment_table(tmp_path, cli):
    proc = cli("ab", "--problems", "mha_f16_d64", "--paths", "stock,hint", "--fault-experiment", "decompose",
               "--work-dir", tmp_path / "w", "--json", tmp_path / "ab.json")
    assert proc.returncode == 0, proc.stderr
    table = proc.stdout.split("Fault: drop untracked attributes after 'decompose'")[1].strip().splitlines()
    assert table[1].split()[:4] == ["mha_f16_d64", "stock", "-", "none"]
    assert table[2].split()[:3] == ["mha_f16_d64", "hint", "attention_qk_matmulx1,attention_pv_matmulx1"]
    data = json.loads((tmp_path / "ab.json").read_text())
    assert data["fault_experiment"]["stage"] == "decompose" and len(data["fault_experiment"]["results"]) == 2


def test_ab_shows_the_cpu_numerics_verdict_per_path(tmp_path, cli):
    proc = cli("ab", "--problems", "mha_f16_d64", "--paths", "stock,tilefuse", "--verify", "--work-dir", tmp_path / "w",
               "--json", tmp_path / "ab.json")
    assert proc.returncode == 0, proc.stderr
    verdict, table = proc.stdout.strip().split("\n\n")
    assert verdict.startswith("mha_f16_d64: ")
    header, _, stock, tilefuse, note = table.splitlines()
    assert header.split()[-1] == "cpu_numerics" and "on each built-in problem's small version" in note
    # Three checks besides the dispatch stages (the NumPy reference, IREE's llvm-cpu, the program), then the stages:
    # stock every stage but bufferize (bufferized, not yet distributed); tilefuse every one (thread-distribute and
    # vectorize by the tensor interpreter with lanes in lockstep; bufferize, map-to-ids, share-kv and lower by the
    # SIMT interpreter; m-tail, k2-tail, seq-lens-bound, causal-bound, causal-peel, page-step and encode-fp8 change
    # nothing here: a static M and K2, no causal or length mask, no pages, f16).
    checks = {name: len(get_path(name).stages) + 3 for name in ("stock", "tilefuse")}
    assert stock.split()[-2:] == ["ok", f"{checks['stock'] - 1}/{checks['stock']}"]
    assert tilefuse.split()[-2:] == ["ok", f"{checks['tilefuse']}/{checks['tilefuse']}"]
    data = json.loads((tmp_path / "ab.json").read_text())
    assert data["results"][1]["verify"]["ok"] == checks["tilefuse"] and data["results"][1]["verify"]["MISMATCH"] == 0


def test_stage_table_lines_up_stage_names_across_paths():
    """One row per stage name, in the paths' merged order; a path without the stage, or whose dispatch fell back
    to another path, shows no time for it."""
    def record(path, stages, fallback=None):
        d = {"has_attention": True, "lowered_by": "path", "fallback": fallback,
             "stages": [{"name": n, "seconds": s} for n, s in stages]}
        return {"report": {"path": path, "dispatches": [d]}}
    table = ab.stage_table([record("stock", [("configure", 1.0), ("vectorize", 2.0), ("lower", 3.0)]),
                            record("tilefuse", [("configure", 0.5), ("thread-distribute", 1.0), ("vectorize", 0.25),
                                                ("lower", 1.0)]),
                            record("tilefuse", [("configure", 9.0)], fallback={"to": "stock"})])
    rows = [line.split() for line in table.splitlines()]
    assert rows[0] == ["stage", "stock", "tilefuse"]
    assert rows[2:] == [["configure", "1.000", "0.500"], ["thread-distribute", "-", "1.000"],
                        ["vectorize", "2.000", "0.250"], ["lower", "3.000", "1.000"]]
