"""Dispatch stage `causal-bound` of the tilefuse path: a workgroup's causal K2 loop ends after the tile holding
its last row's diagonal key, min(K2, ceil((row0 + rows + c) / T) * T): keys beyond are hidden from every row it
owns, never loaded, never multiplied. The bound is the workgroup's (not the subgroup's), so the subgroups of a
workgroup that share K/V tiles through workgroup memory run the same iterations between barriers. In a band
(`causal_window`), the loop also starts at the tile holding its first row's first key.
"""

from __future__ import annotations

import iree.compiler.ir as ir
from iree.compiler.dialects import affine

from ..causal_loops import causal_loops, head_row, loop_step, sym_map, tiles
from ..stage import StageInput, StageResult


def bound_causal_loops(module: ir.Module, stage_input: StageInput) -> StageResult:
    """causal-bound: each causal K2 loop ends at its workgroup's last diagonal tile and, in a band, starts at
    the tile holding its first row's first key."""
    with module.context, ir.Location.unknown():
        for loop, _op, tiling, row0, rows in list(causal_loops(module)):
            step = loop_step(loop)
            c = ir.AffineConstantExpr.get(rows + tiling.causal)
            with ir.InsertionPoint(loop):
                ub = affine.AffineMinOp(sym_map(lambda s0, s1: [s1, tiles(head_row(s0, tiling) + c, step, True)]),
                                        [row0, loop.operands[1]]).result
                if tiling.causal_window is not None:
                    first = ir.AffineConstantExpr.get(tiling.causal - tiling.causal_window + 1)
                    loop.operands[0] = affine.AffineMaxOp(
                        sym_map(lambda s0, s1: [s1, tiles(head_row(s0, tiling) + first, step, False)]),
                        [row0, loop.operands[0]]).result
            loop.operands[1] = ub
    return StageResult(module)
