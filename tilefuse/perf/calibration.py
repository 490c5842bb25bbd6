"""The calibration set: published measured attention times with their exact shapes and sources
(calibration.json, package data; design/performance.md, "Calibration").

Each point is one shape on one machine with the times of the kernels published for it. A time is kept as its
source gives it: microseconds (iree-kernel-benchmark's golden CSVs) or TFLOP/s read off a figure's bar label,
turned into seconds with the source's own flops convention (4·B·H·M·K2·D, halved when causal: FlashAttention's
benchmark). `reference` names the kernel the fit matches and `path` the tilefuse path whose estimate is
matched to it ("best": the faster of stock and tilefuse, for a published kernel of the same instruction class;
"stock-tuned": stock with the configuration the published IREE kernel was compiled with, its source's `tuning`,
so the estimate is of the kernel that was measured).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..errors import TilefuseError
from ..problem import AttentionProblem
from ..target.machines import MACHINES

PATHS = ("stock", "tilefuse")  # the paths every point is compiled on
TUNED = "stock-tuned"  # stock with the reference kernel's own configuration (an IREE tuning spec says it)


@dataclass(frozen=True)
class Measured:
    kernel: str
    seconds: float
    source: dict
    # Why this time is not the kernel's (a run's artefact the same source contradicts): never a fit's reference,
    # and left out of the checks against it; still reported.
    outlier: str | None = None


@dataclass(frozen=True)
class Point:
    name: str
    machine: str
    batch: int
    heads: int
    kv_heads: int
    m: int
    k2: int
    d: int
    dtype: str
    causal: bool
    layout: str
    reference: str
    path: str
    measured: tuple[Measured, ...]

    @property
    def target(self) -> str:
        """The code the point is compiled for: its machine's (each machine of the table runs one target's)."""
        return MACHINES[self.machine].targets[0]

    @property
    def flops(self) -> float:
        """The published benchmarks' flops: both matmuls, halved under a causal mask."""
        return 4 * self.batch * self.heads * self.m * self.k2 * self.d / (2 if self.causal else 1)

    def seconds(self, kernel: str) -> float:
        for m in self.measured:
            if m.kernel == kernel:
                return m.seconds
        raise TilefuseError(f"calibration point '{self.name}' has no '{kernel}' time")

    @property
    def reference_seconds(self) -> float:
        return self.seconds(self.reference)

    @property
    def tuning(self) -> dict | None:
        """The configuration a published kernel was compiled with, where its source gives one (IREE's)."""
        return next((m.source["tuning"] for m in self.measured if "tuning" in m.source), None)

    @property
    def variants(self) -> tuple[str, ...]:
        """What the point is compiled as: the paths, and stock with the reference's configuration if it has one."""
        return PATHS + ((TUNED,) if self.tuning else ())

    @property
    def fastest(self) -> Measured:
        return min(self.measured, key=lambda m: m.seconds)

    def problem(self) -> AttentionProblem:
        return AttentionProblem(name=self.name, batch=self.batch, heads=self.heads,
                                kv_heads=None if self.kv_heads == self.heads else self.kv_heads, m=self.m,
                                k2=self.k2, k1=self.d, dtype=self.dtype, mask="causal" if self.causal else "none",
                                layout=self.layout)


def _measured(raw: dict, flops: float) -> Measured:
    """The kernel's time: as published, less the source's per-call overhead where it measured one (its time for
    the same call with next to no work: `call_overhead_us`), which the estimate's dispatches do not carry."""
    if "microseconds" in raw:
        seconds = raw["microseconds"] * 1e-6
    elif "tflops" in raw:
        seconds = flops / (raw["tflops"] * 1e12)
    else:
        raise TilefuseError(f"calibration: '{raw.get('kernel')}' has neither microseconds nor tflops")
    seconds -= raw["source"].get("call_overhead_us", 0.0) * 1e-6
    return Measured(raw["kernel"], seconds, raw["source"], raw.get("outlier"))


def _point(raw: dict) -> Point:
    shape = dict(name=raw["name"], machine=raw["machine"], batch=raw["B"], heads=raw["H"], kv_heads=raw["kv_heads"],
                 m=raw["M"], k2=raw["K2"], d=raw["D"], dtype=raw["dtype"], causal=raw["causal"],
                 layout=raw["layout"], reference=raw["reference"], path=raw["path"])
    flops = Point(**shape, measured=()).flops
    point = Point(**shape, measured=tuple(_measured(m, flops) for m in raw["measured"]))
    if point.path not in point.variants + ("best",):
        raise TilefuseError(f"calibration point '{point.name}': path '{point.path}' needs its reference's tuning")
    if next(m for m in point.measured if m.kernel == point.reference).outlier:
        raise TilefuseError(f"calibration point '{point.name}': its reference '{point.reference}' is an outlier")
    return point


@cache
def points() -> tuple[Point, ...]:
    text = resources.files(__package__).joinpath("calibration.json").read_text()
    return tuple(_point(p) for p in json.loads(text)["points"])
