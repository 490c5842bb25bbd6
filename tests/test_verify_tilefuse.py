"""`tilefuse verify` on the tilefuse path: every snapshot agrees with the reference on every suite problem's small
version, padded problems and one-subgroup workgroups included, and the final code is right, every subgroup storing
its own rows (it once stored only subgroup 0's, design/numerics.md). IREE's paths: test_verify.py."""

import pytest

from compile_targets import FULL_COMPILE_TARGETS
from tilefuse.codegen.paths import TILEFUSE
from tilefuse.tools.suite import CORE
from verify_small import verify_small

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("target", FULL_COMPILE_TARGETS)
@pytest.mark.parametrize("problem", CORE, ids=lambda p: p.name)
def test_every_snapshot_matches_the_reference(tmp_path, problem, target):
    assert verify_small(problem, "tilefuse", target, tmp_path) == ["input", *TILEFUSE.stage_names()]
