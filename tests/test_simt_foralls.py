"""The SIMT interpreter runs foralls mapped to subgroups and lanes as map-to-ids resolves them, so the tilefuse
path's bufferize snapshot (memrefs, foralls not yet on ids) is checked thread by thread; a planted lane forall
that leaves lanes idle is caught there."""

import re

import iree.compiler.ir as ir
import pytest

from tilefuse.interp import run_program
from tilefuse.problem import AttentionProblem
from tilefuse.simt import SimtInterpreter
from tilefuse.verify import compare, verify_file

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bufferized(tmp_path_factory):
    problem = AttentionProblem(name="foralls", batch=1, heads=2, m=64, k2=128, k1=64)
    work = tmp_path_factory.mktemp("foralls")
    src = work / "p.mlir"
    src.write_text(problem.to_mlir())
    report = verify_file(src, "gfx942", "tilefuse", work / "w")
    assert report.ok and [c.status for c in report.checks if c.stage == "bufferize"] == ["ok"]
    (snapshot,) = (work / "w" / "stages" / "attention_dispatch_0").glob("*-bufferize.mlir")
    ctx = ir.Context()
    host = ir.Module.parse((work / "w" / "flow.mlir").read_text(), ctx)
    inputs = problem.random_inputs(0)
    return problem, snapshot.read_text(), host, inputs, problem.reference(inputs), ctx


def _run(bufferized, text):
    problem, _, host, inputs, want, ctx = bufferized
    (got,) = run_program(host, {"attention_dispatch_0": ir.Module.parse(text, ctx)},
                         [inputs[n] for n in problem.shapes()], SimtInterpreter())
    return compare(got, want, problem.dtype)[0]


def test_bufferized_foralls_run_per_thread(bufferized):
    text = bufferized[1]
    assert "#iree_gpu.lane_id<0>" in text and "#gpu.warp<linear_dim_0>" in text
    assert "= gpu.lane_id" not in text and "= gpu.thread_id" not in text
    assert _run(bufferized, text)


def test_a_lane_forall_that_leaves_lanes_idle_is_caught(bufferized):
    text = bufferized[1]
    planted, n = re.subn(r"(scf\.forall \(%\w+\) in \()64(\))", r"\g<1>32\2", text, count=1)  # the lanes
    assert n == 1
    assert not _run(bufferized, planted)
