"""`tilefuse verify` on any input IREE takes: the reference is the input program itself, interpreted after IREE's
input conversion on seeded inputs drawn as models make them (interp/signature.py), cross-checked with IREE's
llvm-cpu and, for a `tilefuse problem` file, with the NumPy reference. Then every tensor-level stage snapshot of
every attention dispatch is run by the NumPy interpreter inside the flow-level host program, and every
thread-level snapshot (the final `lower` one included) thread by thread by the SIMT interpreter (with its
workgroup-memory race detector), each against that reference."""

from __future__ import annotations

import textwrap
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable, NamedTuple

import numpy as np

import iree.compiler.ir as ir

from ..ir import irutil
from ..driver.compile import BetweenStages, CompileOptions, compile_file, convert_input, front_end, no_progress
from ..errors import NotInterpretable, StageFailed, TilefuseError
from .bound import Bound, BoundingProgram
from ..interp import Interpreter, run_program
from ..interp.core import AssertFailed, OutOfBounds
from ..interp.signature import (Argument, concrete_shapes, describe_dims, draw_inputs, dynamic_dims, entry_arguments,
                                result_types)
from ..ir.facts import ATTENTION_OPS
from .simt import Race, SimtInterpreter
from ..target.iree_tools import iree_compile
from ..problem import AttentionProblem
from ..driver.run_time import given_sizes
from ..driver.runtime import Module
from ..target.targets import get_target

FINAL_STAGE = "lower"
# The status of the llvm-cpu check when IREE's CPU compile alone disagrees with the reference (judge_references).
CPU_DEFECT = "IREE-CPU-DEFECT"
CPU_DEFECT_VERDICT = "IREE llvm-cpu disagrees with the reference: not a tilefuse mismatch"
# ... and when the output it disagrees on has only the fixed per-dtype tolerance (no bound derived: e.g. through a
# norm), which cannot tell an IREE defect from an ill-conditioned output: reported, not judged.
CPU_DIFFERS = "IREE-CPU-DIFFERS"
CPU_DIFFERS_VERDICT = "IREE llvm-cpu alone differs beyond a fixed tolerance: not judged"
TENSOR_IO = ("iree_codegen.load_from_buffer", "iree_tensor_ext.dispatch.tensor.load",
             "iree_codegen.store_to_buffer", "iree_tensor_ext.dispatch.tensor.store")


@dataclass
class StageCheck:
    dispatch: str
    stage: str
    status: str  # ok | MISMATCH | RACE | unchecked | IREE-CPU-DEFECT | IREE-CPU-DIFFERS (judge_references)
    max_abs_err: float | None = None
    max_rel_err: float | None = None
    seconds: float | None = None
    reason: str | None = None
    error_over_bound: float | None = None  # the largest |error| / bound over the outputs' elements (ok: <= 1)
    bound: float | None = None  # the bound at that element
    bound_kind: str | None = None  # of that output's bound: "derived" or "fixed" (bound.Bound.kind)


@dataclass
class VerifyReport:
    input: str
    target: str
    path: str
    checks: list[StageCheck] = field(default_factory=list)
    bounds: list[dict] = field(default_factory=list)  # per output: Bound.to_dict (kind, max, components, note)
    # Which references agree: "program / numpy-reference", "program / llvm-cpu", "numpy-reference / llvm-cpu"
    # -> True / False (absent: not compared)
    references: dict[str, bool] = field(default_factory=dict)
    # The sizes of the entry's dynamic dims the inputs were drawn at, `0 (arg0.2)=5, ...` (None: all static)
    run_time_sizes: str | None = None

    @property
    def ok(self) -> bool:
        """No stage is wrong, and the final code of every dispatch was run and is right. Stages between
        bufferization and thread distribution may be unchecked (neither interpreter runs them); IREE's llvm-cpu
        may disagree alone (judge_references)."""
        finals = [c for c in self.checks if c.stage == FINAL_STAGE]
        return all(c.status in ("ok", "unchecked", CPU_DEFECT, CPU_DIFFERS) for c in self.checks) and bool(finals) and \
            all(c.status == "ok" for c in finals)

    def to_dict(self) -> dict:
        return {**asdict(self), "ok": self.ok}


def is_tensor_level(module: ir.Module) -> bool:
    return any(irutil.ops_named(module, name) for name in TENSOR_IO)


def is_thread_level(module: ir.Module) -> bool:
    """Code every thread runs as its own: thread ids, or foralls over subgroups, threads or lanes (which the SIMT
    interpreter resolves as map-to-ids would), and no vector layouts left to distribute."""
    # A workgroup of one subgroup has lane ids but no thread id left (its subgroup loop had one iteration).
    ids = irutil.ops_named(module, "gpu.thread_id") or irutil.ops_named(module, "gpu.lane_id") or any(
        irutil.forall_mapping(op) in ("warp", "thread", "lane") for op in irutil.ops_named(module, "scf.forall"))
    return bool(ids) and not irutil.ops_named(module, "iree_vector_ext.to_layout")


class ByLevel:
    """Runs each dispatch of the host program with the interpreter its IR level needs: the snapshot under
    test with the SIMT interpreter, the other dispatches (their tensor-level inputs) with the tensor one."""

    def __init__(self):
        self.tensor, self.simt = Interpreter(), SimtInterpreter()

    def run_function(self, func: ir.Operation, bindings: dict, constants: dict[int, int] | None = None) -> None:
        (self.tensor if is_tensor_level(func) else self.simt).run_function(func, bindings, constants)


class Comparison(NamedTuple):
    ok: bool
    max_abs: float
    max_rel: float
    error_over_bound: float
    bound: float  # at the element where error / bound is largest


def compare(got: np.ndarray, want: np.ndarray, bound: Bound) -> Comparison:
    """`got` against the reference element by element, within `bound` (bound.py). A NaN fails, except where the
    reference has one too: a row a mask hides entirely (a sliding window past a short padded sequence) is NaN in
    the model itself, and a kernel that computes it gives NaN there as well."""
    got = np.asarray(got, np.float64)
    both = np.isnan(got) & np.isnan(want)
    err = np.where(both, 0.0, np.abs(got - want))  # NaN where only one side has one
    ratio = np.where(err > 0, err / np.maximum(bound.atol, 1e-300), 0.0)
    written = not np.isnan(got).all()
    worst = int(np.nanargmax(ratio)) if written else 0
    ok = bool(np.all(both | (err <= bound.atol)))
    max_abs = float(np.nanmax(err)) if written else float("nan")
    scale = float(np.nanmax(np.abs(want))) if not np.isnan(want).all() else 0.0
    return Comparison(ok, max_abs, max_abs / max(scale, 1e-30),
                      float(ratio.flat[worst]) if written else float("nan"), float(bound.atol.flat[worst]))


CPU_FLAGS = ["--iree-hal-target-device=local", "--iree-hal-local-target-device-backends=llvm-cpu",
             "--iree-llvmcpu-target-cpu=host"]


@dataclass
class Reference:
    """The input program interpreted (after IREE's input conversion) on seeded inputs: what every stage must give."""

    entry: str
    arguments: list[Argument]
    inputs: list[np.ndarray]
    outputs: list[np.ndarray]
    result_elems: list[str]
    bounds: list[Bound]  # how far each output may be from the reference (bound.py)
    problem: AttentionProblem | None = None  # a problem file's problem at the sizes run (its header's or --dim's)


def nothing_to_verify(input_path: Path, converted: Path, ctx: ir.Context) -> None:
    """verify checks the stages of attention dispatches: a program without an attention op (after IREE's input
    conversion, where SDPA is one) has none, which is an input error, not a failed check."""
    module = ir.Module.parse(converted.read_text(), ctx)
    if not any(irutil.ops_named(module, name) for name in ATTENTION_OPS):
        raise TilefuseError(f"input '{input_path}' has no attention op (iree_linalg_ext.attention after IREE's input "
                            f"conversion): nothing to verify; tilefuse compile lowers any program")


def program_reference(converted: Path, problem: AttentionProblem | None, seed: int, function: str | None,
                      ctx: ir.Context, dims: dict[str, int] | None = None) -> Reference:
    """`dims`: sizes of the entry's dynamic dims (interp/signature.py, concrete_shapes)."""
    try:
        program = BoundingProgram(ir.Module.parse(converted.read_text(), ctx))
        entry = program.entry(function)
        arguments = entry_arguments(program, entry)
        if problem is not None and dims:  # the problem at the --dim sizes (its header's where --dim gives none)
            problem = problem.at_shapes(concrete_shapes(arguments, given_sizes(problem, dynamic_dims(arguments), dims)))
        inputs = ([problem.random_inputs(seed)[n] for n in problem.shapes()] if problem
                  else draw_inputs(arguments, seed, dims))
        outputs, elems = program.call(entry, inputs), result_types(program, entry)
        return Reference(entry, arguments, inputs, outputs, elems, program.output_bounds(entry, outputs, elems), problem)
    except NotInterpretable as e:
        raise TilefuseError(f"cannot verify: the input program (after IREE's input conversion) uses "
                            f"{e.what}, which the interpreter does not run") from None
    except (AssertFailed, OutOfBounds) as e:
        dynamic = describe_dims(arguments, [np.shape(x) for x in inputs]) if not problem else ""
        raise TilefuseError(f"cannot verify: the input program fails on the drawn inputs: {e}" + (
            f" (dynamic dims {dynamic}: --dim sets them)" if dynamic else "")) from None


def _output_check(dispatch: str, stage: str, got: list, ref: Reference, seconds: float | None) -> StageCheck:
    """Every output against the reference within its bound; NaNs counted (never written)."""
    results = [compare(g, w, b) for g, w, b in zip(got, ref.outputs, ref.bounds)]
    ok = all(r.ok for r in results) and len(got) == len(ref.outputs)
    index = max(range(len(results)), key=lambda i: results[i].error_over_bound
                if results[i].error_over_bound == results[i].error_over_bound else np.inf)
    worst = results[index]
    unwritten = sum(int(np.isnan(np.asarray(g, np.float64)).sum()) for g in got)
    size = sum(np.size(g) for g in got)
    return StageCheck(dispatch, stage, "ok" if ok else "MISMATCH", max(r.max_abs for r in results),
                      max(r.max_rel for r in results), seconds,
                      reason=f"{unwritten} of {size} output elements never written (or NaN)" if unwritten else None,
                      error_over_bound=worst.error_over_bound, bound=worst.bound, bound_kind=ref.bounds[index].kind)


_CPU_RUNS: dict[tuple, tuple] = {}  # one llvm-cpu run per input and inputs, whatever the path or target


def cross_check_llvm_cpu(input_path: Path, ref: Reference, work_dir: Path) -> tuple[StageCheck, list | None]:
    """IREE's own CPU compile of the same input on the same inputs: a check of the reference that shares no code
    with the interpreter. Returns the check and IREE's outputs (None when it did not run)."""
    key = (input_path.read_text(), ref.entry, tuple(hash(x.tobytes()) for x in ref.inputs))
    if key not in _CPU_RUNS:
        _CPU_RUNS[key] = _run_llvm_cpu(input_path, ref, work_dir)
    check, outputs = _CPU_RUNS[key]
    return replace(check), outputs  # judge_references may relabel the report's copy


def _run_llvm_cpu(input_path: Path, ref: Reference, work_dir: Path) -> tuple[StageCheck, list | None]:
    vmfb = work_dir / "llvm-cpu.vmfb"
    start = time.perf_counter()
    try:
        iree_compile([input_path, *CPU_FLAGS, "-o", vmfb], what=str(input_path))
        got = Module(vmfb, "local-sync").call(ref.entry, ref.inputs, [a.elem for a in ref.arguments],
                                              ref.result_elems)
    except (TilefuseError, RuntimeError, ValueError) as e:
        return StageCheck("program", "llvm-cpu", "unchecked", reason=f"IREE llvm-cpu: {str(e).splitlines()[0]}"), None
    return _output_check("program", "llvm-cpu", got, ref, round(time.perf_counter() - start, 3)), got


def judge_references(report: VerifyReport) -> None:
    """IREE's llvm-cpu alone against every other witness — the interpreted program, the NumPy reference (a
    problem file's), and every checked stage with the final code among them — is IREE's CPU defect, not a tilefuse
    mismatch: its check is relabelled CPU_DEFECT. Any other disagreement stays a MISMATCH."""
    program = {c.stage: c for c in report.checks if c.dispatch == "program"}
    cpu, stages = program.get("llvm-cpu"), [c for c in report.checks if c.dispatch != "program"]
    if cpu is None or cpu.status != "MISMATCH" or report.references.get("numpy-reference / llvm-cpu"):
        return
    numpy_agrees = "numpy-reference" in program and program["numpy-reference"].status == "ok"
    if ("numpy-reference" in program and not numpy_agrees) or not stages or \
            any(c.status not in ("ok", "unchecked") for c in stages) or \
            not all(c.status == "ok" for c in stages if c.stage == FINAL_STAGE):
        return
    witnesses = "the interpreted program, the NumPy reference" if numpy_agrees else "the interpreted program"
    agree = f"{witnesses} and all {sum(c.status == 'ok' for c in stages)} checked stages agree"
    if cpu.bound_kind == "fixed":
        cpu.status = CPU_DIFFERS
        cpu.reason = (f"{CPU_DIFFERS_VERDICT} ({agree}; x{cpu.error_over_bound:.4g} of the per-dtype tolerance of an "
                      f"output no bound is derived for: a defect and an ill-conditioned output look alike)")
        return
    cpu.status = CPU_DEFECT
    cpu.reason = f"{CPU_DEFECT_VERDICT} ({agree}; max abs {cpu.max_abs_err:.3g})"


@dataclass(frozen=True)
class VerifyOptions:
    """How `verify_file` verifies: the target, the path and the work directory (also the compile's dump directory);
    the `seed` of the inputs drawn; the `fallback` path, the user's `config_overrides` and the `between_stages` edit,
    all three the compile's (CompileOptions); `progress` lines; the entry `function` (None: the one public function
    no other calls); `cross_check` (IREE's llvm-cpu on the same inputs, a reference sharing no code with the
    interpreter); `dims`, sizes of the entry's dynamic dims (`--dim`: interp/signature.py, concrete_shapes). The CLI
    builds it from its flags."""

    target: str
    path: str
    work_dir: Path | str
    seed: int = 0
    fallback: str | None = None
    progress: Callable[[str], None] = no_progress
    config_overrides: dict | None = None
    function: str | None = None
    cross_check: bool = True
    between_stages: BetweenStages | None = None
    dims: dict[str, int] | None = None


def verify_file(input_path, options: VerifyOptions) -> VerifyReport:
    """Interprets every snapshot of every attention dispatch against the input program's own result (and, for a
    `tilefuse problem` file, the NumPy reference; with `cross_check`, IREE's llvm-cpu on the same inputs), as
    OPTIONS say."""
    target, path, seed, fallback = options.target, options.path, options.seed, options.fallback
    progress = options.progress
    config_overrides, function, dims = options.config_overrides, options.function, options.dims
    input_path = Path(input_path)
    if not input_path.is_file():
        raise TilefuseError(f"input file not found: {input_path}")
    problem = AttentionProblem.from_mlir_header(input_path.read_text())
    work_dir = Path(options.work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    ctx = ir.Context()
    converted = convert_input(input_path, get_target(target), work_dir / "program.mlir")
    nothing_to_verify(input_path, converted, ctx)
    progress("reference: the input program, interpreted")
    ref = program_reference(converted, problem, seed, function, ctx, dims)
    sizes = describe_dims(ref.arguments, [np.shape(x) for x in ref.inputs]) or None
    if sizes:
        progress(f"run-time sizes: {sizes}")
    out = VerifyReport(str(input_path), target, path, bounds=[b.to_dict() for b in ref.bounds], run_time_sizes=sizes)
    numpy_ref = ref.problem.reference(dict(zip(ref.problem.shapes(), ref.inputs))) if problem is not None else None
    if numpy_ref is not None:
        out.checks.append(_output_check("program", "numpy-reference", [numpy_ref], ref, None))
        out.references["program / numpy-reference"] = out.checks[-1].status == "ok"
    if options.cross_check:
        progress("reference: IREE llvm-cpu")
        cpu, cpu_outputs = cross_check_llvm_cpu(input_path, ref, work_dir)
        out.checks.append(cpu)
        if cpu_outputs is not None:
            out.references["program / llvm-cpu"] = cpu.status == "ok"
        if cpu_outputs is not None and numpy_ref is not None:
            out.references["numpy-reference / llvm-cpu"] = compare(cpu_outputs[0], numpy_ref, ref.bounds[0]).ok
    report = compile_file(input_path, CompileOptions(target, path, work_dir / "out.vmfb", work_dir, fallback=fallback,
                                                     config_overrides=config_overrides,
                                                     between_stages=options.between_stages, dims=dims))
    if not report.ok:
        raise StageFailed(f"compile failed: {report.error}")
    flow = work_dir / "flow.mlir"
    # The host program is the one the dispatches came from: the path's program stages may have rewritten it.
    front_end(Path(report.program), [*get_target(target).flags, "--compile-to=flow"], flow)
    host = ir.Module.parse(flow.read_text(), ctx)
    originals = {d.name: ir.Module.parse((work_dir / "stages" / d.name / "00-input.mlir").read_text(), ctx)
                 for d in report.dispatches}
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
                                             reason="memrefs whose vectors are not yet distributed to threads"))
                continue
            start = time.perf_counter()
            try:
                got = run_program(host, {**originals, d.name: module}, ref.inputs, interpreter, ref.entry)
            except NotInterpretable as e:
                out.checks.append(StageCheck(d.name, stage, "unchecked", reason=f"unsupported: {e.what}"))
                continue
            except OutOfBounds as e:
                out.checks.append(StageCheck(d.name, stage, "MISMATCH", reason=f"out of bounds: {e}"))
                continue
            except AssertFailed as e:
                out.checks.append(StageCheck(d.name, stage, "MISMATCH", reason=str(e)))
                continue
            except Race as e:
                out.checks.append(StageCheck(d.name, stage, "RACE", reason=str(e),
                                             seconds=round(time.perf_counter() - start, 3)))
                continue
            out.checks.append(_output_check(d.name, stage, got, ref, round(time.perf_counter() - start, 3)))
    judge_references(out)
    return out


def verdict_line(report: VerifyReport) -> str:
    """The last line: the counts, and PASS or FAIL with the reason when it is not a wrong stage (or when the
    references disagree)."""
    counts = {s: sum(c.status == s for c in report.checks)
              for s in ("ok", "MISMATCH", "RACE", "unchecked", CPU_DEFECT, CPU_DIFFERS)}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    program = {c.stage: c.status for c in report.checks if c.dispatch == "program"}
    if report.ok:
        return f"verify: PASS ({summary})" + (f": {CPU_DEFECT_VERDICT}" if counts[CPU_DEFECT] else
                                              f": {CPU_DIFFERS_VERDICT}" if counts[CPU_DIFFERS] else "")
    finals = [c for c in report.checks if c.stage == FINAL_STAGE]
    why = (": the references disagree: " + _agreement(report) if program.get("numpy-reference") == "MISMATCH" else
           "" if counts["MISMATCH"] or counts["RACE"] else
           f": the final stage ({FINAL_STAGE}) was not run" if not finals or any(c.status == "unchecked" for c in finals)
           else "")
    return f"verify: FAIL ({summary or 'nothing checked'}){why}"


def _agreement(report: VerifyReport) -> str:
    """Which references agree with which, e.g. `program = llvm-cpu != numpy-reference`."""
    return ", ".join(f"{pair.replace(' / ', ' = ' if same else ' != ')}" for pair, same in report.references.items())


def format_checks(report: VerifyReport) -> str:
    rows = [["dispatch", "stage", "status", "max_abs", "max_rel", "err/bound", "seconds", "note"]]
    for c in report.checks:
        rows.append([c.dispatch, c.stage, c.status, "-" if c.max_abs_err is None else f"{c.max_abs_err:.2e}",
                     "-" if c.max_rel_err is None else f"{c.max_rel_err:.2e}",
                     "-" if c.error_over_bound is None else f"{c.error_over_bound:.2f}",
                     "-" if c.seconds is None else f"{c.seconds:.2f}",
                     textwrap.shorten(c.reason or "", 120, placeholder="...")])  # verify.json keeps the whole reason
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows)
