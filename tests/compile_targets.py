"""The targets the full-compile tests run on: one per backend, the first row of each backend in
tilefuse.target.targets.TARGETS (today gfx942 for ROCDL and sm_80 for NVVM). A new row of a backend already listed adds
no full compiles; a new backend adds one target to every such test."""

from itertools import product

from tilefuse.target.targets import TARGETS, Backend


def _first_of_each_backend() -> list[str]:
    first: dict[Backend, str] = {}
    for name, target in TARGETS.items():
        first.setdefault(target.backend, name)
    return list(first.values())


FULL_COMPILE_TARGETS = _first_of_each_backend()


def across_targets(*axes) -> list[tuple]:
    """The product of AXES, each combination on ONE full-compile target instead of all of them: the combination
    at indices (i, j, ...) gets target (i + j + ...) mod T. Every value of one axis still meets every target when
    another axis has T values or more, and every pair of values of two axes is still compiled: full-compile
    tests of a property that holds per (input, path) spend 1/T of the compiles of the whole product."""
    count = len(FULL_COMPILE_TARGETS)
    return [(*values, FULL_COMPILE_TARGETS[sum(index) % count])
            for index, values in zip(product(*(range(len(a)) for a in axes)), product(*axes))]
