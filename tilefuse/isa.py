"""Static ISA metrics parsed from the files IREE dumps (`--iree-hal-dump-executable-files-to`).

A metric the dump does not contain is None, never a made-up 0: PTX has virtual registers only, so
register and spill counts are None on CUDA targets.
"""

import re
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import TilefuseError

# Instruction lines: tab-indented mnemonics; directives start with '.', labels end with ':'.
_AMD_INSTR = re.compile(r"^\s+([a-z][a-z0-9_]*)\b", re.M)
_PTX_INSTR = re.compile(r"^\s+(@!?%\w+\s+)?([a-z][a-z0-9_.]*)\b[^;]*;", re.M)


@dataclass
class IsaMetrics:
    vgpr: int | None = None
    sgpr: int | None = None
    vgpr_spills: int | None = None
    sgpr_spills: int | None = None
    lds_bytes: int | None = None
    mma_ops: int | None = None
    instructions: int | None = None
    barriers: int | None = None

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
    return IsaMetrics(
        vgpr=meta.get("vgpr_count"),
        sgpr=meta.get("sgpr_count"),
        vgpr_spills=meta.get("vgpr_spill_count"),
        sgpr_spills=meta.get("sgpr_spill_count"),
        lds_bytes=meta.get("group_segment_fixed_size"),
        mma_ops=sum(1 for m in mnemonics if m.startswith(("v_mfma", "v_smfmac", "v_wmma"))),
        instructions=len(mnemonics),
        barriers=sum(1 for m in mnemonics if m == "s_barrier"),
    )


def ptx_symbol(kernel: str) -> str:
    """The name NVPTX gives a kernel: characters PTX identifiers cannot hold become '_' (`main$async_...` is
    `.entry main_async_...`)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", kernel)


def parse_ptx(text: str, kernel: str, lds_bytes: int | None) -> IsaMetrics | None:
    """One .entry of a PTX file; workgroup memory is what IREE records for the export."""
    body = _section(text, f".entry {kernel}(", "\n}") or _section(text, f".entry {ptx_symbol(kernel)}(", "\n}")
    if body is None:
        return None
    ops = [m[1] for m in _PTX_INSTR.findall(body)]
    return IsaMetrics(
        lds_bytes=lds_bytes,
        mma_ops=sum(1 for o in ops if o.startswith(("mma.sync", "wgmma"))),
        instructions=len(ops),
        barriers=sum(1 for o in ops if o.startswith(("bar.sync", "barrier.sync"))),
    )


def workgroup_memory_by_export(ir_dump: str) -> dict[str, int]:
    """Workgroup memory per export, from a --mlir-print-ir-after=iree-codegen-propagate-dispatch-config dump.

    IREE's NVVM conversion records `workgroup_local_memory = N` in the export's attributes when the kernel
    uses shared memory; an export whose attributes (`} <workgroup_size = ...>`) carry none uses 0 bytes.
    """
    out = {}
    current = None
    for line in ir_dump.splitlines():
        m = re.search(r'hal\.executable\.export public @(?:"([^"]+)"|([\w$.]+))', line)
        if m:
            current = m.group(1) or m.group(2)
        elif current and re.match(r"\s*\} <.*workgroup_size", line):
            m = re.search(r"workgroup_local_memory = (\d+)", line)
            out[current] = int(m.group(1)) if m else 0
            current = None
    return out


def _combine(parts: list[IsaMetrics]) -> IsaMetrics:
    """Several exports of one executable: counts add up, resources take the largest."""
    def agg(field, fn):
        vals = [getattr(p, field) for p in parts]
        return None if any(v is None for v in vals) else fn(vals)
    return IsaMetrics(
        vgpr=agg("vgpr", max), sgpr=agg("sgpr", max), vgpr_spills=agg("vgpr_spills", sum),
        sgpr_spills=agg("sgpr_spills", sum), lds_bytes=agg("lds_bytes", max), mma_ops=agg("mma_ops", sum),
        instructions=agg("instructions", sum), barriers=agg("barriers", sum))


def read_metrics(dump_dir: Path, executable: str, family: str, exports: list[str],
                 lds_by_export: dict[str, int]) -> IsaMetrics:
    """Metrics of one executable's exports, found in whichever dumped file holds them."""
    suffix = "rocmasm" if family == "rocdl" else "ptx"
    texts = [f.read_text() for f in sorted(Path(dump_dir).glob(f"module_*.{suffix}"))]
    parts = []
    for export in exports:
        found = None
        for text in texts:
            found = (parse_rocmasm(text, export) if family == "rocdl"
                     else parse_ptx(text, export, lds_by_export.get(export)))
            if found is not None:
                break
        if found is None:
            raise TilefuseError(f"no kernel '{export}' of executable '{executable}' in the .{suffix} files of {dump_dir}")
        parts.append(found)
    return _combine(parts)
