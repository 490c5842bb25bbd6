"""The SIMT interpreter runs foralls mapped to subgroups and lanes as map-to-ids resolves them, so the tilefuse
path's bufferize snapshot (memrefs, foralls not yet on ids) is checked thread by thread; a planted lane forall
that leaves lanes idle is caught there."""

import re

import pytest

from snapshot_runs import matches_reference, verified_snapshot
from tilefuse.problem import AttentionProblem
from tilefuse.checkers.simt import SimtInterpreter

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bufferized(tmp_path_factory):
    problem = AttentionProblem(name="foralls", batch=1, heads=2, m=64, k2=128, k1=64)
    return verified_snapshot(tmp_path_factory, problem, "gfx942", "tilefuse", "bufferize")


def _run(bufferized, text):
    return matches_reference(bufferized, text, SimtInterpreter())


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
