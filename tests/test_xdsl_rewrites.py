"""Rewrites by hand between stages: xDSL passes after a stage (--rewrite-after), an edited snapshot resumed
(tilefuse resume); each verified, and a wrong rewrite is a MISMATCH. The rewrites on hand-written IR:
test_xdsl_patterns.py."""

import json
from dataclasses import dataclass

import pytest
from xdsl.dialects import arith
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriteWalker, RewritePattern, op_type_rewrite_pattern

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.driver.compile import CompileOptions, compile_file
from tilefuse.codegen.paths import TILEFUSE
from tilefuse.problem import AttentionProblem
from tilefuse.tools.rewrite import RewriteAfter, resume_file, xdsl_rewrites
from tilefuse.checkers.verify import VerifyOptions, verify_file
from tilefuse.tools.xdsl import pipeline

pytestmark = pytest.mark.slow

PROBLEM = AttentionProblem(name="rw", batch=1, heads=2, m=64, k2=128, k1=64)  # two K2 steps, 4 subgroups


@pytest.fixture
def src(tmp_path):
    f = tmp_path / "p.mlir"
    f.write_text(PROBLEM.to_mlir())
    return f


def _rewritten(src, tmp_path, spec, target="gfx942"):
    report = verify_file(src, VerifyOptions(target, "tilefuse", tmp_path / spec.split("=")[0],
                                            between_stages=xdsl_rewrites([RewriteAfter.parse(spec, TILEFUSE)]),
                                            cross_check=False))
    return report


def _snapshot(tmp_path, spec, stage):
    (f,) = (tmp_path / spec.split("=")[0] / "stages").glob(f"*/*-{stage}.mlir")
    return f.read_text()


def test_edit_config_changes_the_k2_tile(src, tmp_path):
    spec = 'configure=tilefuse-edit-config{section=tiling field=reduction value="[0,0,0,32,0]"}'
    report = _rewritten(src, tmp_path, spec)
    assert report.ok, report.checks
    snapshot = _snapshot(tmp_path, spec, "configure")
    assert "reduction = [0, 0, 0, 32, 0]" in snapshot and "reduction = [0, 0, 0, 64, 0]" not in snapshot
    compiled = json.loads((tmp_path / "configure" / "report.json").read_text())["dispatches"][0]
    assert compiled["config"]["tilefuse"]["tiling"]["reduction"] == [0, 0, 0, 32, 0]  # read back from the IR
    assert compiled["rewrites"][0]["after"] == "configure" and compiled["rewrites"][0]["pipeline"] == spec[10:]


def test_edit_config_promotes_nothing(src, tmp_path):
    """No K/V sharing: share-kv finds nothing promoted and adds no workgroup memory."""
    spec = 'configure=tilefuse-edit-config{section=qk field=promote_operands value="[]"},' \
           'tilefuse-edit-config{section=pv field=promote_operands value="[]"}'
    report = _rewritten(src, tmp_path, spec)
    assert report.ok
    compiled = json.loads((tmp_path / "configure" / "report.json").read_text())["dispatches"][0]
    assert compiled["isa"]["lds_bytes"] == 0 and compiled["isa"]["barriers"] == 0


def test_hoist_moves_q_scaling_out_of_the_k2_loop(src, tmp_path):
    spec = "decompose=tilefuse-hoist-invariant"
    report = _rewritten(src, tmp_path, spec)
    assert report.ok, report.checks
    before_loop, loop = _snapshot(tmp_path, spec, "decompose").split(" scf.for %", 1)
    # The Q scaling (a generic multiplying the Q tile by the f16 scale) now precedes the K2 loop.
    assert "arith.mulf %in, %out : f16" in before_loop and "arith.mulf %in, %out : f16" not in loop


@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
def test_row_max_by_maxnum(src, tmp_path, target):
    spec = "decompose=tilefuse-row-max-maxnum"
    report = _rewritten(src, tmp_path, spec, target)
    assert report.ok, report.checks
    assert "arith.maxnumf" in _snapshot(tmp_path, spec, "decompose")
    assert "maxnumf" in _snapshot(tmp_path, spec, "thread-distribute")  # the lane stage's subgroup_reduce too


class _RowMaxBySum(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: arith.MaximumfOp, rewriter):
        rewriter.replace(op, arith.AddfOp(op.lhs, op.rhs))


@dataclass(frozen=True)
class _PlantedPass(ModulePass):
    name = "planted-row-sum"

    def apply(self, ctx, op):
        PatternRewriteWalker(_RowMaxBySum()).rewrite_module(op)


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # the planted sum overflows to NaN
def test_a_wrong_rewrite_is_a_mismatch(src, tmp_path, monkeypatch):
    """Planted: the row max computed as a sum. Every stage from the rewritten one on is a MISMATCH."""
    real = pipeline.available_passes
    monkeypatch.setattr(pipeline, "available_passes", lambda: {**real(), "planted-row-sum": lambda: _PlantedPass})
    report = _rewritten(src, tmp_path, "decompose=planted-row-sum")
    status = {c.stage: c.status for c in report.checks}
    assert status["reduction-tile"] == "ok" and not report.ok
    assert all(status[s] == "MISMATCH" for s in ("decompose", "thread-distribute", "map-to-ids", "lower")), status


def test_resume_an_edited_snapshot(src, tmp_path):
    first = compile_file(src, CompileOptions("gfx942", "tilefuse", tmp_path / "a.vmfb", tmp_path / "a"))
    (d,) = first.dispatches
    snapshot = tmp_path / "a" / [s.snapshot for s in d.stages if s.name == "decompose"][0]
    snapshot.write_text(pipeline.apply_pipeline(snapshot.read_text(), "tilefuse-row-max-maxnum"))
    report = resume_file(snapshot, "decompose", "gfx942", "tilefuse", tmp_path / "b.vmfb", tmp_path / "b")
    assert report.ok and (tmp_path / "b.vmfb").stat().st_size > 0
    (d,) = report.dispatches
    assert d.rewrites == [{"after": "decompose", "snapshot": str(snapshot)}]
    (decompose,) = [s for s in d.stages if s.name == "decompose"]
    assert "arith.maxnumf" in (tmp_path / "b" / decompose.snapshot).read_text()


def test_an_edit_iree_rejects_fails_the_compile_naming_it(src, tmp_path):
    broken = lambda dispatch, stage, text: ("module {", {"after": stage}) if stage == "decompose" else None  # noqa: E731
    report = compile_file(src, CompileOptions("gfx942", "tilefuse", tmp_path / "x.vmfb", tmp_path / "x", between_stages=broken))
    assert not report.ok and report.error.startswith("stage 'edit after decompose' failed: attention_dispatch_0: ")
    assert "does not parse" in report.error
