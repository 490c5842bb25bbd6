"""llvm-mca on a kernel's inner loop: an independent cycle count for the compute part (design/performance.md,
"llvm-mca cross-check").

LLVM's AMDGPU backend has scheduling models per GPU; `llvm-mca -mtriple=amdgcn -mcpu=gfx942` runs the loop body of
a dumped .rocmasm through it. Its unit is a pass, 4 clocks of a SIMD (one wave64 VALU instruction is 1;
v_mfma_f32_32x32x8_f16 is 8, 32 clocks: 512 flops per clock per SIMD, the MI300X datasheet's rate). What it gives:

    rthroughput           passes one wave's iteration keeps its SIMD's busiest unit busy (what waves sharing
                          the SIMD contend for: the compute part)
    cycles_per_iteration  passes one wave alone takes per iteration, with the model's own fixed memory latencies

The tool is LLVM's (Debian: `apt-get install llvm-22`); 19 aborts on the MUBUF loads IREE's kernels use, so the
newest `llvm-mca-NN` on PATH with NN >= MIN_MAJOR is taken. Without it the figures are absent and say why.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache

from ..errors import TilefuseError

MIN_MAJOR = 22  # tested: 22 runs IREE's gfx942 loops; 19 aborts on buffer_load (20, 21 untested)
CLOCKS_PER_PASS = 4  # a wave64 instruction on a 16-lane SIMD
ITERATIONS = 100
# llvm-mca 22 ran for minutes on a 1559-instruction gfx942 loop of per-element masked loads (a run-time M and K2,
# d=80: 89 exec-masked branches): a compile waits this long for it at most
MCA_SECONDS = 60

_LABEL = re.compile(r"^(\.?[\w.$]+):", re.M)
_BRANCH = re.compile(r"^\s+s_cbranch_\w+\s+(\S+)", re.M)
_INSTRUCTION = re.compile(r"^\s+([a-z][a-z0-9_]*)\b")
MISSING = f"llvm-mca {MIN_MAJOR}+ not found (Debian: apt-get install llvm-{MIN_MAJOR}): no cycle cross-check"


@cache
def tool() -> str | None:
    """The newest llvm-mca-NN on PATH with NN >= MIN_MAJOR."""
    for major in range(40, MIN_MAJOR - 1, -1):
        if path := shutil.which(f"llvm-mca-{major}"):
            return path
    return None


def inner_loop(body: str) -> list[str] | None:
    """The instructions of a kernel body's K2 loop: of the blocks that a conditional branch jumps back to (a label
    before the branch), the one with the most MFMA instructions, then the longest; None without a loop."""
    lines = body.splitlines()
    labels = {m.group(1): i for i, line in enumerate(lines) if (m := _LABEL.match(line))}
    loops = []
    for i, line in enumerate(lines):
        m = _BRANCH.match(line)
        if m and m.group(1) in labels and labels[m.group(1)] < i:
            body = [line.split(";")[0].strip() for line in lines[labels[m.group(1)] + 1:i]
                    if _INSTRUCTION.match(line)]
            loops.append(body)
    if not loops:
        return None
    return max(loops, key=lambda body: (sum(op.startswith("v_mfma") for op in body), len(body)))


def parse(output: str) -> dict:
    """llvm-mca's summary: iterations, total cycles, instructions per iteration, block reciprocal throughput."""
    def field(name: str) -> float:
        m = re.search(rf"^{name}:\s+([\d.]+)", output, re.M)
        if m is None:
            raise TilefuseError(f"llvm-mca: no '{name}' in its output")
        return float(m.group(1))
    iterations = field("Iterations")
    return {"instructions": int(field("Instructions") / iterations),
            "cycles_per_iteration": field("Total Cycles") / iterations,
            "rthroughput": field("Block RThroughput")}


def analyse(body: str, mcpu: str) -> dict:
    """llvm-mca's figures for a kernel body's inner loop, or a note saying why there are none."""
    exe = tool()
    if exe is None:
        return {"note": MISSING}
    loop = inner_loop(body)
    if loop is None:
        return {"note": "no loop in the kernel: nothing for llvm-mca to count"}
    try:
        run = subprocess.run([exe, "-mtriple=amdgcn", f"-mcpu={mcpu}", f"-iterations={ITERATIONS}"],
                             input="\n".join(loop) + "\n", capture_output=True, text=True, timeout=MCA_SECONDS)
    except subprocess.TimeoutExpired:
        return {"note": f"llvm-mca did not finish on the loop ({len(loop)} instructions) in {MCA_SECONDS} s"}
    if run.returncode != 0:
        return {"note": f"llvm-mca failed on the loop: {(run.stderr.strip().splitlines() or ['?'])[0]}"}
    return {"tool": exe.rsplit("/", 1)[-1], "mcpu": mcpu, "unit": f"pass ({CLOCKS_PER_PASS} clocks)",
            **parse(run.stdout)}
