"""`tilefuse verify` on stock and hint (IREE's own VectorDistribute stages; hint replaces configure and
anchor-layouts): every tensor-level stage agrees with the reference on every suite problem's small version, and the
final code passes the SIMT interpreter (calibration: IREE's own paths pass it). The tilefuse path: test_verify_tilefuse.py; planted miscompiles:
test_verify_planted.py."""

import pytest

from compile_targets import across_targets
from tilefuse.tools.suite import CORE
from verify_small import verify_small

pytestmark = pytest.mark.slow


# Each (problem, path) on one target, alternating: every problem and both paths still meet both targets.
@pytest.mark.parametrize("problem,path,target", across_targets(CORE, ["stock", "hint"]),
                         ids=lambda v: getattr(v, "name", v))
def test_every_tensor_level_stage_matches_the_reference(tmp_path, problem, path, target):
    checked = verify_small(problem, path, target, tmp_path)
    assert {"anchor-layouts", "vectorize"} <= set(checked)  # packed intrinsic ops, vector ops on tensors
