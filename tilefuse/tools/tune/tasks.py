"""One unit of work an executor runs: a candidate compiled and scored, or verified on the CPU. Plain data in,
plain data out (a process pool pickles it, Ray ships it to another node)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..ab import attention_isa, program_estimate
from ...errors import TilefuseError

COMPILE, VERIFY = "compile", "verify"


@dataclass(frozen=True)
class Task:
    kind: str  # COMPILE: the problem, scored; VERIFY: its small version through verify
    signature: str
    input: str
    target: str
    path: str
    config: dict | None  # the path's config form (tune/configs.py); None: the heuristic's
    work_dir: str
    device: str | None = None  # score by measured time on this IREE driver instead of the estimate
    repetitions: int = 10


def _codegen_path(task: Task):
    """(path for compile_file, config overrides): stock's config goes in through its own configure stage."""
    if task.path == "stock" and task.config is not None:
        from .stock import stock_path
        return stock_path(task.config), None
    return task.path, task.config


def _attention(report) -> object | None:
    return next((d for d in report.dispatches if d.has_attention), None)


def _chosen_config(task: Task, report, work_dir: Path) -> dict | None:
    d = _attention(report)
    if d is None or d.config is None:
        return None
    if task.path != "stock":
        return d.config.get("tilefuse")
    from ...codegen.transform import TransformSession
    from .stock import default_config
    configured = next(s for s in d.stages if s.name == "configure")
    module = TransformSession(["stock"]).parse((work_dir / configured.snapshot).read_text())
    with module.context:
        config = default_config(module)
    return None if config is None else config.to_dict()


def _score(task: Task, report) -> dict | None:
    estimate = program_estimate(report.to_dict())
    if estimate is None:
        return None
    if task.device is None:
        return {"kind": "estimate", "seconds": estimate["seconds"], "machine": estimate["machine"],
                "bound": estimate["bound"]}
    from ..bench import bench_one
    from ...problem import AttentionProblem
    problem = AttentionProblem.from_mlir_header(Path(task.input).read_text())
    if problem is None:
        raise TilefuseError("--device scores built-in or `tilefuse problem` inputs only (they carry the reference)")
    gpu = bench_one(Path(report.output), task.device, problem, task.repetitions, estimate)
    if gpu["status"] != "ok":
        return {"kind": "gpu", "seconds": None, "status": gpu["status"]}
    return {"kind": "gpu", "seconds": gpu["median_ms"] * 1e-3, "device": task.device,
            "estimate_seconds": estimate["seconds"], "machine": estimate["machine"]}


def _sizes(report) -> dict | None:
    d = _attention(report)
    return None if d is None or d.work is None or d.work.attention is None else \
        {k: getattr(d.work.attention, k) for k in ("m", "k1", "k2", "n")}


def compile_task(task: Task) -> dict:
    from ...driver.compile import CompileOptions, compile_file
    work = Path(task.work_dir)
    path, overrides = _codegen_path(task)
    try:
        report = compile_file(task.input, CompileOptions(task.target, path, work / "out.vmfb", work, config_overrides=overrides))
    except TilefuseError as e:
        return {"ok": False, "error": str(e)}
    if not report.ok:
        return {"ok": False, "error": report.error}
    d = _attention(report)
    if d is None or d.lowered_by != "path":
        return {"ok": False, "error": "no attention dispatch lowered by the path"}
    score = _score(task, report)
    if score is None or score["seconds"] is None:
        return {"ok": False, "error": "no score (no estimate for the target's machine, or the GPU run failed)"}
    return {"ok": True, "score": score, "config": _chosen_config(task, report, work), "sizes": _sizes(report),
            "isa": attention_isa(report.to_dict()), "work_dir": str(work)}


def verify_task(task: Task) -> dict:
    from ...checkers.verify import VerifyOptions, verify_file
    path, overrides = _codegen_path(task)
    work = Path(task.work_dir)
    try:
        report = verify_file(task.input, VerifyOptions(task.target, path, work, config_overrides=overrides))
    except TilefuseError as e:
        return {"status": "ERROR", "error": str(e)}
    counts = {s: sum(c.status == s for c in report.checks) for s in ("ok", "MISMATCH", "RACE", "unchecked")}
    status = "ok" if report.ok else ("RACE" if counts["RACE"] else "MISMATCH")
    compiled = json.loads((work / "report.json").read_text())
    attention = next((d for d in compiled["dispatches"] if d["has_attention"]), None)
    sizes = (attention or {}).get("work") or {}
    sizes = {k: sizes["attention"][k] for k in ("m", "k1", "k2", "n")} if sizes.get("attention") else None
    return {"status": status, **counts, "sizes": sizes}


def run_task(task: Task) -> dict:
    return compile_task(task) if task.kind == COMPILE else verify_task(task)
