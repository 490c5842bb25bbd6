"""The sizes a program with run-time sizes is estimated at (design/performance.md, "Run-time sizes").

A dispatch whose sizes are known only at run time has no work or grid before the launch. Given the sizes of the
entry's dynamic dims (`--dim`, verify's convention; by default a `tilefuse problem` file's header sizes, the ones
verify runs it at), the flow-level host program is run on arguments of those shapes with its dispatches recorded
(interp/shapes.py): each dispatch's work is read at its call's push constants and bindings, and its grid from
its export's count region at its call's workload (perf/launch.py). The kernel, its loop and its ISA stay the
compiled ones: only trip counts, workgroup counts and bytes follow the sizes. Without sizes nothing is estimated
and the report names the dims that have none.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import iree.compiler.ir as ir

from ..errors import NotInterpretable, TilefuseError
from ..interp.core import AssertFailed, OutOfBounds
from ..interp.program import Program
from ..interp.shapes import DispatchCall, ShapeInterpreter, dispatch_calls
from ..interp.signature import ALL_DIMS, describe_dims, dynamic_dims, entry_arguments
from ..ir import irutil
from ..perf.launch import ExportFacts, Launch
from ..perf.work import DispatchWork, dispatch_work
from ..problem import AttentionProblem
from .report import DispatchReport

DIM_OPTION = "--dim"


@dataclass(frozen=True)
class RunTimeWork:
    work: DispatchWork
    launch: Launch | None


def needs_sizes(d: DispatchReport) -> bool:
    """Whether a dispatch's bytes or grid depend on sizes known only at run time (its attention's sizes then do
    too: they are its loads')."""
    return not d.runs_at_load and ((d.work is not None and d.work.global_bytes is None)
                                   or (d.launch is not None and d.launch.workgroups is None))


def _problem_dims(problem: AttentionProblem, names: list[str]) -> dict[str, int]:
    """The problem's own sizes of the entry's dynamic dims (`argA.D`): its header's M and K2."""
    shapes = list(problem.shapes().values())
    return {n: shapes[int(n[3:].split(".")[0])][int(n.split(".")[1])] for n in names}


def _by_name(dims: dict[str, int], names: list[str]) -> dict[str, int]:
    """`--dim`'s sizes by dim name: VALUE alone for every dim, then by position, then by name."""
    out = dict.fromkeys(names, dims[ALL_DIMS]) if ALL_DIMS in dims else {}
    out.update({names[int(k)]: v for k, v in dims.items() if k.isdigit()})
    return {**out, **{k: v for k, v in dims.items() if k in names}}


def given_sizes(problem: AttentionProblem | None, names: list[str], dims: dict[str, int] | None) -> dict[str, int]:
    """Sizes of the entry's dynamic dims NAMES: a problem file's header sizes, over them `--dim`'s."""
    return {**(_problem_dims(problem, names) if problem is not None else {}), **_by_name(dims or {}, names)}


def at_run_time(input_path: Path, flow: Path, sources: Path, dump_dir: Path, dispatches: list[DispatchReport],
                exports: dict[str, ExportFacts], dims: dict[str, int] | None) -> tuple[dict, dict[str, RunTimeWork]]:
    """(the record of the sizes for report.run_time_sizes, the work and launch of every dispatch of DISPATCHES
    that `needs_sizes`, at those sizes). The record is {"at", "by"} where every dynamic dim has a size,
    {"missing", "option"} where some have none, and "not_evaluated" (why) where the host program or a dispatch
    could not be run for its sizes."""
    ctx = ir.Context()
    host = ir.Module.parse(flow.read_text(), ctx)
    top = ir.Module.parse(sources.read_text(), ctx)
    executables = {irutil.sym_name(e): irutil.standalone(e) for e in irutil.ops_named(top, "hal.executable")}
    try:
        program = Program(host, executables)
        entry = program.entry()
        arguments = entry_arguments(program, entry)
    except NotInterpretable as e:
        return {"not_evaluated": f"the host program's entry: {e.what}"}, {}
    names = dynamic_dims(arguments)
    if not names:  # sizes fixed by the program (a dispatch's own run-time sizes come from nothing the caller says)
        return {"not_evaluated": "the entry has no dynamic dims to size"}, {}
    unknown = [k for k in dims or {} if k != ALL_DIMS and k not in names and not (k.isdigit() and int(k) < len(names))]
    if unknown:
        raise TilefuseError(f"{DIM_OPTION} {unknown[0]}: the entry's dynamic dims are {describe_dims(arguments)}")
    problem = AttentionProblem.from_mlir_header(input_path.read_text())
    given = given_sizes(problem, names, dims)
    sizes = [given.get(n) for n in names]
    if None in sizes:
        missing = ", ".join(f"{i} ({n})" for i, (n, s) in enumerate(zip(names, sizes)) if s is None)
        return {"missing": missing, "option": DIM_OPTION}, {}
    it = iter(sizes)
    shapes = [tuple(next(it) if n is None else n for n in a.shape) for a in arguments]
    record = {"at": ", ".join(f"{d.upper()}={getattr(problem, d)}" for d in problem.dynamic_dims)
              if problem is not None and problem.dynamic and not dims else describe_dims(arguments, shapes),
              "by": DIM_OPTION if dims else "problem"}  # (neither: every size is missing, above)
    try:
        calls = dispatch_calls(host, executables, shapes, [a.elem for a in arguments], entry)
    except NotInterpretable as e:
        return {**record, "not_evaluated": f"the host program: {e.what}"}, {}
    except (OutOfBounds, AssertFailed) as e:  # host code that reads what the unrun dispatches would have written
        return {**record, "not_evaluated": f"the host program at these sizes: {e}"}, {}
    out, failed = {}, []
    for d in dispatches:
        if needs_sizes(d) and d.name in calls:
            try:
                out[d.name] = _work(d, calls[d.name], exports, dump_dir, ctx)
            except NotInterpretable as e:  # that dispatch has no estimate; the others keep theirs
                failed.append(f"{d.name} ({e.what})")
            except (OutOfBounds, AssertFailed) as e:
                failed.append(f"{d.name} ({e})")
    return {**record, **({"not_evaluated": ", ".join(failed)} if failed else {})}, out


def _work(d: DispatchReport, calls: list[DispatchCall], exports: dict[str, ExportFacts], dump_dir: Path,
          ctx: ir.Context) -> RunTimeWork:
    """One dispatch's work and launch at its call (every call of it must be at the same sizes): its bytes from
    the front end's executable, its attention (if any) from the configured one."""
    call, *others = calls
    if any((c.workload, c.constants) != (call.workload, call.constants) for c in others):
        raise NotInterpretable(f"dispatched {len(calls)} times at different sizes")
    configured = _module(dump_dir / d.configured, ctx) if d.configured else \
        _module(dump_dir / "executables" / f"configured_module_{d.name}.mlir", ctx)
    executable = _module(dump_dir / "stages" / d.name / "00-input.mlir", ctx) if d.stages else configured
    interpreter = ShapeInterpreter()
    work = dispatch_work(executable, configured, interpreter.shapes(_function(executable), call),
                         interpreter.shapes(_function(configured), call) if d.has_attention else None)
    facts = exports.get(d.exports[0]) if d.exports else None
    return RunTimeWork(work, facts.at_workload(call.workload) if facts else d.launch)


def _module(path: Path, ctx: ir.Context) -> ir.Module:
    if not path.is_file():
        raise NotInterpretable(f"no {path.name} to read the dispatch's work from")
    return ir.Module.parse(path.read_text(), ctx)


def _function(module: ir.Module) -> ir.Operation:
    funcs = [f for f in irutil.funcs(module) if f.regions[0].blocks]
    if len(funcs) != 1:
        raise NotInterpretable(f"executable with {len(funcs)} dispatch functions")
    return funcs[0]
