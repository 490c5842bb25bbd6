"""Causal attention on the tilefuse paths' tiles (design/tilefuse-path.md, "Causal attention"): the config's
`causal` field (AttentionTiling.causal = c: row i sees key j <= i + c) decides which K2 tiles a workgroup visits
and which of them compute the mask.

- configure (`causal_region.mask_from_region`): the score region the program stage causal-mask wrote becomes
  an index-computed i1 mask operand inside the dispatch (a linalg.generic on linalg.index, which IREE's tilings
  fuse into each K2 tile with the tile's offsets) and the config's `causal` field.
- causal-bound: a workgroup's K2 loop ends after the tile holding its last row's diagonal key,
  min(K2, ceil((row0 + rows + c) / T) * T): keys beyond are hidden from every row it owns, never loaded, never
  multiplied. The bound is the workgroup's (not the subgroup's), so the subgroups of a workgroup that share K/V
  tiles through workgroup memory run the same iterations between barriers.
- causal-peel: the loop split where tiles stop being visible to the workgroup's first row,
  floor((row0 + c + 1) / T) * T: the loop before it runs the attention without its mask, the loop after it
  (the tiles that cross the diagonal) with the index-computed mask.

Python stages: the bounds come from the config's field and the workgroup forall's row offset, which no
transform op reads; the split point is not a constant, which transform.loop.peel (last iteration only) is not.
"""

from __future__ import annotations

import iree.compiler.ir as ir
from iree.compiler.dialects import affine

from ...ir import irbuild as b
from ..config import AttentionTiling
from ...errors import TilefuseError
from ...ir.attention import attention_shape
from ...ir.facts import ONLINE_ATTENTION
from ...ir.irutil import DYNAMIC, forall_mapping, indexing_maps, ops_named, projected_dims
from ..stage import StageInput, StageResult


def _causal_loops(module: ir.Module):
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


def _sym_map(expr_of) -> ir.AffineMap:
    s0, s1 = ir.AffineSymbolExpr.get(0), ir.AffineSymbolExpr.get(1)
    return ir.AffineMap.get(0, 2, expr_of(s0, s1))


def _tiles(expr: ir.AffineExpr, step: int, ceil: bool) -> ir.AffineExpr:
    """expr rounded to whole tiles of `step` (up or down)."""
    div = ir.AffineExpr.get_ceil_div if ceil else ir.AffineExpr.get_floor_div
    return ir.AffineExpr.get_mul(div(expr, ir.AffineConstantExpr.get(step)), ir.AffineConstantExpr.get(step))


def _head_row(row: ir.AffineExpr, tiling: AttentionTiling) -> ir.AffineExpr:
    """The row within its query head (heads packed into the rows: the row mod the head's rows)."""
    return row if tiling.causal_period is None else ir.AffineExpr.get_mod(row, tiling.causal_period)


def _step(loop) -> int:
    step = loop.operands[2].owner
    if isinstance(step, ir.Block) or step.name != "arith.constant":
        raise TilefuseError("causal tiles: a causal K2 loop without a constant step")
    return ir.IntegerAttr(step.attributes["value"]).value


def bound_causal_loops(module: ir.Module, stage_input: StageInput) -> StageResult:
    """causal-bound: each causal K2 loop ends at its workgroup's last diagonal tile and, in a band, starts at
    the tile holding its first row's first key."""
    with module.context, ir.Location.unknown():
        for loop, _op, tiling, row0, rows in list(_causal_loops(module)):
            step = _step(loop)
            c = ir.AffineConstantExpr.get(rows + tiling.causal)
            with ir.InsertionPoint(loop):
                ub = affine.AffineMinOp(_sym_map(lambda s0, s1: [s1, _tiles(_head_row(s0, tiling) + c, step, True)]),
                                        [row0, loop.operands[1]]).result
                if tiling.causal_window is not None:
                    first = ir.AffineConstantExpr.get(tiling.causal - tiling.causal_window + 1)
                    loop.operands[0] = affine.AffineMaxOp(
                        _sym_map(lambda s0, s1: [s1, _tiles(_head_row(s0, tiling) + first, step, False)]),
                        [row0, loop.operands[0]]).result
            loop.operands[1] = ub
    return StageResult(module)


def peel_causal_loops(module: ir.Module, stage_input: StageInput) -> StageResult:
    """causal-peel: the tiles every row of the workgroup sees whole run without the mask; the diagonal ones after
    them, and in a band the ones crossing its lower edge before them, keep it."""
    with module.context, ir.Location.unknown():
        for loop, op, tiling, row0, rows in list(_causal_loops(module)):
            step = _step(loop)
            c = ir.AffineConstantExpr.get(tiling.causal + 1)
            zero = ir.AffineConstantExpr.get(0)
            with ir.InsertionPoint(loop):
                start = affine.AffineMaxOp(_sym_map(lambda s0, s1: [zero, _tiles(_head_row(s0, tiling) + c, step,
                                                                                  False)]),
                                           [row0, loop.operands[1]]).result
                # not below the loop's start: a band's starts at the tile of its first row's first key, <= start
                split = affine.AffineMinOp(_sym_map(lambda s0, s1: [s0, s1]), [start, loop.operands[1]]).result
                if tiling.causal_window is None:
                    full = _peeled(loop, loop.operands[0], split)
                else:
                    # the first tile the workgroup's last row sees from its first key on
                    edge = ir.AffineConstantExpr.get(rows - 1 + tiling.causal - tiling.causal_window + 1)
                    whole = affine.AffineMaxOp(_sym_map(lambda s0, s1: [zero, _tiles(_head_row(s0, tiling) + edge,
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
