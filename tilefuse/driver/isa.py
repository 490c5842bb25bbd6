"""Static ISA metrics parsed from the files IREE dumps (`--iree-hal-dump-executable-files-to`).

A metric the dump does not contain is None, never a made-up 0. PTX has virtual registers only: on CUDA targets
registers and spills come from NVIDIA's ptxas (tilefuse/perf/ptxas.py, the `cuda-tools` extra) assembling the
dumped PTX for its target and sm_90; without it they are None and `note` says why.
"""

import re
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import TilefuseError
from ..perf import mca, ptxas
from ..perf.launch import read_exports
from ..target.targets import ROCDL, Backend

# Instruction lines: tab-indented mnemonics; directives start with '.', labels end with ':'.
_AMD_INSTR = re.compile(r"^\s+([a-z][a-z0-9_]*)\b", re.M)
_PTX_INSTR = re.compile(r"^\s+(@!?%\w+\s+)?([a-z][a-z0-9_.]*)\b[^;]*;", re.M)


@dataclass
class IsaMetrics:
    # On CUDA: vgpr = ptxas's registers per thread for the PTX's target, vgpr_spills = its spill stores in 32-bit
    # registers (bytes / 4); `ptxas` holds the full figures per arch.
    vgpr: int | None = None
    sgpr: int | None = None
    vgpr_spills: int | None = None
    sgpr_spills: int | None = None
    lds_bytes: int | None = None
    mma_ops: int | None = None
    instructions: int | None = None
    barriers: int | None = None
    agpr: int | None = None  # AMD accumulation registers (gfx90a+: they share the SIMD's register file)
    # AMD: the registers per lane the hardware allocates (`.amdhsa_next_free_vgpr`: VGPRs and AGPRs of one file on
    # gfx90a+, past `.amdhsa_accum_offset`); `.vgpr_count` (vgpr) can be fewer (design/performance.md, "Occupancy")
    next_free_vgpr: int | None = None
    ptxas: dict | None = None  # {arch: PtxasFigures as a dict}, CUDA only
    mca: dict | None = None  # AMD: llvm-mca on the inner loop (perf/mca.py), or its note; None on CUDA
    note: str | None = None  # why a metric the target has is None

    def to_dict(self) -> dict:
        return asdict(self)


def _kernel_metadata(text: str, kernel: str) -> dict[str, int]:
    """Integer fields of one kernel's entry in the .amdgpu_metadata YAML block."""
    meta = text[text.find(".amdgpu_metadata"):]
    for entry in re.split(r"^  - (?=\.)", meta, flags=re.M)[1:]:
        # YAML quotes a name with characters such as '$' (torch exports' `main$async_dispatch_...`).
        if re.search(rf"^\s*\.name:\s+(['\"]?){re.escape(kernel)}\1\s*$", entry, re.M):
            return {k: int(v) for k, v in re.findall(r"^\s*\.(\w+):\s+(\d+)\s*$", entry, re.M)}
    raise TilefuseError(f"no metadata for kernel '{kernel}' in the .rocmasm")


def _next_free_vgpr(text: str, kernel: str) -> int | None:
    """`.amdhsa_next_free_vgpr` of the kernel's descriptor (`.amdhsa_kernel NAME` ... `.end_amdhsa_kernel`)."""
    block = _section(text, f".amdhsa_kernel {kernel}\n", ".end_amdhsa_kernel")
    found = block and re.search(r"^\s*\.amdhsa_next_free_vgpr\s+(\d+)\s*$", block, re.M)
    return int(found.group(1)) if found else None


def _section(text: str, start: str, end: str) -> str | None:
    i = text.find(start)
    if i < 0:
        return None
    j = text.find(end, i)
    return text[i : j if j >= 0 else len(text)]


def parse_rocmasm(text: str, kernel: str) -> IsaMetrics | None:
    """One kernel of a gfx9 assembly file (IREE may link several executables into one file)."""
    body = _section(text, f"\n{kernel}:\n", "\n.Lfunc_end")
    if body is None:
        return None
    meta = _kernel_metadata(text, kernel)
    mnemonics = _AMD_INSTR.findall(body)
    target = re.search(r'^\s*\.amdgcn_target\s+"[^"]*-(gfx\w+)', text, re.M)
    return IsaMetrics(
        vgpr=meta.get("vgpr_count"),
        agpr=meta.get("agpr_count"),
        next_free_vgpr=_next_free_vgpr(text, kernel),
        sgpr=meta.get("sgpr_count"),
        vgpr_spills=meta.get("vgpr_spill_count"),
        sgpr_spills=meta.get("sgpr_spill_count"),
        lds_bytes=meta.get("group_segment_fixed_size"),
        mma_ops=sum(1 for m in mnemonics if m.startswith(("v_mfma", "v_smfmac", "v_wmma"))),
        instructions=len(mnemonics),
        barriers=sum(1 for m in mnemonics if m == "s_barrier"),
        mca=mca.analyse(body, target.group(1)) if target else {"note": "no .amdgcn_target: no llvm-mca cpu"},
    )


def ptx_symbol(kernel: str) -> str:
    """The name NVPTX gives a kernel: characters PTX identifiers cannot hold become '_' (`main$async_...` is
    `.entry main_async_...`)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", kernel)


def _ptx_entry(text: str, kernel: str) -> str | None:
    """The name of the kernel's .entry in a PTX file, if the file has it."""
    for name in (kernel, ptx_symbol(kernel)):
        if f".entry {name}(" in text:
            return name
    return None


def parse_ptx(text: str, kernel: str, lds_bytes: int | None) -> IsaMetrics | None:
    """One .entry of a PTX file; workgroup memory is what IREE records for the export."""
    entry = _ptx_entry(text, kernel)
    if entry is None:
        return None
    ops = [m[1] for m in _PTX_INSTR.findall(_section(text, f".entry {entry}(", "\n}"))]
    return IsaMetrics(
        lds_bytes=lds_bytes,
        mma_ops=sum(1 for o in ops if o.startswith(("mma.sync", "wgmma"))),
        instructions=len(ops),
        barriers=sum(1 for o in ops if o.startswith(("bar.sync", "barrier.sync"))),
        note=ptxas.unavailable(),
    )


def with_ptxas(metrics: IsaMetrics, ptx: Path, entry: str) -> IsaMetrics:
    """Registers and spills from ptxas for one .entry of `ptx` (unchanged without ptxas)."""
    found = ptxas.figures(ptx, entry)
    if found is None:
        return metrics
    own = next(iter(found.values()))
    metrics.vgpr, metrics.vgpr_spills = own.registers, -(-own.spill_store_bytes // 4)
    metrics.ptxas = {arch: f.to_dict() for arch, f in found.items()}
    return metrics


def workgroup_memory_by_export(ir_dump: str) -> dict[str, int]:
    """Workgroup memory per export, from a --mlir-print-ir-after=iree-codegen-propagate-dispatch-config dump.

    IREE's NVVM conversion records `workgroup_local_memory = N` in the export's attributes when the kernel
    uses shared memory; an export whose attributes (`} <workgroup_size = ...>`) carry none uses 0 bytes.
    """
    return {name: facts.workgroup_memory for name, facts in read_exports(ir_dump).items()}


def _combine(parts: list[IsaMetrics]) -> IsaMetrics:
    """Several exports of one executable: counts add up, resources take the largest."""
    def agg(field, fn):
        vals = [getattr(p, field) for p in parts]
        return None if any(v is None for v in vals) else fn(vals)
    if len(parts) == 1:
        return parts[0]
    return IsaMetrics(
        vgpr=agg("vgpr", max), sgpr=agg("sgpr", max), vgpr_spills=agg("vgpr_spills", sum),
        sgpr_spills=agg("sgpr_spills", sum), lds_bytes=agg("lds_bytes", max), mma_ops=agg("mma_ops", sum),
        instructions=agg("instructions", sum), barriers=agg("barriers", sum), agpr=agg("agpr", max),
        next_free_vgpr=agg("next_free_vgpr", max),
        mca=max(parts, key=lambda p: p.mma_ops or 0).mca,  # the loop of the export with the most MMA
        ptxas=_combine_ptxas([p.ptxas for p in parts]), note=parts[0].note)


def _combine_ptxas(parts: list[dict | None]) -> dict | None:
    if any(p is None for p in parts):
        return None
    summed = ("spill_store_bytes", "spill_load_bytes")
    return {arch: {k: (sum if k in summed else max)(p[arch][k] for p in parts) for k in parts[0][arch]}
            for arch in parts[0]}


def read_metrics(dump_dir: Path, executable: str, backend: Backend, exports: list[str],
                 lds_by_export: dict[str, int]) -> IsaMetrics:
    """Metrics of one executable's exports, found in whichever dumped file holds them."""
    suffix = backend.isa_suffix
    files = {f: f.read_text() for f in sorted(Path(dump_dir).glob(f"module_*.{suffix}"))}
    parts = []
    for export in exports:
        found = None
        for file, text in files.items():
            if backend == ROCDL:
                found = parse_rocmasm(text, export)
            elif (found := parse_ptx(text, export, lds_by_export.get(export))) is not None:
                try:
                    found = with_ptxas(found, file, _ptx_entry(text, export))
                except RuntimeError as e:
                    raise TilefuseError(str(e)) from None
            if found is not None:
                break
        if found is None:
            raise TilefuseError(f"no kernel '{export}' of executable '{executable}' in the .{suffix} files of {dump_dir}")
        parts.append(found)
    return _combine(parts)
