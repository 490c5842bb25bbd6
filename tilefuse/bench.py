"""GPU mode: run compiled .vmfb files on a device, check them against the NumPy reference, time them.

Needs only numpy and iree.runtime (plus torch for the SDPA reference point), so it also runs on a lent GPU
machine that has no compiler. Time is `iree-benchmark-module`'s real time per call (warm-up, then the median
of repetitions), which excludes Python overhead.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from .iree_tools import tool
from .problem import AttentionProblem, tolerance
from .runtime import Module, storage_array

BENCH_TOOL = "iree-benchmark-module"


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


def check(module: Module, problem: AttentionProblem, seed: int = 0) -> dict:
    inputs = problem.random_inputs(seed)
    got = module.run_problem(problem, inputs)
    want = problem.reference(inputs)
    atol, rtol = tolerance(problem.dtype)
    err = np.abs(got - want)
    ok = bool(np.all(err <= atol + rtol * np.abs(want)))
    return {"status": "ok" if ok else "MISMATCH", "max_abs_err": float(err.max()),
            "max_rel_err": float(err.max() / max(float(np.abs(want).max()), 1e-30))}


def time_module(vmfb: Path, driver: str, problem: AttentionProblem, repetitions: int = 10, seed: int = 0) -> float:
    """Median ms per call of @attention, from iree-benchmark-module (inputs passed as raw files)."""
    exe = tool(BENCH_TOOL)
    inputs = problem.random_inputs(seed)
    with tempfile.TemporaryDirectory() as tmp:
        args = []
        for name, shape in problem.shapes().items():
            values = inputs[name]
            elem = "i1" if values.dtype == bool else problem.dtype
            f = Path(tmp) / f"{name}.bin"
            storage_array(values, problem.dtype).tofile(f)
            args.append(f"--input={'x'.join(map(str, shape))}x{elem}=@{f}")
        proc = subprocess.run([exe, f"--module={vmfb}", f"--device={driver}", "--function=attention", *args,
                               "--benchmark_format=json", f"--benchmark_repetitions={repetitions}",
                               "--benchmark_min_warmup_time=0.1"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{BENCH_TOOL} failed: {proc.stderr.strip().splitlines()[-1:]}")
    runs = [b for b in json.loads(proc.stdout)["benchmarks"] if b.get("run_type") == "iteration"]
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


def bench_one(vmfb: Path, driver: str, problem: AttentionProblem, repetitions: int = 10,
              estimate: dict | None = None) -> dict:
    """Numerics and median time of one compiled problem; with the program's estimate (ab.program_estimate),
    the measured time beside it, so the model's constants can be calibrated (design/performance.md)."""
    result = check(Module(vmfb, driver), problem)
    ms = time_module(vmfb, driver, problem, repetitions)
    result.update(median_ms=ms, tflops=problem.flops() / (ms * 1e-3) / 1e12)
    if estimate is not None:
        result.update(estimate_machine=estimate["machine"], estimated_ms=estimate["seconds"] * 1e3,
                      measured_over_estimate=ms / (estimate["seconds"] * 1e3))
    return result
