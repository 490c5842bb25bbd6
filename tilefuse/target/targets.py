"""GPU targets: a row names the target and the iree-compile flags that select it; every other fact (MMA
intrinsics, subgroup size, workgroup memory, SIMDs) is read from the `#iree_gpu.target` IREE attaches to the
executables it builds for those flags, so it is what IREE itself will compile for. The machine's size (workgroup
processors: CUs / WGPs / SMs) is IREE's too: its chip table knows it by product name, not by architecture, so a
row also names a product of the architecture (`chip`) whose `#iree_gpu.target` is probed for the facts; the
kernels are compiled for the architecture alone.

IREE's HAL target backends are not registered in the Python bindings, so the attribute comes from `iree-compile
--compile-to=executable-sources` on a one-op probe program, once per target and process.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import iree.compiler.ir as ir
from iree.compiler.dialects import iree_gpu

from ..errors import TilefuseError
from .iree_tools import iree_compile
from ..ir.intrinsics import Intrinsic
from ..ir.irutil import walk


_PROBE = """func.func @probe(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = arith.addf %a, %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}
"""


@dataclass(frozen=True)
class TargetFacts:
    """What IREE's `#iree_gpu.target` says about a chip (iree_gpu.TargetInfo, copied out of its context)."""

    arch: str
    subgroup_size_choices: tuple[int, ...]
    mma_intrinsics: tuple  # iree_gpu.MMAIntrinsic / VirtualMMAIntrinsic, in IREE's order of preference
    workgroup_memory_bytes: int
    max_workgroup_sizes: tuple[int, ...]
    max_threads_per_workgroup: int
    simds_per_workgroup: int | None  # None where IREE does not say (NVIDIA)
    workgroup_processors: int | None  # the chip's CUs / WGPs / SMs; None where IREE knows no chip

    @classmethod
    def from_target_attr(cls, attr: ir.Attribute) -> "TargetFacts":
        info = iree_gpu.TargetInfo.get_gpu_target_info(attr)
        return cls(info.arch, tuple(info.subgroup_size_choices), tuple(info.mma_intrinsics),
                   info.max_workgroup_memory_bytes, tuple(info.max_workgroup_sizes),
                   info.max_thread_count_per_workgroup, info.simds_per_workgroup or None,
                   info.workgroup_count or None)


@dataclass(frozen=True)
class Backend:
    """An LLVM GPU backend IREE lowers to: how iree-compile selects it, and what differs in what it writes. What
    differs in how tilefuse lowers for it is keyed by the Backend object (the stock path's `lower` sequence, the
    ISA reader: driver/isa.py)."""

    name: str  # IREE's conversion: iree-convert-to-<name>
    hal_device: str  # the HAL device (and IREE runtime driver) its binaries run on
    chip_flag: str  # the iree-compile flag naming the chip
    isa_suffix: str  # the ISA files --iree-hal-dump-executable-files-to writes
    # NVVM: the PTX does not say an export's workgroup memory, IREE records it on the export after NVVM conversion
    # (read from the dump of iree-codegen-propagate-dispatch-config); ROCDL: the ISA's .amdgpu_metadata says it.
    workgroup_memory_on_export: bool
    # SIMDs per workgroup processor where IREE's target does not say it (simds_per_wgp is an AMD field): every
    # NVIDIA SM since Volta has four processing blocks (sub-partitions), each with its warp scheduler and tensor cores.
    simds_per_processor: int | None
    # ptxas takes a minimum of resident workgroups per SM (`nvvm.minctasm`, its register budget); on AMD the
    # register budget is left to LLVM.
    takes_min_workgroups: bool
    # IREE 3.13 lowers an fp8 `arith.extf` for the fp8 types the chip has MMA for (ROCDL), or for none (NVVM: it
    # lowers `arith.bitcast` of fp8 only): widen-kv decodes the other formats' bits with integer ops.
    converts_fp8_it_multiplies: bool
    # The 32-bit registers one lane may hold, where the plan sizes a K2 step of an fp8 cache decoded in registers
    # by them (codegen/heuristics.py, `decoded_step`): NVVM 255, PTX's most per thread (tilefuse's 8 resident
    # warps let ptxas take them all). None: left to LLVM, as the register budget is on AMD (CDNA's 512 VGPRs and
    # AGPRs per lane: gfx942 holds a d=128 decode's 64-key step of a decoded E4M3FN cache in 409, no spill).
    lane_registers: int | None


ROCDL = Backend("rocdl", "hip", "--iree-rocm-target", "rocmasm", workgroup_memory_on_export=False,
                simds_per_processor=None, takes_min_workgroups=False, converts_fp8_it_multiplies=True,
                lane_registers=None)
NVVM = Backend("nvvm", "cuda", "--iree-cuda-target", "ptx", workgroup_memory_on_export=True,
               simds_per_processor=4, takes_min_workgroups=True, converts_fp8_it_multiplies=False,
               lane_registers=255)
BACKENDS = (ROCDL, NVVM)


@dataclass(frozen=True)
class Target:
    name: str
    backend: Backend
    chip: str  # a product of the architecture in IREE's chip table: the machine its facts describe

    @property
    def hal_device(self) -> str:
        """The HAL device (and IREE runtime driver) its binaries run on: hip or cuda."""
        return self.backend.hal_device

    @property
    def flags(self) -> list[str]:
        return [f"--iree-hal-target-device={self.backend.hal_device}", f"{self.backend.chip_flag}={self.name}"]

    @cached_property
    def facts(self) -> TargetFacts:
        facts = _probe((f"--iree-hal-target-device={self.backend.hal_device}",
                        f"{self.backend.chip_flag}={self.chip}"))
        if facts.arch != self.name:
            raise TilefuseError(f"target {self.name}: IREE's chip '{self.chip}' is {facts.arch}, not {self.name}")
        return facts

    @property
    def simds(self) -> int:
        """SIMDs (AMD) / SM sub-partitions (NVIDIA) of the chip: what holds resident waves."""
        per = self.facts.simds_per_workgroup or self.backend.simds_per_processor
        if not self.facts.workgroup_processors or not per:
            raise TilefuseError(f"target {self.name}: IREE's chip '{self.chip}' does not give the machine's size")
        return self.facts.workgroup_processors * per

    @property
    def subgroup_size(self) -> int:
        """IREE's preferred subgroup size (the first of its choices: wave32 on RDNA3, which offers 32 and 64)."""
        return self.facts.subgroup_size_choices[0]

    @property
    def mma_intrinsics(self) -> tuple:
        return self.facts.mma_intrinsics

    @property
    def workgroup_memory_bytes(self) -> int:
        return self.facts.workgroup_memory_bytes

    @cached_property
    def converted_fp8(self) -> frozenset[str]:
        """The fp8 types IREE 3.13 casts to and from (`arith.extf` / `arith.truncf`) on this chip: those it has MMA
        for where the backend converts those (ROCDL), none on NVVM. The others are encoded and decoded with integer
        ops (codegen/stages/widen_kv.py, encode_fp8.py)."""
        if not self.backend.converts_fp8_it_multiplies:
            return frozenset()
        return frozenset(str(t) for i in self.mma_intrinsics for t in Intrinsic.named(i.name).element_types[:2])

    def decodes_fp8(self, *types: str) -> bool:
        """Whether an fp8 K/V cache of these types is widened with integer ops on this chip (one of them is not
        converted: widen-kv's `_decoded`), in registers after its loads."""
        return any(t not in self.converted_fp8 for t in types)


@cache
def _probe(flags: tuple[str, ...]) -> TargetFacts:
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "probe.mlir", Path(tmp) / "probe.sources.mlir"
        src.write_text(_PROBE)
        iree_compile([src, *flags, "--compile-to=executable-sources", "-o", out],
                     what=f"the target probe ({' '.join(flags)})")
        with ir.Context() as ctx:
            ctx.allow_unregistered_dialects = True
            module = ir.Module.parse(out.read_text())
            return TargetFacts.from_target_attr(executable_target(module))


def executable_target(module: ir.Module) -> ir.Attribute:
    """The `#hal.executable.target` of the (first) hal.executable.variant in a module."""
    for op in walk(module.operation):
        if op.name == "hal.executable.variant":
            return op.attributes["target"]
    raise TilefuseError("no hal.executable.variant in the module")


TARGETS = {
    t.name: t
    for t in (
        Target("gfx942", ROCDL, "mi300x"),
        Target("gfx950", ROCDL, "mi355x"),
        Target("gfx1100", ROCDL, "rx7900xtx"),
        Target("sm_80", NVVM, "a100"),
        Target("sm_89", NVVM, "rtx4090"),
    )
}


def get_target(name: str) -> Target:
    try:
        return TARGETS[name]
    except KeyError:
        raise TilefuseError(
            f"unknown target '{name}' (known: {', '.join(TARGETS)})"
        ) from None
