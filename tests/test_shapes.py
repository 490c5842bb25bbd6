"""The suite's shape problems (tilefuse.tools.suite.SHAPES: Phi-2's d=80, Phi-3's d=96, IREE's e2e `small`), one key
(ONE_KEY) and a causal K2 of one step on the tilefuse path, once per target: their small versions are lowered by
the path itself with MMA and without spills, a K2 shorter than one step padded to whole MMA tiles, and every stage
is right (`verify`: the interpreters against the reference, the thread-level stages with the race detector). The
slow tests that loop over every problem and path take the suite's core (tilefuse.tools.suite.CORE), so these add one
verify per problem and target."""

import json

import pytest

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.codegen.paths import TILEFUSE
from tilefuse.problem import AttentionProblem
from tilefuse.tools.suite import ONE_KEY, SHAPES
from verify_small import verify_small

pytestmark = pytest.mark.slow

# All keys in one K2 step with a causal mask: the one tile is a diagonal one (causal-bound and causal-peel leave it)
SHORT_CAUSAL = AttentionProblem("short_causal_f16_s24", batch=1, heads=2, m=24, k2=24, k1=64, mask="causal")


@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("problem", [*SHAPES, ONE_KEY, SHORT_CAUSAL], ids=lambda p: p.name)
def test_shape_problem_is_lowered_by_the_path_with_mma_and_verifies(tmp_path, problem, target):
    assert verify_small(problem, "tilefuse", target, tmp_path) == ["input", *TILEFUSE.stage_names()]
    report = json.loads((tmp_path / "w" / "report.json").read_text())
    (d,) = [d for d in report["dispatches"] if d["has_attention"]]
    assert d["lowered_by"] == "path" and d["fallback"] is None
    assert d["isa"]["mma_ops"] > 0 and not d["isa"]["vgpr_spills"]
    # K/V shared where subgroups share them, also where the K2 loop is one iteration
    subgroups = d["config"]["tilefuse"]["shape"]["workgroup_size"][1]
    assert (d["isa"]["lds_bytes"] > 0) == (subgroups > 1)
    (pad,) = [s for s in report["program_stages"] if s["name"] == "pad-to-tiles"]
    assert bool(pad["changes"]) == (problem.small().k2 % 16 != 0)  # a short K2 in one step of whole MMA tiles
