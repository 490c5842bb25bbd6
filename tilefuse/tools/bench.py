"""GPU mode, the measuring half: run a bench plan's compiled modules on a device, check each against its
reference, time it, and put the time beside the estimate (design/performance.md, "Measuring on a GPU").

A plan (bench_plan.py writes it, on a machine with the compiler) is a folder: `plan.json` (per kernel its case,
path, module, estimate and what the estimate read) and the modules. This half needs only numpy and
iree-base-runtime, so it also runs on a lent GPU machine that has no compiler:

    python -m tilefuse.tools.bench PLAN_DIR --device cuda --json bench.json

Every kernel runs in IREE's own tools under a time limit: `iree-run-module` once (its outputs are checked
against the reference) and `iree-benchmark-module` (real time per call: warm-up, then the median of
repetitions). A kernel that hangs or crashes costs its time limit, not the run; the JSON is rewritten after
every kernel, and kernels left when the run's budget is spent are recorded as skipped.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from ..errors import TilefuseError
from ..target.iree_tools import tool
from ..problem import AttentionProblem, tolerance
from ..driver.runtime import from_storage, storage_array, storage_dtype

PLAN_FILE = "plan.json"
# Above this many scores (B·H·M·K2) the NumPy reference (float64) is computed on two KV heads' slices only:
# the first and the last (a calibration point has up to 8.6e9 scores).
SCORE_LIMIT = 1 << 26
CPU_DRIVERS = ("local-task", "local-sync")


def not_a_plan(folder: Path) -> str | None:
    """Why `folder` may not be (re)written as a plan: it holds other files. None: new, empty or a plan."""
    folder = Path(folder)
    if folder.is_dir() and any(folder.iterdir()) and not (folder / PLAN_FILE).is_file():
        return f"'{folder}' is a folder with other files (no {PLAN_FILE}); give a new folder or a plan's"
    return None


def device_available(driver: str) -> tuple[bool, str]:
    """Whether an IREE device for `driver` can be created here, and if not, why (one line)."""
    import iree.runtime as rt

    if driver not in rt.query_available_drivers():
        return False, f"IREE runtime has no '{driver}' driver"
    try:
        rt.get_device(driver)
    except Exception as e:  # the runtime raises a plain RuntimeError/ValueError naming the cause
        return False, f"no {driver} device: {str(e).splitlines()[0]}"
    return True, ""


@dataclass
class Io:
    """One case's call: the function, its arguments (values and element types), the results' element types and
    shapes, and `judge(outputs) -> {status, max_abs_err, ...}` against the case's reference."""

    function: str
    args: list[tuple[np.ndarray, str]]
    result_elems: list[str]
    result_shapes: list[tuple[int, ...]]
    judge: Callable[[list[np.ndarray]], dict]


def problem_io(problem: AttentionProblem, seed: int = 0) -> Io:
    """A built-in problem's seeded inputs and its NumPy reference (on slices when it is large)."""
    inputs = problem.random_inputs(seed)
    args = [(inputs[n], "i1" if inputs[n].dtype == bool else problem.dtype) for n in problem.shapes()]
    return Io("attention", args, [problem.dtype], [tuple(problem.result_shape())],
              lambda outputs: check_problem(problem, inputs, outputs[0]))


def check_problem(problem: AttentionProblem, inputs: dict[str, np.ndarray], got: np.ndarray) -> dict:
    """`got` against the reference within the dtype's tolerance: the whole output, or the first and the last KV
    head of the first and the last batch when the problem has more than SCORE_LIMIT scores."""
    scores = problem.batch * problem.heads * problem.m * problem.k2
    if scores <= SCORE_LIMIT:
        pairs = [(problem, inputs, got)]
    else:
        pairs = [head_slice(problem, inputs, got, b, kv) for b, kv in {(0, 0), (problem.batch - 1, problem.hkv - 1)}]
    atol, rtol = tolerance(problem.dtype)
    errs, wants = [], []
    for p, x, g in pairs:
        want = p.reference(x)
        errs.append((np.abs(g.reshape(want.shape) - want), want))
        wants.append(float(np.abs(want).max()))
    ok = all(bool(np.all(e <= atol + rtol * np.abs(w))) for e, w in errs)
    max_abs = max(float(e.max()) for e, _ in errs)
    return {"status": "ok" if ok else "MISMATCH", "max_abs_err": max_abs,
            "max_rel_err": max_abs / max(max(wants), 1e-30),
            "checked": "all" if len(pairs) == 1 else f"{len(pairs)} KV-head slices"}


def head_slice(p: AttentionProblem, inputs: dict, got: np.ndarray, b: int, kv: int):
    """The sub-problem of batch `b` and KV head `kv` (its group of query heads), its inputs and its output."""
    g = p.group
    q_rows = slice(kv * g, (kv + 1) * g)

    def q_like(x):
        return x[b:b + 1, q_rows] if p.layout == "4d" else x[b * p.heads + kv * g:b * p.heads + (kv + 1) * g]

    def kv_like(x):
        return x[b:b + 1, kv:kv + 1] if p.layout == "4d" else x[b * p.hkv + kv:b * p.hkv + kv + 1]

    sub = p.with_(batch=1, heads=g, kv_heads=1 if g > 1 else None, gqa_layout=p.gqa_layout if g > 1 else "grouped")
    x = {"q": q_like(inputs["q"]), "k": kv_like(inputs["k"]), "v": kv_like(inputs["v"])}
    if "mask" in inputs:
        x["mask"] = inputs["mask"]
    if "residual" in inputs:
        x["residual"] = q_like(inputs["residual"])
    out = got[b:b + 1, :, kv * g * p.nv:(kv + 1) * g * p.nv] if p.epilogue == "head-merge" else q_like(got)
    return sub, x, out


def file_io(npz: Path) -> Io:
    """An input file's call as the plan stored it (bench_plan.file_io): its arguments, drawn as verify draws them,
    and the interpreted program's outputs with their error bounds."""
    data = np.load(npz)
    meta = json.loads(str(data["meta"]))
    args = [(data[f"arg{i}"], elem) for i, elem in enumerate(meta["arg_elems"])]
    refs = [data[f"ref{i}"] for i in range(len(meta["result_elems"]))]
    bounds = [data[f"atol{i}"] for i in range(len(refs))]

    def judge(outputs):
        errs = [np.abs(np.asarray(o, np.float64).reshape(r.shape) - r) for o, r in zip(outputs, refs)]
        ok = all(bool(np.all(e <= a)) for e, a in zip(errs, bounds))
        max_abs = max(float(e.max()) for e in errs)
        return {"status": "ok" if ok else "MISMATCH", "max_abs_err": max_abs,
                "max_rel_err": max_abs / max(max(float(np.abs(r).max()) for r in refs), 1e-30),
                "max_err_over_bound": max(float((e / np.maximum(a, 1e-300)).max()) for e, a in zip(errs, bounds)),
                "checked": "all"}

    return Io(meta["function"], args, meta["result_elems"], [r.shape for r in refs], judge)


def write_inputs(io: Io, folder: Path) -> list[str]:
    """The arguments as raw files, and the `--input=SHAPExTYPE=@FILE` flags IREE's tools take."""
    flags = []
    for i, (values, elem) in enumerate(io.args):
        f = folder / f"arg{i}.bin"
        storage_array(values, elem).tofile(f)
        shape = "x".join(map(str, values.shape))
        flags.append(f"--input={shape + 'x' if shape else ''}{elem}=@{f}")
    return flags


def _run_tool(args: list[str], timeout_s: float) -> str:
    name = Path(args[0]).name
    try:
        proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        raise TimeoutError(f"{name} ran past {timeout_s:.0f} s") from None
    if proc.returncode != 0:
        lines = [l for l in proc.stderr.strip().splitlines() if l.strip()]
        raise RuntimeError(f"{name} failed (exit {proc.returncode}): {lines[-1] if lines else 'no diagnostic'}")
    return proc.stdout


def run_module(vmfb: Path, driver: str, io: Io, inputs: list[str], folder: Path, timeout_s: float) -> list:
    """One call through iree-run-module; the results as float32 (floats) or their integer type."""
    outs = [folder / f"out{i}.bin" for i in range(len(io.result_elems))]
    _run_tool([tool("iree-run-module"), f"--module={vmfb}", f"--device={driver}", f"--function={io.function}",
               *inputs, *(f"--output=@{o}" for o in outs)], timeout_s)
    return [from_storage(np.fromfile(o, dtype=storage_dtype(e)), e).reshape(s)
            for o, e, s in zip(outs, io.result_elems, io.result_shapes)]


def time_module(vmfb: Path, driver: str, function: str, inputs: list[str], repetitions: int,
                timeout_s: float) -> float:
    """Median ms per call from iree-benchmark-module: a short warm-up, then `repetitions` timed runs of at
    least 20 ms each (a run repeats the call until then; its time is per call)."""
    out = _run_tool([tool("iree-benchmark-module"), f"--module={vmfb}", f"--device={driver}",
                     f"--function={function}", *inputs, "--benchmark_format=json",
                     f"--benchmark_repetitions={repetitions}", "--benchmark_min_time=0.02s",
                     "--benchmark_min_warmup_time=0.05"], timeout_s)
    runs = [b for b in json.loads(out)["benchmarks"] if b.get("run_type") == "iteration"]
    scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}
    return statistics.median(b["real_time"] * scale[b.get("time_unit", "ns")] for b in runs)


def sdpa_ms(problem: AttentionProblem, repetitions: int = 20) -> float | None:
    """torch.nn.functional.scaled_dot_product_attention on the same shapes, if torch and CUDA are here."""
    try:
        import torch
    except ImportError:
        return None
    if not torch.cuda.is_available():
        return None
    dt = {"f16": torch.float16, "bf16": torch.bfloat16}[problem.dtype]
    b, h, hk = problem.batch, problem.heads, problem.hkv
    q = torch.randn(b, h, problem.m, problem.k1, dtype=dt, device="cuda")
    k = torch.randn(b, hk, problem.k2, problem.k1, dtype=dt, device="cuda")
    v = torch.randn(b, hk, problem.k2, problem.nv, dtype=dt, device="cuda")
    kw = {"is_causal": problem.mask == "causal", "scale": problem.scale_value}
    if hk != h:
        kw["enable_gqa"] = True
    for _ in range(3):
        torch.nn.functional.scaled_dot_product_attention(q, k, v, **kw)
    times = []
    for _ in range(repetitions):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        torch.nn.functional.scaled_dot_product_attention(q, k, v, **kw)
        end.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(end))
    return statistics.median(times)


def measure(kernel: dict, vmfb: Path, driver: str, io: Io, inputs: list[str], folder: Path, repetitions: int,
            timeout_s: float) -> dict:
    """Numerics and median time of one compiled kernel; the measured time over its estimate and whether it
    lies in the estimate's band (seconds_low..seconds_high), so the model can be calibrated."""
    result = io.judge(run_module(vmfb, driver, io, inputs, folder, timeout_s))
    ms = time_module(vmfb, driver, io.function, inputs, repetitions, timeout_s)
    result["median_ms"] = ms
    if kernel.get("flops"):
        result["tflops"] = kernel["flops"] / (ms * 1e-3) / 1e12
    est = kernel.get("estimate")
    if est is not None:
        s = ms * 1e-3
        result.update(estimated_ms=est["seconds"] * 1e3, measured_over_estimate=s / est["seconds"],
                      within_band=est["seconds_low"] <= s <= est["seconds_high"])
    return result


def run_plan(plan_dir: Path, driver: str, repetitions: int = 5, budget_s: float = 480.0,
             kernel_timeout_s: float = 30.0, out_json: Path | None = None,
             log=lambda msg: print(msg, file=sys.stderr, flush=True)) -> dict:
    """Runs every kernel of the plan on `driver`, case by case (a case's inputs are drawn and written once for
    all its paths); returns (and rewrites `out_json` after each kernel) the plan's kernels with their results."""
    plan = json.loads((plan_dir / PLAN_FILE).read_text())
    kernels = plan["kernels"]
    result = {"driver": driver, "device_name": _device_name(driver), "target": plan["target"],
              "machine": plan["machine"], "repetitions": repetitions, "budget_s": budget_s, "kernels": kernels}
    start = time.perf_counter()
    for case in dict.fromkeys(k["case"] for k in kernels):
        todo = [k for k in kernels if k["case"] == case]
        with tempfile.TemporaryDirectory() as tmp:
            io, inputs = None, None
            for k in todo:
                elapsed = time.perf_counter() - start
                n = kernels.index(k) + 1
                if k.get("compile_error"):
                    k["status"] = "COMPILE-FAILED"
                elif elapsed > budget_s:
                    k["status"] = "skipped"
                    k["error"] = f"the run's budget ({budget_s:.0f} s) was spent"
                else:
                    log(f"[{n}/{len(kernels)} {elapsed:.0f}/{budget_s:.0f} s] {case} {k['path']} on {driver} ...")
                    try:
                        if io is None:
                            io = file_io(plan_dir / k["io"]) if k.get("io") else \
                                problem_io(AttentionProblem.from_dict(k["problem"]))
                            inputs = write_inputs(io, Path(tmp))
                        k.update(measure(k, plan_dir / k["vmfb"], driver, io, inputs, Path(tmp), repetitions,
                                         kernel_timeout_s))
                    except (RuntimeError, TimeoutError, TilefuseError) as e:
                        k["status"], k["error"] = ("TIMEOUT" if isinstance(e, TimeoutError) else "ERROR"), str(e)
                    log(f"[{n}/{len(kernels)}] {case} {k['path']}: {_brief(k)}")
                if out_json is not None:
                    _write(out_json, result, start)
        problem = todo[0].get("problem")
        if problem and driver == "cuda" and time.perf_counter() - start <= budget_s:
            result.setdefault("sdpa_ms", {})[case] = sdpa_ms(AttentionProblem.from_dict(problem))
    result["summary"] = summary(kernels)
    result["seconds"] = round(time.perf_counter() - start, 1)  # (format_summary's, with or without a json)
    if out_json is not None:
        _write(out_json, result, start)
    return result


def _write(out_json: Path, result: dict, start: float) -> None:
    result["seconds"] = round(time.perf_counter() - start, 1)
    Path(out_json).write_text(json.dumps(result, indent=1) + "\n")


def _brief(k: dict) -> str:
    if k.get("median_ms") is None:
        return f"{k['status']}: {k.get('error', '')}"
    est = "" if k.get("measured_over_estimate") is None else f", x{k['measured_over_estimate']:.2f} the estimate"
    return f"{k['status']}, {k['median_ms']:.3f} ms{est}"


def _device_name(driver: str) -> str | None:
    """The GPU's name as torch sees it (the machine the times are of), when torch and CUDA are here."""
    if driver != "cuda":
        return None
    try:
        import torch

        return torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    except ImportError:
        return None


def summary(kernels: list[dict]) -> dict[str, dict]:
    """Per path: kernels measured, how many numerics checks passed, and measured / estimate (median, least,
    most, and how many measured times lie inside the estimate's band)."""
    out = {}
    for path in dict.fromkeys(k["path"] for k in kernels):
        mine = [k for k in kernels if k["path"] == path]
        timed = [k for k in mine if k.get("median_ms") is not None]
        ratios = [k["measured_over_estimate"] for k in timed if k.get("measured_over_estimate") is not None]
        out[path] = {"kernels": len(mine), "timed": len(timed), "ok": sum(k.get("status") == "ok" for k in mine),
                     "estimated": len(ratios),
                     "median_measured_over_estimate": statistics.median(ratios) if ratios else None,
                     "min_measured_over_estimate": min(ratios) if ratios else None,
                     "max_measured_over_estimate": max(ratios) if ratios else None,
                     "within_band": sum(bool(k.get("within_band")) for k in timed)}
    return out


def format_summary(result: dict) -> str:
    """One line per path: numerics, timed kernels, measured / estimate."""
    head = ["path", "kernels", "ok", "timed", "estimated", "meas/est median", "min", "max", "in band"]
    rows = [head]
    fmt = lambda v: "-" if v is None else f"{v:.2f}"  # noqa: E731
    for path, s in result["summary"].items():
        rows.append([path, str(s["kernels"]), str(s["ok"]), str(s["timed"]), str(s["estimated"]),
                     fmt(s["median_measured_over_estimate"]), fmt(s["min_measured_over_estimate"]),
                     fmt(s["max_measured_over_estimate"]), f"{s['within_band']}/{s['estimated']}"])
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    where = result["device_name"] or result["driver"]
    return "\n".join([f"measured on {where} ({result['seconds']:.0f} s); estimates for {result['machine'] or '-'}",
                      *lines])


def failed(result: dict) -> bool:
    """Whether any kernel was wrong, failed, or was not run (skipped: the budget was spent first)."""
    return any(k.get("status") != "ok" for k in result["kernels"])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tilefuse.tools.bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("plan", help="a plan folder (tilefuse bench --compile-only --plan-dir DIR)")
    ap.add_argument("--device", default="cuda", help="the IREE driver (cuda; local-task for a plan made for it)")
    ap.add_argument("--json", required=True, help="write the measured times beside the estimates here")
    ap.add_argument("--repetitions", type=int, default=5, help="timed repetitions per kernel")
    add_run_args(ap)
    a = ap.parse_args(argv)
    plan_dir = Path(a.plan)
    if not (plan_dir / PLAN_FILE).is_file():
        print(f"tilefuse: error: {plan_dir / PLAN_FILE} not found (tilefuse bench --compile-only writes it)",
              file=sys.stderr)
        return 2
    ok, why = device_available(a.device)
    if not ok:
        print(f"tilefuse: {why}: skipping the GPU runs")
        return 0
    result = run_plan(plan_dir, a.device, a.repetitions, a.budget_s, a.kernel_timeout_s, Path(a.json))
    print(format_summary(result))
    return 1 if failed(result) else 0


def add_run_args(p) -> None:
    """The limits of a run (also tilefuse bench's; --repetitions is ab's)."""
    p.add_argument("--budget-s", type=float, default=480.0,
                   help="stop starting kernels after this many seconds of running (the rest: skipped)")
    p.add_argument("--kernel-timeout-s", type=float, default=30.0,
                   help="time limit of each IREE tool run (a kernel's check, its timing)")


if __name__ == "__main__":
    sys.exit(main())
