"""A verified small compile's snapshot of one stage, and running edited versions of it in the host program."""

import iree.compiler.ir as ir

from tilefuse.interp import run_program
from tilefuse.checkers.bound import problem_bound
from tilefuse.checkers.verify import VerifyOptions, compare, verify_file


def verified_snapshot(tmp_path_factory, problem, target: str, path: str, stage: str):
    """(problem, the stage's snapshot text, host program, inputs, reference, its error bound, context) of a compile that verify
    checked ok at that stage."""
    work = tmp_path_factory.mktemp(f"{problem.name}-{target}-{path}")
    src = work / "p.mlir"
    src.write_text(problem.to_mlir())
    report = verify_file(src, VerifyOptions(target, path, work / "w"))
    assert report.ok and [c.status for c in report.checks if c.stage == stage] == ["ok"]
    (snapshot,) = (work / "w" / "stages" / "attention_dispatch_0").glob(f"*-{stage}.mlir")
    ctx = ir.Context()
    host = ir.Module.parse((work / "w" / "flow.mlir").read_text(), ctx)
    inputs = problem.random_inputs(0)
    return problem, snapshot.read_text(), host, inputs, problem.reference(inputs), problem_bound(problem, inputs), ctx


def matches_reference(run, text: str, interpreter) -> bool:
    """Whether the host program with the dispatch replaced by `text` still computes the reference."""
    problem, _, host, inputs, want, bound, ctx = run
    (got,) = run_program(host, {"attention_dispatch_0": ir.Module.parse(text, ctx)},
                         [inputs[n] for n in problem.shapes()], interpreter)
    return compare(got, want, bound).ok
