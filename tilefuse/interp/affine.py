"""Affine maps evaluated on integer (index) values: Python ints, or NumPy integer arrays (one value per
thread in the SIMT interpreter), with the same floor semantics."""

from __future__ import annotations

import iree.compiler.ir as ir

from ..errors import NotInterpretable
from ..ir.irutil import projected_dims


def eval_expr(e, dims: list, syms: list):
    if isinstance(e, ir.AffineConstantExpr):
        return e.value
    if isinstance(e, ir.AffineDimExpr):
        return dims[e.position]
    if isinstance(e, ir.AffineSymbolExpr):
        return syms[e.position]
    lhs, rhs = eval_expr(e.lhs, dims, syms), eval_expr(e.rhs, dims, syms)
    if isinstance(e, ir.AffineAddExpr):
        return lhs + rhs
    if isinstance(e, ir.AffineMulExpr):
        return lhs * rhs
    if isinstance(e, ir.AffineModExpr):
        return lhs % rhs
    if isinstance(e, ir.AffineFloorDivExpr):
        return lhs // rhs
    if isinstance(e, ir.AffineCeilDivExpr):
        return -(-lhs // rhs)
    raise NotInterpretable(f"affine expression {e}")


def eval_map(amap: ir.AffineMap, operands: list) -> list:
    dims, syms = operands[: amap.n_dims], operands[amap.n_dims:]
    return [eval_expr(e, dims, syms) for e in amap.results]


def dim_positions(amap: ir.AffineMap) -> list[int]:
    """The loop dims a projected-permutation map reads, in result order."""
    dims = projected_dims(amap)
    if dims is None:
        raise NotInterpretable(f"indexing map {amap} is not a projected permutation")
    return dims
