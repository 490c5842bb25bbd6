"""The NumPy reference agrees with IREE's own CPU execution (llvm-cpu) on every suite problem's small version."""

import numpy as np
import pytest

import iree.compiler as compiler

from tilefuse.checkers.bound import problem_bound
from tilefuse.driver.runtime import Module
from tilefuse.tools.suite import CORE

pytestmark = pytest.mark.slow


def _cpu_run(problem):
    vmfb = compiler.compile_str(problem.to_mlir(), target_backends=["llvm-cpu"],
                                extra_args=["--iree-llvmcpu-target-cpu=generic"])
    inputs = problem.random_inputs(seed=3)
    got = Module(vmfb, "local-task").run_problem(problem, inputs)
    return got, problem.reference(inputs), problem_bound(problem, inputs)


# IREE 3.13's llvm-cpu backend miscompiles attention with head dim >= 192 (max abs error ~1.4 on
# a 1x32x32x256 f16 problem, for every CPU and opt level we tried), while head dims 64/128 agree to
# an ulp. Strict xfail: this test starts failing the day IREE's CPU result becomes right.
CPU_HEADDIM_BUG = pytest.mark.xfail(strict=True, reason="IREE 3.13 llvm-cpu attention is wrong for head dim >= 192")


@pytest.mark.parametrize(
    "problem",
    [pytest.param(p.small(), marks=CPU_HEADDIM_BUG) if p.k1 >= 192 else p.small() for p in CORE],
    ids=lambda p: p.name,
)
def test_reference_matches_iree_cpu(problem):
    got, want, bound = _cpu_run(problem)
    assert got.shape == want.shape
    assert np.all(np.abs(got - want) <= bound.atol), np.abs(got - want).max()
