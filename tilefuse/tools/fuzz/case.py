"""One fuzz case, run in a worker process: the problem compiled through the path and verified on the CPU (verify.py),
reduced to one verdict:

    ok         every stage checked agrees with the reference, the final code included
    refused    a stage of the path declined the problem (the reason names the stage)
    unchecked  compiled, but the interpreters could not run the final code (or the input program)
    mismatch   a stage's result differs from the reference (or a stage read out of bounds)
    race       the race detector saw threads race on workgroup memory
    crash      anything else: a Python exception, IREE rejecting what the path handed back, a dead worker
    timeout    the case ran past the per-case limit (pool.py)
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from ...errors import TilefuseError
from ...problem import AttentionProblem
from ...checkers.verify import FINAL_STAGE, VerifyOptions, verify_file

VERDICTS = ("ok", "refused", "unchecked", "mismatch", "race", "crash", "timeout")
FAILING = ("mismatch", "race", "crash")
# Failures after the path's stages: IREE rejecting what the path handed back is a bug, not a refusal.
NOT_REFUSALS = ("hand-off", "read-isa")


@dataclass(frozen=True)
class Case:
    index: int
    problem: dict  # AttentionProblem.to_dict()
    target: str
    path: str
    seed: int  # the verify inputs' seed
    work_dir: str
    keep: bool = False  # keep the work dir of an ok or refused case too

    def command(self) -> str:
        """The shell commands that rerun this case alone."""
        p = AttentionProblem.from_dict(self.problem)
        return (f"{p.command()} && tilefuse verify {p.name}.mlir --path {self.path} --target {self.target} "
                f"--seed {self.seed} --no-cross-check")


def run_case(case: Case) -> dict:
    """The verdict of one case: {verdict, reason, stage, lowered_by_path_with_mma}. Runs in a worker process."""
    work = Path(case.work_dir)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    src = work / "problem.mlir"
    src.write_text(AttentionProblem.from_dict(case.problem).to_mlir())
    try:
        checks = verify_file(src, VerifyOptions(case.target, case.path, work, seed=case.seed, cross_check=False)).checks
        result = _verdict(checks)
    except TilefuseError as e:
        result = _compile_failure(work, e)
    result["lowered_by_path_with_mma"] = _lowered_by_path_with_mma(work)
    if result["verdict"] in ("ok", "refused") and not case.keep:
        shutil.rmtree(work, ignore_errors=True)
    return result


def _verdict(checks) -> dict:
    for status, verdict in (("MISMATCH", "mismatch"), ("RACE", "race")):
        wrong = [c for c in checks if c.status == status]
        if wrong:
            c = wrong[0]
            return {"verdict": verdict, "stage": c.stage, "reason": c.reason or
                    f"{c.dispatch}: max abs error {c.max_abs_err:.3g} (max rel {c.max_rel_err:.3g})"}
    finals = [c for c in checks if c.stage == FINAL_STAGE]
    unchecked = [c for c in finals if c.status != "ok"]
    if not finals or unchecked:
        return {"verdict": "unchecked", "stage": FINAL_STAGE,
                "reason": unchecked[0].reason if unchecked else "no dispatch with attention reached the final stage"}
    return {"verdict": "ok", "stage": None, "reason": None}


def _compile_failure(work: Path, error: TilefuseError) -> dict:
    report = _report(work)
    stage = report.get("failed_stage") if report else None
    if str(error).startswith("cannot verify"):
        return {"verdict": "unchecked", "stage": "reference", "reason": str(error)}
    if stage is None or stage in NOT_REFUSALS:
        return {"verdict": "crash", "stage": stage, "reason": str(error)}
    return {"verdict": "refused", "stage": stage, "reason": report["error"]}


def _lowered_by_path_with_mma(work: Path) -> bool:
    """Every attention dispatch lowered by the path itself (no fallback, not left to IREE), with MMA."""
    report = _report(work)
    attention = [d for d in (report or {}).get("dispatches", []) if d["has_attention"]]
    return bool(report and report["ok"] and attention) and all(
        d["lowered_by"] == "path" and d["fallback"] is None and (d["isa"] or {}).get("mma_ops", 0) > 0
        for d in attention)


def _report(work: Path) -> dict | None:
    f = work / "report.json"
    return json.loads(f.read_text()) if f.is_file() else None
