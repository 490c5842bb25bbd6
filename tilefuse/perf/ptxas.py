"""NVIDIA's ptxas on the PTX IREE dumps: the register, spill, shared-memory and barrier figures PTX itself
cannot give (its registers are virtual). ptxas comes from PyPI (`nvidia-cuda-nvcc-cu12`, the `cuda-tools`
extra), so the figures need no CUDA installation; without the extra they are None and `unavailable()` says why.

`ptxas -arch=ARCH -v` assembles every entry of a file and prints, per entry:

    ptxas info    : Compiling entry function 'NAME' for 'sm_80'
    ptxas info    : Function properties for NAME
        0 bytes stack frame, 24 bytes spill stores, 24 bytes spill loads
    ptxas info    : Used 168 registers, used 1 barriers, 17408 bytes smem, 384 bytes cmem[0]
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from ..target.iree_tools import PTXAS_DISTRIBUTION, find, tool

# The PTX's own `.target` (sm_80: the code IREE emits for an A100; ptxas refuses an older arch than it) and
# sm_90: the same PTX assembled for an H100 (which runs sm_80 code through the PTX JIT, i.e. this assembly).
HOPPER = "sm_90"
_TARGET = re.compile(r"^\.target\s+(sm_\d+)", re.M)


def archs(ptx_text: str) -> tuple[str, ...]:
    """The archs a PTX file is assembled for: its own `.target`, then sm_90."""
    m = _TARGET.search(ptx_text)
    if m is None:
        raise RuntimeError("the PTX has no .target sm_NN line")
    return tuple(dict.fromkeys((m.group(1), HOPPER)))

_ENTRY = re.compile(r"Compiling entry function '([^']+)' for '(\w+)'")
_FRAME = re.compile(r"(\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads")
_USED = re.compile(r"Used (\d+) registers")


@dataclass(frozen=True)
class PtxasFigures:
    registers: int  # per thread
    spill_store_bytes: int
    spill_load_bytes: int
    stack_frame_bytes: int
    static_shared_bytes: int  # IREE's kernels use dynamic shared memory, which ptxas does not see (isa.lds_bytes)
    barriers: int  # named barriers the kernel uses (not barrier instructions)

    def to_dict(self) -> dict:
        return asdict(self)


def parse(text: str) -> dict[str, PtxasFigures]:
    """Figures per entry function of one `ptxas -v` run (its stderr)."""
    out, name, frame = {}, None, (0, 0, 0)
    for line in text.splitlines():
        if m := _ENTRY.search(line):
            name, frame = m.group(1), (0, 0, 0)
        elif m := _FRAME.search(line):
            frame = tuple(int(v) for v in m.groups())
        elif name and (m := _USED.search(line)):
            smem = re.search(r"(\d+) bytes smem", line)
            barriers = re.search(r"used (\d+) barriers", line)
            out[name] = PtxasFigures(int(m.group(1)), frame[1], frame[2], frame[0],
                                     int(smem.group(1)) if smem else 0, int(barriers.group(1)) if barriers else 0)
            name = None
    return out


def binary() -> Path | None:
    """The ptxas of the installed `nvidia-cuda-nvcc-cu12` wheel (iree_tools resolves it), or None."""
    return find("ptxas")


def unavailable() -> str | None:
    """Why there are no ptxas figures (one line), or None when ptxas is installed."""
    if binary() is None:
        return f"ptxas not installed: pip install 'tilefuse[cuda-tools]' (the {PTXAS_DISTRIBUTION} wheel)"
    return None


@cache
def _assemble(ptx: Path, arch: str, stamp: tuple) -> dict[str, PtxasFigures]:
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run([tool("ptxas"), f"-arch={arch}", "-v", str(ptx), "-o", str(Path(tmp) / "out.cubin")],
                              capture_output=True, text=True)
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise RuntimeError(f"ptxas -arch={arch} {ptx.name} failed: {last}")
    return parse(done.stderr + done.stdout)


def figures(ptx: Path, entry: str) -> dict[str, PtxasFigures] | None:
    """{arch: figures} of one entry of a PTX file, the PTX's own arch first (`archs`), or None without ptxas.
    A file is assembled once per arch (every entry of it at once), again only when it changes."""
    if binary() is None:
        return None
    stat = ptx.stat()
    out = {}
    for arch in archs(ptx.read_text()):
        found = _assemble(ptx, arch, (stat.st_mtime_ns, stat.st_size)).get(entry)
        if found is None:
            raise RuntimeError(f"ptxas -arch={arch} reports no entry '{entry}' in {ptx.name}")
        out[arch] = found
    return out
