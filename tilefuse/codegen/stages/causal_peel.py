"""Dispatch stage `causal-peel` of the tilefuse path, after causal-bound: the K2 loop split where tiles stop
being visible to the workgroup's first row, floor((row0 + c + 1) / T) * T: the loop before it runs the attention
without its mask, the loop after it (the tiles that cross the diagonal) with the index-computed mask; in a band,
the tiles crossing its lower edge get a masked loop of their own before the whole ones.
"""

from __future__ import annotations

import iree.compiler.ir as ir
from iree.compiler.dialects import affine

from ...ir import irbuild as b
from ...ir.facts import ONLINE_ATTENTION
from ...ir.irutil import indexing_maps, projected_dims
from ..causal_loops import causal_loops, head_row, loop_step, sym_map, tiles
from ..stage import StageInput, StageResult


def peel_causal_loops(module: ir.Module, stage_input: StageInput) -> StageResult:
    """causal-peel: the tiles every row of the workgroup sees whole run without the mask; the diagonal ones after
    them, and in a band the ones crossing its lower edge before them, keep it."""
    with module.context, ir.Location.unknown():
        for loop, op, tiling, row0, rows in list(causal_loops(module)):
            step = loop_step(loop)
            c = ir.AffineConstantExpr.get(tiling.causal + 1)
            zero = ir.AffineConstantExpr.get(0)
            with ir.InsertionPoint(loop):
                start = affine.AffineMaxOp(sym_map(lambda s0, s1: [zero, tiles(head_row(s0, tiling) + c, step,
                                                                                  False)]),
                                           [row0, loop.operands[1]]).result
                # not below the loop's start: a band's starts at the tile of its first row's first key, <= start
                split = affine.AffineMinOp(sym_map(lambda s0, s1: [s0, s1]), [start, loop.operands[1]]).result
                if tiling.causal_window is None:
                    full = _peeled(loop, loop.operands[0], split)
                else:
                    # the first tile the workgroup's last row sees from its first key on
                    edge = ir.AffineConstantExpr.get(rows - 1 + tiling.causal - tiling.causal_window + 1)
                    whole = affine.AffineMaxOp(sym_map(lambda s0, s1: [zero, tiles(head_row(s0, tiling) + edge,
                                                                                       step, True)]),
                                               [row0, loop.operands[1]]).result
                    whole = _clamped(whole, loop.operands[0], split)
                    lower = _peeled(loop, loop.operands[0], whole)
                    full = _peeled(loop, whole, split)
                    _chain(lower, full)
            _chain(full, loop)
            loop.operands[0] = split
            _drop_mask(next(o for o in full.regions[0].blocks[0].operations
                            if o.name == ONLINE_ATTENTION))
    return StageResult(module)


def _clamped(value: ir.Value, lo: ir.Value, hi: ir.Value) -> ir.Value:
    """min(max(value, lo), hi): a split point inside the loop's range."""
    s0, s1, s2 = (ir.AffineSymbolExpr.get(i) for i in range(3))
    low = affine.AffineMaxOp(ir.AffineMap.get(0, 2, [s0, s1]), [value, lo]).result
    return affine.AffineMinOp(ir.AffineMap.get(0, 2, [s0, s1]), [low, hi]).result


def _peeled(loop, lb: ir.Value, ub: ir.Value):
    """A copy of `loop` before it, over [lb, ub)."""
    copy = loop.operation.clone()
    copy.operands[0] = lb
    copy.operands[1] = ub
    return copy


def _chain(first, then) -> None:
    """`then` starts from the results of `first` (its iter_args' initial values)."""
    for i, r in enumerate(first.results):
        then.operands[3 + i] = r


def _drop_mask(op) -> None:
    """The online_attention without its index-computed mask: with none, or with the mask operand the program kept
    (the generic's input: a runtime padding mask) alone. The mask's producer goes if nothing else uses it."""
    mask = op.operands[4]
    maps = indexing_maps(op)
    producer = mask.owner
    kept = []
    if producer.name == "linalg.generic" and len(producer.operands) == 2:
        in_dims = projected_dims(indexing_maps(producer)[0])
        mask_dims = projected_dims(maps[4])
        kept_map = ir.AffineMap.get(maps[4].n_dims, 0, [ir.AffineDimExpr.get(mask_dims[p]) for p in in_dims])
        kept = [(producer.operands[0], kept_map)]
    with ir.InsertionPoint(op):
        new = b.rebuilt_attention(op, [*op.operands[:4], *(v for v, _ in kept), *op.operands[5:]],
                                  [*maps[:4], *(m for _, m in kept), *maps[5:]])
    for old, r in zip(op.results, new.results):
        old.replace_all_uses_with(r)
    op.erase()
    if producer.name == "linalg.generic" and not list(mask.uses):
        empty = producer.operands[-1].owner
        producer.erase()
        if empty.name == "tensor.empty" and not list(empty.results[0].uses):
            empty.erase()
