"""The causal K2 loops of a dispatch after reduction-tile, for the stages that shorten and split them
(stages/causal_bound.py, stages/causal_peel.py; design/tilefuse-path.md, "Causal attention"): the config's
`causal` field (AttentionTiling.causal = c: row i sees key j <= i + c) decides which K2 tiles a workgroup visits
and which of them compute the mask. Here: each causal loop with its attention, tiling and the workgroup's first
query row (read where the workgroup forall inserts the result tile), and the affine arithmetic of whole tiles.

Python stages: the bounds come from the config's field and the workgroup forall's row offset, which no
transform op reads; the split point is not a constant, which transform.loop.peel (last iteration only) is not.
"""

from __future__ import annotations

import iree.compiler.ir as ir

from ..errors import TilefuseError
from ..ir import irbuild as b
from ..ir.attention import attention_shape
from ..ir.facts import ONLINE_ATTENTION
from ..ir.irutil import DYNAMIC, forall_mapping, indexing_maps, ops_named, projected_dims
from .config import AttentionTiling


def causal_loops(module: ir.Module):
    """(K2 loop, online_attention, tiling, the workgroup's first query row, its rows) per causal attention."""
    for op in ops_named(module, ONLINE_ATTENTION):
        if "lowering_config" not in op.attributes:
            continue
        tiling = AttentionTiling.from_lowering_config(op.attributes["lowering_config"])
        if tiling.causal is None:
            continue
        loop = op.parent
        if loop.name != "scf.for":
            if _in_one_step(op, tiling):
                continue  # the one K2 tile holds the diagonal: it keeps its mask, nothing to bound or peel
            raise TilefuseError("causal tiles: a causal online_attention outside a K2 loop (reduction-tile first)")
        yield loop, op, tiling, *_workgroup_rows(op)


def _in_one_step(op, tiling: AttentionTiling) -> bool:
    """All keys in one K2 step (M = K2 = 24, say): reduction-tile made no loop."""
    shape = attention_shape(op)
    (k2,) = shape.k2
    return 0 < shape.sizes[k2] <= tiling.reduction[k2]


def _workgroup_rows(op) -> tuple[ir.Value, int]:
    """The first query row of the workgroup and how many it owns, read where the workgroup forall inserts its
    result tile: the offset and size along the m dim's position there. The causal row is the innermost query dim
    (the only one once causal-mask merged them, the innermost piece where IREE split them again:
    renumbered_region); configure tiles the outer ones by 1."""
    m = attention_shape(op).m[-1]
    maps = indexing_maps(op)
    insert, position = _inserted_tile(op, projected_dims(maps[len(maps) - 3]).index(m))
    forall = insert.parent.parent
    offsets = list(ir.DenseI64ArrayAttr(insert.attributes["static_offsets"]))
    rows = list(ir.DenseI64ArrayAttr(insert.attributes["static_sizes"]))[position]
    if offsets[position] != DYNAMIC:
        with ir.InsertionPoint(forall):
            return b.index(offsets[position]), rows
    dynamic = [i for i, o in enumerate(offsets) if o == DYNAMIC]
    return insert.operands[2 + dynamic.index(position)], rows


def _inserted_tile(op, position: int):
    """The workgroup forall's parallel_insert_slice of the tile `op`'s accumulator becomes, and where the
    accumulator's dim at `position` is in it: the accumulator is followed out of its K2 loop, through elementwise
    generics (the normalization; a fused consumer that transposes, as heads merged after a GQA attention) and
    the subgroup forall's insert."""
    value = op.results[0]
    while True:
        uses = list(value.uses)
        if len(uses) != 1:
            raise TilefuseError("causal tiles: the accumulator does not reach the workgroup's result tile alone")
        user, number = uses[0].owner, uses[0].operand_number
        if user.name == "scf.yield" and user.parent.name == "scf.for":
            value = user.parent.results[number]
        elif user.name == "linalg.generic" and number < len(user.operands) - len(user.results):
            maps = indexing_maps(user)
            dim = projected_dims(maps[number])[position]
            position = projected_dims(maps[-1]).index(dim)
            value = user.results[0]
        elif user.name == "tensor.parallel_insert_slice":
            forall = user.parent.parent
            if forall_mapping(forall) == "workgroup":
                return user, position
            dest = ir.BlockArgument(user.operands[1])
            value = forall.results[dest.arg_number - (len(forall.regions[0].blocks[0].arguments) - len(forall.results))]
        else:
            raise TilefuseError(f"causal tiles: the accumulator reaches {user.name} before the workgroup's result tile")


def sym_map(expr_of) -> ir.AffineMap:
    s0, s1 = ir.AffineSymbolExpr.get(0), ir.AffineSymbolExpr.get(1)
    return ir.AffineMap.get(0, 2, expr_of(s0, s1))


def tiles(expr: ir.AffineExpr, step: int, ceil: bool) -> ir.AffineExpr:
    """expr rounded to whole tiles of `step` (up or down)."""
    div = ir.AffineExpr.get_ceil_div if ceil else ir.AffineExpr.get_floor_div
    return ir.AffineExpr.get_mul(div(expr, ir.AffineConstantExpr.get(step)), ir.AffineConstantExpr.get(step))


def head_row(row: ir.AffineExpr, tiling: AttentionTiling) -> ir.AffineExpr:
    """The row within its query head (heads packed into the rows: the row mod the head's rows)."""
    return row if tiling.causal_period is None else ir.AffineExpr.get_mod(row, tiling.causal_period)


def loop_step(loop) -> int:
    step = loop.operands[2].owner
    if isinstance(step, ir.Block) or step.name != "arith.constant":
        raise TilefuseError("causal tiles: a causal K2 loop without a constant step")
    return ir.IntegerAttr(step.attributes["value"]).value
