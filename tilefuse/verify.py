"""`tilefuse verify`: every tensor-level stage snapshot of every attention dispatch, run by the NumPy
interpreter inside the host program, and every thread-level snapshot (the final `lower` one included) run
thread by thread by the SIMT interpreter (with its workgroup-memory race detector), each against the problem's NumPy reference."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

import iree.compiler.ir as ir

from . import irutil
from .driver import compile_file
from .errors import TilefuseError
from .interp import Interpreter, Unsupported, run_program
from .interp.core import OutOfBounds
from .simt import Race, SimtInterpreter
from .iree_tools import iree_compile
from .problem import AttentionProblem, tolerance
from .targets import get_target

FINAL_STAGE = "lower"
TENSOR_IO = ("iree_codegen.load_from_buffer", "iree_tensor_ext.dispatch.tensor.load",
             "iree_codegen.store_to_buffer", "iree_tensor_ext.dispatch.tensor.store")


@dataclass
class StageCheck:
    dispatch: str
    stage: str
    status: str  # ok | MISMATCH | RACE | unchecked
    max_abs_err: float | None = None
    max_rel_err: float | None = None
    seconds: float | None = None
    reason: str | None = None


@dataclass
class VerifyReport:
    input: str
    target: str
    path: str
    checks: list[StageCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No stage is wrong, and the final code of every dispatch was run and is right. Stages between
        bufferization and thread distribution may be unchecked (neither interpreter runs them)."""
        finals = [c for c in self.checks if c.stage == FINAL_STAGE]
        return all(c.status in ("ok", "unchecked") for c in self.checks) and bool(finals) and \
            all(c.status == "ok" for c in finals)

    def to_dict(self) -> dict:
        return {**asdict(self), "ok": self.ok}


def is_tensor_level(module: ir.Module) -> bool:
    return any(irutil.ops_named(module, name) for name in TENSOR_IO)


def is_thread_level(module: ir.Module) -> bool:
    """Code every thread runs as its own: thread ids present, no vector layouts left to distribute."""
    # A workgroup of one subgroup has lane ids but no thread id left (its subgroup loop had one iteration).
    ids = irutil.ops_named(module, "gpu.thread_id") or irutil.ops_named(module, "gpu.lane_id")
    return bool(ids) and not irutil.ops_named(module, "iree_vector_ext.to_layout")


class ByLevel:
    """Runs each dispatch of the host program with the interpreter its IR level needs: the snapshot under
    test with the SIMT interpreter, the other dispatches (their tensor-level inputs) with the tensor one."""

    def __init__(self):
        self.tensor, self.simt = Interpreter(), SimtInterpreter()

    def run_function(self, func: ir.Operation, bindings: dict) -> None:
        (self.tensor if is_tensor_level(func) else self.simt).run_function(func, bindings)


def compare(got: np.ndarray, want: np.ndarray, dtype: str) -> tuple[bool, float, float]:
    atol, rtol = tolerance(dtype)
    err = np.abs(np.asarray(got, np.float64) - want)
    ok = bool(np.all(err <= atol + rtol * np.abs(want))) and not np.isnan(got).any()
    max_abs = float(np.nanmax(err)) if not np.isnan(got).all() else float("nan")
    return ok, max_abs, max_abs / max(float(np.abs(want).max()), 1e-30)


def verify_file(input_path, target: str, path: str, work_dir, seed: int = 0, fallback: str | None = None,
                progress=lambda msg: None, config_overrides: dict | None = None) -> VerifyReport:
    """Interprets every snapshot of every attention dispatch against the NumPy reference."""
    input_path = Path(input_path)
    if not input_path.is_file():
        raise TilefuseError(f"input file not found: {input_path}")
    problem = AttentionProblem.from_mlir_header(input_path.read_text())
    if problem is None:
        raise TilefuseError(f"{input_path} has no '// tilefuse.problem:' header; write inputs with `tilefuse problem`")
    work_dir = Path(work_dir)
    report = compile_file(input_path, target, path, work_dir / "out.vmfb", work_dir, fallback=fallback,
                          config_overrides=config_overrides)
    if not report.ok:
        raise TilefuseError(f"compile failed: {report.error}")
    flow = work_dir / "flow.mlir"
    # The host program is the one the dispatches came from: the path's program stages may have rewritten it.
    iree_compile([report.program, *get_target(target).flags, "--compile-to=flow", "-o", flow], what=report.program)
    ctx = ir.Context()
    host = ir.Module.parse(flow.read_text(), ctx)
    inputs = problem.random_inputs(seed)
    want = problem.reference(inputs)
    args = [inputs[name] for name in problem.shapes()]
    originals = {d.name: ir.Module.parse((work_dir / "stages" / d.name / "00-input.mlir").read_text(), ctx)
                 for d in report.dispatches}
    out = VerifyReport(str(input_path), target, path)
    for d in report.dispatches:
        if not d.has_attention:
            continue
        snapshots = [("input", "stages/" + d.name + "/00-input.mlir")] + [(s.name, s.snapshot) for s in d.stages]
        for stage, snapshot in snapshots:
            progress(f"{d.name}: {stage}")
            module = ir.Module.parse((work_dir / snapshot).read_text(), ctx)
            if is_tensor_level(module):
                interpreter = Interpreter()
            elif stage == FINAL_STAGE or is_thread_level(module):
                interpreter = ByLevel()
            else:
                out.checks.append(StageCheck(d.name, stage, "unchecked",
                                             reason="after bufferization, before thread distribution"))
                continue
            start = time.perf_counter()
            try:
                (got,) = run_program(host, {**originals, d.name: module}, args, interpreter)
            except Unsupported as e:
                out.checks.append(StageCheck(d.name, stage, "unchecked", reason=f"unsupported: {e.what}"))
                continue
            except OutOfBounds as e:
                out.checks.append(StageCheck(d.name, stage, "MISMATCH", reason=f"out of bounds: {e}"))
                continue
            except Race as e:
                out.checks.append(StageCheck(d.name, stage, "RACE", reason=str(e),
                                             seconds=round(time.perf_counter() - start, 3)))
                continue
            ok, max_abs, max_rel = compare(got, want, problem.dtype)
            unwritten = int(np.isnan(np.asarray(got, np.float64)).sum())
            out.checks.append(StageCheck(d.name, stage, "ok" if ok else "MISMATCH", max_abs, max_rel,
                                         round(time.perf_counter() - start, 3),
                                         reason=f"{unwritten} of {np.size(got)} output elements never written "
                                                f"(or NaN)" if unwritten else None))
    return out


def format_checks(report: VerifyReport) -> str:
    rows = [["dispatch", "stage", "status", "max_abs", "max_rel", "seconds", "note"]]
    for c in report.checks:
        rows.append([c.dispatch, c.stage, c.status, "-" if c.max_abs_err is None else f"{c.max_abs_err:.2e}",
                     "-" if c.max_rel_err is None else f"{c.max_rel_err:.2e}",
                     "-" if c.seconds is None else f"{c.seconds:.2f}", c.reason or ""])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows)
