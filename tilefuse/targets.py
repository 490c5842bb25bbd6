"""GPU targets tilefuse knows, with the iree-compile flags that select them."""

from dataclasses import dataclass

from .errors import TilefuseError


@dataclass(frozen=True)
class Target:
    name: str
    family: str  # "rocdl" (AMD, dumps .rocmasm) or "nvvm" (NVIDIA, dumps .ptx)
    subgroup_size: int

    @property
    def flags(self) -> list[str]:
        if self.family == "rocdl":
            return ["--iree-hal-target-device=hip", f"--iree-rocm-target={self.name}"]
        return ["--iree-hal-target-device=cuda", f"--iree-cuda-target={self.name}"]

    @property
    def hal_target(self) -> str:
        """The `target=` name IREE's HAL uses for this family's executables."""
        return "rocm" if self.family == "rocdl" else "cuda"


TARGETS = {
    t.name: t
    for t in (
        Target("gfx942", "rocdl", 64),
        Target("gfx950", "rocdl", 64),
        Target("gfx1100", "rocdl", 32),
        Target("sm_80", "nvvm", 32),
        Target("sm_89", "nvvm", 32),
    )
}


def get_target(name: str) -> Target:
    try:
        return TARGETS[name]
    except KeyError:
        raise TilefuseError(
            f"unknown target '{name}' (known: {', '.join(TARGETS)})"
        ) from None
