"""The bench harness (tilefuse/tools/bench_plan.py compiles a plan, tilefuse/tools/bench.py runs it) end to end on the
CPU: IREE's llvm-cpu with the local-task driver, through the code path a GPU run takes (compile, plan, load, run,
compare with the reference, time with iree-benchmark-module, the JSON and its summary), on a small built-in
problem and a real torch export; the NumPy reference on slices of a large problem; the refit of the model from a
bench JSON (tilefuse.tools.calibrate --measured)."""

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tilefuse.tools import bench, bench_plan
from tilefuse.tools import calibrate
from tilefuse.perf.calibration import points
from tilefuse.target.machines import MACHINES
from tilefuse.problem import AttentionProblem

ROOT = Path(__file__).resolve().parent.parent
EXPORT = ROOT / "tests" / "fixtures" / "torch" / "llama_gqa_causal.mlir"  # iree-turbine: Llama GQA causal, bf16
EXCERPTS = ROOT / "tests" / "fixtures" / "perf" / "calibration_excerpts.json"


@pytest.fixture(scope="module")
def dry_run(tmp_path_factory):
    """`tilefuse bench --device local-task` on a small problem and the export (about 6 s): its exit status,
    stdout and JSON, and the plan folder."""
    from tilefuse.cli import main

    tmp = tmp_path_factory.mktemp("bench")
    status = main(["bench", "--device", "local-task", "--small", "--problems", "iree_e2e_small_f16", str(EXPORT),
                   "--work-dir", str(tmp / "w"), "--json", str(tmp / "bench.json")])
    return status, json.loads((tmp / "bench.json").read_text()), tmp / "w" / "plan"


def test_the_dry_run_compiles_runs_checks_and_times_each_kernel(dry_run):
    status, result, plan = dry_run
    assert status == 0
    problem, export = result["kernels"]
    assert [k["case"] for k in result["kernels"]] == ["iree_e2e_small_f16", "llama_gqa_causal"]
    for k in (problem, export):
        assert k["path"] == "llvm-cpu" and k["status"] == "ok" and k["median_ms"] > 0
        assert (plan / k["vmfb"]).stat().st_size > 0 and k["estimate"] is None  # no CPU machine in the model
    # the problem against its NumPy reference; its TFLOP/s from its flops and the median time
    assert problem["checked"] == "all" and problem["max_abs_err"] < 0.01
    assert problem["tflops"] == pytest.approx(problem["flops"] / (problem["median_ms"] * 1e-3) / 1e12)
    # the export against its interpreted program, within the derived bound (stored with its drawn inputs)
    assert export["io"] == "io/llama_gqa_causal.npz" and 0 < export["max_err_over_bound"] <= 1
    assert result["summary"]["llvm-cpu"] == {
        "kernels": 2, "timed": 2, "ok": 2, "estimated": 0, "median_measured_over_estimate": None,
        "min_measured_over_estimate": None, "max_measured_over_estimate": None, "within_band": 0}


def _rerun(plan: Path, tmp_path: Path, edit=lambda kernels: None, **limits) -> tuple[int, dict]:
    """The dry run's plan run again by `python -m tilefuse.tools.bench` (after `edit` of its kernels)."""
    copy = tmp_path / "plan"
    shutil.copytree(plan, copy)
    data = json.loads((copy / bench.PLAN_FILE).read_text())
    edit(data["kernels"])
    (copy / bench.PLAN_FILE).write_text(json.dumps(data))
    args = [f"--{k.replace('_', '-')}={v}" for k, v in limits.items()]
    status = bench.main([str(copy), "--device", "local-task", "--json", str(tmp_path / "b.json"), *args])
    return status, json.loads((tmp_path / "b.json").read_text())


def test_a_wrong_kernel_is_a_mismatch_and_exit_1(dry_run, tmp_path):
    def other_scale(kernels):  # the module judged against a problem whose reference differs
        kernels[0]["problem"]["scale"] = 0.5

    status, result = _rerun(dry_run[2], tmp_path, other_scale)
    assert status == 1 and [k["status"] for k in result["kernels"]] == ["MISMATCH", "ok"]


def test_a_kernel_past_its_time_limit_is_recorded_and_the_run_goes_on(dry_run, tmp_path):
    status, result = _rerun(dry_run[2], tmp_path, kernel_timeout_s=0.001)
    assert status == 1 and [k["status"] for k in result["kernels"]] == ["TIMEOUT", "TIMEOUT"]
    assert "ran past" in result["kernels"][0]["error"]


def test_kernels_left_when_the_budget_is_spent_are_skipped(dry_run, tmp_path):
    status, result = _rerun(dry_run[2], tmp_path, budget_s=1e-9)
    assert status == 1 and {k["status"] for k in result["kernels"]} == {"skipped"}


def test_tilefuse_bench_without_a_json_prints_its_summary(tmp_path, capsys):
    """The table (run time, a row per path) with no --json to write (its run time was read from the json)."""
    from tilefuse.cli import main

    assert main(["bench", "--device", "local-task", "--small", "--problems", "iree_e2e_small_f16",
                 "--work-dir", str(tmp_path / "w")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("measured on local-task (") and "\nllvm-cpu " in out, out


def test_the_runner_without_the_device_says_so_in_one_line(dry_run, capsys):
    if bench.device_available("cuda")[0]:
        pytest.skip("a CUDA device is present")
    assert bench.main([str(dry_run[2]), "--device", "cuda", "--json", "x.json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "skipping the GPU runs" in out[0]


@pytest.mark.parametrize("changes", [dict(heads=8, kv_heads=2), dict(heads=4, layout="3d"),
                                     dict(heads=4, epilogue="head-merge"), dict(heads=4, kv_heads=2, mask="causal")])
def test_a_large_problem_is_checked_on_kv_head_slices(monkeypatch, changes):
    """Above SCORE_LIMIT scores the reference is the first and the last KV head's sub-problem: the same values as
    the whole reference there, and an error inside a slice is found."""
    p = AttentionProblem(batch=2, m=16, k2=32, k1=16, **changes)
    inputs = p.random_inputs(0)
    full = p.reference(inputs).astype(np.float32)
    monkeypatch.setattr(bench, "SCORE_LIMIT", 0)
    result = bench.check_problem(p, inputs, full)
    assert result["status"] == "ok" and result["checked"] == "2 KV-head slices" and result["max_abs_err"] == 0
    wrong = full.copy()
    wrong.reshape(-1)[-1] += 1.0  # the last batch's last head
    assert bench.check_problem(p, inputs, wrong)["status"] == "MISMATCH"


def test_the_calibration_cases_are_the_sets_shapes(tmp_path):
    cases = bench_plan.calibration_cases(tmp_path)
    assert [c.name for c in cases] == [p.name for p in points()]
    assert all(c.problem.flops() == p.flops and c.mlir.is_file() for c, p in zip(cases, points()))


def _measured_run(scale=1.0) -> dict:
    """A bench JSON as an H100 run would write it, built from the stored excerpts of the H100 points: each
    kernel's measured time is the published FlashAttention-2 time times `scale`."""
    data = json.loads(EXCERPTS.read_text())
    kernels = []
    for p in (p for p in points() if p.machine == "H100"):
        for path in ("stock", "tilefuse"):
            kernels.append({"case": p.name, "path": path, "problem": p.problem().to_dict(), "status": "ok",
                            "median_ms": p.reference_seconds * 1e3 * scale, "excerpt": data[p.name][path]})
    return {"driver": "cuda", "device_name": "NVIDIA H100 80GB HBM3", "machine": "H100", "kernels": kernels}


def test_a_bench_run_refits_the_model_as_points_of_its_machine():
    data = json.loads(EXCERPTS.read_text())
    pts, excerpts = calibrate.measured_points(_measured_run())
    assert len(pts) == 12 and pts[0].name == "fa3fig_h100_d64_s2k@stock" and pts[0].reference == "measured"
    assert excerpts[pts[0].name] == {"stock": data["fa3fig_h100_d64_s2k"]["stock"]}
    result = calibrate.calibrate({**data, **excerpts}, (*points(), *pts))
    h100 = result["H100"]
    assert h100["fit"].points == 6 + 12 and len(h100["held_out"]) == 18
    for p in pts:  # the stated error holds on the measured points too (it is their held-out worst)
        assert 1 / h100["fit"].error <= h100["held_out"][p.name] / p.reference_seconds <= h100["fit"].error


def test_the_refit_command_takes_bench_jsons_and_refuses_a_dry_run(tmp_path, capsys):
    gpu, cpu = tmp_path / "gpu.json", tmp_path / "cpu.json"
    gpu.write_text(json.dumps(_measured_run(scale=0.5)))
    cpu.write_text(json.dumps({**_measured_run(), "machine": None}))
    assert calibrate.main(["--excerpts", str(EXCERPTS), "--measured", str(gpu)]) == 0
    out = capsys.readouterr().out
    assert "fa3fig_h100_d128_s4k@tilefuse" in out and "points=18" in out
    assert calibrate.main(["--excerpts", str(EXCERPTS), "--measured", str(cpu)]) == 2
    assert "no machine" in capsys.readouterr().err


def test_many_cases_are_held_out_in_folds_of_whole_cases():
    pts = calibrate.measured_points(_measured_run())[0][:2]  # one case's stock and tilefuse
    many = [replace(p, name=f"c{i}@{p.path}") for i in range(25) for p in pts]
    folds = calibrate.folds(many)
    assert len(folds) == calibrate.MAX_FOLDS and sorted(q.name for f in folds for q in f) == sorted(q.name for q in many)
    for f in folds:  # a case's paths stay together
        cases = {q.name.split("@")[0] for q in f}
        assert all(f"{c}@stock" in {q.name for q in f} and f"{c}@tilefuse" in {q.name for q in f} for c in cases)


@pytest.mark.slow
def test_the_gpu_plan_holds_each_paths_module_estimate_and_excerpt(tmp_path, cli):
    """What a GPU run needs, prepared without one (--compile-only): per path its sm_80 module, the estimate with
    its band and the excerpt the refit reads."""
    proc = cli("bench", "--compile-only", "--problems", "iree_e2e_small_f16", "--paths", "stock,tilefuse",
               "--fallback", "stock", "--work-dir", tmp_path / "w", "--plan-dir", tmp_path / "plan")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == (f"wrote {tmp_path / 'plan'} (2 kernels); run it where the device is: python -m "
                                   f"tilefuse.tools.bench {tmp_path / 'plan'} --device cuda --json bench.json")
    plan = json.loads((tmp_path / "plan" / bench.PLAN_FILE).read_text())
    assert plan["target"] == "sm_80" and plan["machine"] == "H100"
    for k, path in zip(plan["kernels"], ("stock", "tilefuse")):
        est = k["estimate"]
        assert k["path"] == path and (tmp_path / "plan" / k["vmfb"]).stat().st_size > 0
        assert est["machine"] == "H100" and est["seconds_low"] < est["seconds"] < est["seconds_high"]
        assert calibrate.program_seconds(k["excerpt"], "H100", MACHINES["H100"].fit) == \
            pytest.approx(est["seconds"])  # the excerpt re-estimates to the plan's estimate
