"""The launch IREE issues for each export, read from IREE's own IR after its lowering.

The count region of `hal.executable.export` says `workgroup_count_from_slice` until IREE resolves it from the
workgroup `scf.forall` (`#iree_codegen.workgroup_mapping`); after `iree-codegen-propagate-dispatch-config` it
returns constants and the export carries `workgroup_size`, `subgroup_size` (and on CUDA the workgroup memory).
The driver prints the IR after that pass for every variant (`--mlir-print-ir-after`, which does not change
what IREE emits); this module reads the exports of that dump. The dump is the LLVM-dialect module of every
kernel, printed to stderr with IREE's notes in between, so it is read line by line rather than parsed whole:
the export's own lines are few and printed in one fixed form.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace

import iree.compiler.ir as ir

from ..errors import NotInterpretable
from ..ir import irutil
from ..interp.tensor import Interpreter

_EXPORT = re.compile(r'hal\.executable\.export public @(?:"([^"]+)"|([\w$.]+))')
_COUNT = re.compile(r" count\((.*)\) -> \((.*)\) \{\s*$")
_CONSTANT = re.compile(r"^\s*(%\w+) = arith\.constant (\d+) : index\s*$")
_RETURN = re.compile(r"^\s*hal\.return (%\w+), (%\w+), (%\w+) :")
_ATTRS = re.compile(r"^\s*\} <(.*workgroup_size.*)>\s*$")


@dataclass(frozen=True)
class Launch:
    workgroups: int | None  # the grid's size; None where the count is not a constant (dynamic shapes)
    grid: tuple[int, int, int] | None
    workgroup_size: tuple[int, int, int]
    subgroup_size: int | None
    subgroups: int | None  # subgroups (waves, warps) per workgroup

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def threads(self) -> int:
        x, y, z = self.workgroup_size
        return x * y * z


@dataclass(frozen=True)
class ExportFacts:
    launch: Launch
    workgroup_memory: int  # bytes IREE records on the export (CUDA); 0 where it records none
    # The count region as a function of the workload, where the count is not a constant (run-time sizes): what
    # `at_workload` evaluates
    count: str | None = None

    def at_workload(self, workload: tuple[int, ...]) -> Launch:
        """The launch at the given workload (the flow.dispatch's, interp/shapes.py): the count region run."""
        if self.count is None:
            return self.launch
        with ir.Context():
            try:
                module = ir.Module.parse(self.count)
            except ir.MLIRError as e:
                raise NotInterpretable(f"the export's count region alone ({irutil.error_line(e)})") from None
            block = next(iter(module.body.operations)).regions[0].blocks[0]
            args = list(block.arguments)
            if len(args) != len(workload) + 1:
                raise NotInterpretable(f"an export's count region of {len(args) - 1} workload values, called with "
                                       f"{len(workload)}")
            grid = tuple(int(v) for v in Interpreter().run_block(block, {args[0]: None, **dict(zip(args[1:],
                                                                                                     workload))}))
        return replace(self.launch, workgroups=grid[0] * grid[1] * grid[2], grid=grid)


def _ints(text: str) -> list[int]:
    return [int(v) for v in re.findall(r"(\d+)(?: : index)?", text)]


def read_exports(ir_dump: str) -> dict[str, ExportFacts]:
    """Every export of a `--mlir-print-ir-after=iree-codegen-propagate-dispatch-config` dump, by name."""
    out: dict[str, ExportFacts] = {}
    name, constants, grid, count = None, {}, None, []
    for line in ir_dump.splitlines():
        m = _EXPORT.search(line)
        if m:
            name, constants, grid = m.group(1) or m.group(2), {}, None
            signature = _COUNT.search(line)
            count = [f"func.func @count({signature.group(1)}) -> ({signature.group(2)}) {{"] if signature else []
            continue
        if name is None:
            continue
        count.append(line.replace("hal.return", "func.return"))
        if m := _CONSTANT.match(line):
            constants[m.group(1)] = int(m.group(2))
        elif m := _RETURN.match(line):
            values = [constants.get(v) for v in m.groups()]
            grid = None if None in values else tuple(values)
        elif m := _ATTRS.match(line):
            attrs = m.group(1)
            size = re.search(r"workgroup_size = \[([^\]]*)\]", attrs)
            sub = re.search(r"subgroup_size = (\d+)", attrs)
            mem = re.search(r"workgroup_local_memory = (\d+)", attrs)
            workgroup_size = tuple(_ints(size.group(1))) if size else (1, 1, 1)
            subgroup_size = int(sub.group(1)) if sub else None
            threads = workgroup_size[0] * workgroup_size[1] * workgroup_size[2]
            launch = Launch(
                workgroups=grid[0] * grid[1] * grid[2] if grid else None, grid=grid,
                workgroup_size=workgroup_size, subgroup_size=subgroup_size,
                subgroups=-(-threads // subgroup_size) if subgroup_size else None)
            region = "\n".join(count[:-1] + ["}"]) if grid is None and count else None
            out[name] = ExportFacts(launch, int(mem.group(1)) if mem else 0, region)
            name = None
    return out
