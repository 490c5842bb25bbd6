"""The SIMT interpreter on a dispatch's final MLIR: stock passes it (calibration) and planted bugs in that
final code are caught: a removed barrier (RACE), an off-by-one distributed index, a wrong lane layout. The
interpreter's lane layouts themselves: test_lane_layout.py."""

import re

import pytest

from compile_targets import FULL_COMPILE_TARGETS
from snapshot_runs import matches_reference, verified_snapshot
from tilefuse.interp.core import OutOfBounds
from tilefuse.problem import AttentionProblem
from tilefuse.checkers.simt import Race, SimtInterpreter
from tilefuse.target.targets import get_target
from tilefuse.checkers.verify import VerifyOptions, verify_file

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=FULL_COMPILE_TARGETS)
def stock_final(request, tmp_path_factory):
    """A verified small stock compile's final snapshot, with its host program and reference."""
    problem = AttentionProblem(name="simt", batch=1, heads=2, m=128, k2=128, k1=64)  # two K2 steps
    return verified_snapshot(tmp_path_factory, problem, request.param, "stock", "lower")


def _run(stock_final, text):
    return matches_reference(stock_final, text, SimtInterpreter())


def test_unplanted_final_code_passes(stock_final):
    assert _run(stock_final, stock_final[1])


def test_removed_barrier_is_a_race(stock_final):
    text = stock_final[1]
    lines = text.split("\n")
    # the barrier between the cooperative K/V copies into workgroup memory and their reads by the MMAs
    barriers = [i for i, line in enumerate(lines) if "gpu.barrier" in line]
    assert len(barriers) >= 3
    del lines[barriers[2]]
    with pytest.raises(Race, match=r"thread \d+ and thread \d+ without a barrier"):
        _run(stock_final, "\n".join(lines))


def test_off_by_one_distributed_index_is_caught(stock_final):
    text = stock_final[1]
    # the first row index a thread computes for its global loads: one row further down
    planted, n = re.subn(r"affine\.linearize_index \[(%[\w#]+), (%arg\d+)\] by \((\d+), 1\) : index",
                         r"affine.linearize_index [\1, \2, %c1] by (\3, 1, 1) : index", text, count=1)
    assert n == 1
    try:
        assert not _run(stock_final, planted)
    except OutOfBounds:
        pass


def test_wrong_lane_layout_is_caught(stock_final):
    text = stock_final[1]
    # one matrix intrinsic reading its operands in each other's lane layout
    mfma = re.compile(r"amdgpu\.mfma (\d+x\d+x\d+) (%\w+) \* (%\w+) \+")
    if mfma.search(text):
        planted = mfma.sub(lambda m: f"amdgpu.mfma {m[1]} {m[3]} * {m[2]} +", text, count=1)
    else:  # drop the reordering of A's registers into mma.sync's order before one intrinsic
        planted = re.sub(r"(vector\.transpose %\w+, )\[1, 0, 2\]( : vector<2x2x2xf16>)", r"\1[0, 1, 2]\2", text,
                         count=1)
    assert planted != text
    assert not _run(stock_final, planted)


@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
def test_operand_promoted_inside_the_subgroup_forall_is_a_race(tmp_path, target):
    """The route the facts note records as compiling with good metrics and being wrong: Q promoted to workgroup
    memory inside the subgroup forall becomes one buffer that every subgroup writes. Every tensor-level stage
    is right; only the final code shows the race."""
    problem = AttentionProblem(name="race", batch=1, heads=2, m=128, k2=128, k1=64)
    src = tmp_path / "p.mlir"
    src.write_text(problem.to_mlir())
    report = verify_file(src, VerifyOptions(target, "tilefuse-vd", tmp_path / "w",
                                            config_overrides={"qk": {"promote_operands": [0]}}))
    assert not report.ok
    status = {c.stage: c for c in report.checks}
    # thread-distribute leaves the subgroup forall, which the SIMT interpreter runs as map-to-ids will
    racy = ["thread-distribute", "map-to-ids", "lower"]
    assert [s for s, c in status.items() if c.status not in ("ok", "unchecked")] == racy
    sg = get_target(target).subgroup_size
    for stage in racy:  # the first thread-level snapshot already has it
        assert status[stage].status == "RACE", status[stage]
        m = re.search(r"memref<1x16x\d+xf16, #gpu\.address_space<workgroup>>.*thread (\d+) and thread (\d+)",
                      status[stage].reason)
        assert m, status[stage].reason
        assert int(m[1]) // sg != int(m[2]) // sg  # two subgroups share the buffer
