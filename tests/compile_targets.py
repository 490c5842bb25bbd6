"""The targets the full-compile tests run on: one per backend family, the first row of each family in
tilefuse.targets.TARGETS (today gfx942 for rocdl and sm_80 for nvvm). A new row of a family already listed adds no
full compiles; a new family adds one target to every such test."""

from tilefuse.targets import TARGETS


def _first_of_each_family() -> list[str]:
    first: dict[str, str] = {}
    for name, target in TARGETS.items():
        first.setdefault(target.family, name)
    return list(first.values())


FULL_COMPILE_TARGETS = _first_of_each_family()
