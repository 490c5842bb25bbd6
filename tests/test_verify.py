"""`tilefuse verify` on stock and hint (IREE's own VectorDistribute stages; hint replaces configure and
anchor-layouts): every tensor-level stage agrees with the reference on every suite problem's small version, and the
final code passes the SIMT interpreter (calibration: IREE's own paths pass it). The tilefuse path: test_verify_tilefuse.py; planted miscompiles:
test_verify_planted.py."""

import pytest

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.suite import CORE
from verify_small import verify_small

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("path", ["stock", "hint"])
@pytest.mark.parametrize("problem", CORE, ids=lambda p: p.name)
def test_every_tensor_level_stage_matches_the_reference(tmp_path, problem, path, target):
    checked = verify_small(problem, path, target, tmp_path)
    assert {"anchor-layouts", "vectorize"} <= set(checked)  # packed intrinsic ops, vector ops on tensors
