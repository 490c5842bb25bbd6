"""The suite's shape problems (tilefuse.suite.SHAPES: Phi-2's d=80, Phi-3's d=96, one key, IREE's e2e `small`) on the
tilefuse path, once per target: their small versions are lowered by the path itself with MMA and without spills,
padded where K2 is shorter than one tile, and every stage is right (`verify`: the interpreters against the
reference, the thread-level stages with the race detector). The slow tests that loop over every problem and path
take the suite's core (tilefuse.suite.CORE), so these add one verify per problem and target."""

import json

import pytest

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.paths import TILEFUSE
from tilefuse.suite import SHAPES
from verify_small import verify_small

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("problem", SHAPES, ids=lambda p: p.name)
def test_shape_problem_is_lowered_by_the_path_with_mma_and_verifies(tmp_path, problem, target):
    assert verify_small(problem, "tilefuse", target, tmp_path) == ["input", *TILEFUSE.stage_names()]
    report = json.loads((tmp_path / "w" / "report.json").read_text())
    (d,) = [d for d in report["dispatches"] if d["has_attention"]]
    assert d["lowered_by"] == "path" and d["fallback"] is None
    assert d["isa"]["mma_ops"] > 0 and not d["isa"]["vgpr_spills"]
    assert d["isa"]["lds_bytes"] > 0  # K/V shared by the 4 subgroups, also where the K2 loop is one iteration
    (pad,) = [s for s in report["program_stages"] if s["name"] == "pad-to-tiles"]
    assert bool(pad["changes"]) == (problem.small().k2 < 64)
