"""Causal attention on the tilefuse paths' tiles (design/tilefuse-path.md, "Causal attention"): the config's
`causal` field (AttentionTiling.causal = c: row i sees key j <= i + c) decides which K2 tiles a workgroup visits
and which of them compute the mask.

- configure (`mask_from_region`): the score region the program stage causal-mask wrote becomes an
  index-computed i1 mask operand inside the dispatch (a linalg.generic on linalg.index, which IREE's tilings fuse
  into each K2 tile with the tile's offsets) and the config's `causal` field; the region goes back to keeping the
  score. IREE 3.13 neither offsets iree_linalg_ext.index when it tiles nor decomposes a region that uses it.
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

from dataclasses import replace

import iree.compiler.ir as ir
from iree.compiler.dialects import affine, arith, linalg

from ...ir import irbuild as b
from ...ir.causal import Causal, region_causal
from .causal_mask import band
from ..config import AttentionTiling
from ...errors import TilefuseError
from ...ir.attention import attention_shape
from ...ir.facts import ATTENTION, ONLINE_ATTENTION
from ...ir.irutil import DYNAMIC, forall_mapping, indexing_maps, ops_named, projected_dims, walk
from ..stage import StageInput, StageResult


def mask_from_region(module: ir.Module) -> None:
    """Every attention with a causal score region gets the mask as an operand computed from indices instead
    (ANDed with the mask operand it kept, if any)."""
    with module.context, ir.Location.unknown():
        for op in ops_named(module, ATTENTION):
            causal = region_causal(op)
            indexed = any(inner.name == "iree_linalg_ext.index" for inner in walk(op))
            kept = len(op.operands) == 6
            maps = indexing_maps(op)
            if kept and indexed and not _names_mask_dims(op, causal):
                # IREE 3.13 renumbers the maps, not the region's index ops, when it reshapes an attention's dims
                # (a repeated GQA's heads split into (KV head, group)): a region beside a kept mask names the
                # mask's last two dims, and where it no longer does it is stale. Renumbered from the mask's map
                # where that is provably what it meant, else it goes (the mask implies it).
                causal = renumbered_region(op)
                if causal is None:
                    b.score_identity(op)
                    continue
            elif indexed and causal is None:
                # The same staleness without a kept mask (causal alone, batch 2: IREE splits the batch-head dim
                # and the merged rows); renumbered where provable, else refused below (nothing implies it).
                causal = renumbered_region(op)
            if causal is None:
                if indexed:
                    raise TilefuseError("configure: a score region with iree_linalg_ext.index that is not a "
                                        "causal mask or band alone (IREE 3.13 cannot tile or decompose it)")
                continue
            shape = attention_shape(op)
            (k2,), m = shape.k2, causal.row
            dims = sorted({m, k2} | set(projected_dims(maps[4]) if kept else ()))
            with ir.InsertionPoint(op):
                mask = _index_mask([shape.sizes[d] for d in dims], dims.index(m), dims.index(k2), causal,
                                   (op.operands[4], maps[4], dims) if kept else None)
                mask_map = ir.AffineMap.get(len(shape.sizes), 0, [ir.AffineDimExpr.get(d) for d in dims])
                new = b.rebuilt_attention(op, [*op.operands[:4], mask, op.operands[-1]],
                                          [*maps[:4], mask_map, maps[-1]])
            b.score_identity(new)
            op.result.replace_all_uses_with(new.result)
            op.erase()


def _names_mask_dims(op, causal: Causal | None) -> bool:
    """Whether the region's row and key are the kept mask's last two dims (what causal-mask wrote)."""
    mask_dims = projected_dims(indexing_maps(op)[4]) or []
    return causal is not None and mask_dims[-2:] == [causal.row, *attention_shape(op).k2]


def renumbered_region(op) -> Causal | None:
    """The causal region of `op` that IREE left stale, with its row and key renumbered to the op's innermost
    query dim x and its key dim; None (and the region unchanged) where that is not provably its meaning.

    causal-mask wrote `j <= (r mod p) + c` for the op's one query dim r and one key dim j (it merges the query
    dims into one, and beside a kept mask they are the mask's last two: it refuses a kept mask whose last two are
    not those). IREE's reshapes regroup dims in order (a dim split into consecutive ones, consecutive dims of one
    kind merged: a query dim only with query dims, which K lacks and Q, O and the mask read together), so here the
    query dims are r's pieces, outermost first, and r = r' * size(x) + x for x the innermost piece: r mod p = x mod
    p where p divides size(x). The key is j where the op has one key dim. x is the mask's second-last dim beside a
    kept mask (its last the key dim); without one, the last of the op's query dims, which must be consecutive,
    with the dims the region reads placed as an in-order regrouping of the op it was written on puts them
    (`_regrouped`). In both, x is the innermost query dim in Q, O (and the mask) and the last query dim, the region
    reads exactly two dims, the row through `remui` by a p that divides size(x), and the renumbered region is then
    causal over x."""
    shape = attention_shape(op)
    maps = indexing_maps(op)
    kept = len(op.operands) == 6
    if len(shape.k2) != 1 or not shape.m:
        return None
    if kept:
        mask_dims = projected_dims(maps[4]) or []
        if len(mask_dims) < 2 or mask_dims[-1] != shape.k2[0]:
            return None
        x = mask_dims[-2]
    else:
        x = shape.m[-1]
        if list(shape.m) != list(range(shape.m[0], x + 1)):
            return None
    operands = (maps[0], maps[-1], maps[4]) if kept else (maps[0], maps[-1])
    innermost = [[d for d in projected_dims(m) or [] if d in shape.m][-1:] for m in operands]
    if x != shape.m[-1] or any(last != [x] for last in innermost):
        return None
    reads = [inner for inner in walk(op) if inner.name == "iree_linalg_ext.index"]
    dims = {ir.IntegerAttr(inner.attributes["dim"]).value for inner in reads}
    rows = {ir.IntegerAttr(inner.attributes["dim"]).value for inner in reads
            if any(_remainder_by(use.owner, shape.sizes[x]) for use in inner.result.uses)}
    if len(dims) != 2 or len(rows) != 1:
        return None
    (row,) = rows  # the other dim read is the key dim
    (key,) = dims - rows
    if not kept and not _regrouped(row, key, shape.m[0], x, shape.k2[0]):
        return None
    i64 = ir.IntegerType.get_signless(64)
    for inner in reads:
        inner.attributes["dim"] = ir.IntegerAttr.get(i64, x if ir.IntegerAttr(inner.attributes["dim"]).value == row
                                                     else shape.k2[0])
    causal = region_causal(op)
    return causal if causal is not None and causal.row == x else None


def _regrouped(row: int, key: int, first: int, x: int, k2: int) -> bool:
    """Whether an in-order regrouping of dims (each old dim a run of consecutive new ones) can take old dim `row`
    to the run `first..x` (the query dims: the one query dim's pieces) and old dim `key` to the one new key dim
    `k2`: `row` old dims before it, as runs of the `first` new dims before it, and `key - row - 1` between the two
    as runs of the new dims between."""
    def runs(old: int, new: int) -> bool:  # `old` runs of one or more dims cover `new` dims
        return old == new == 0 or 1 <= old <= new

    return row < key and x < k2 and runs(row, first) and runs(key - row - 1, k2 - x - 1)


def _remainder_by(op, size: int) -> bool:
    """`op` is arith.remui by a constant that divides `size`."""
    if op.name != "arith.remui" or op.operands[1].owner.name != "arith.constant":
        return False
    period = ir.IntegerAttr(op.operands[1].owner.attributes["value"]).value
    return period > 0 and size % period == 0


def _index_mask(sizes: list[int], row: int, key: int, causal: Causal, kept) -> ir.Value:
    """mask[.., i, .., j] = j <= (i mod period) + offset (and the band's lower edge), as a generic on
    linalg.index (no mod where the period is all the rows); `kept` (the mask operand, its map, the attention
    dims of the new mask): combined with it, as its element type says (i1: and; additive: select(visible,
    mask, -inf))."""
    period = causal.period if causal.period not in (None, sizes[row]) else None
    local = replace(causal, period=period)
    i1 = ir.IntegerType.get_signless(1)
    if kept is None:
        return b.elementwise(b.empty(sizes, i1), lambda _block: band(b.linalg_index(row), b.linalg_index(key), local),
                             in_place=False)
    mask, mask_map, dims = kept
    elem = b.element_type(mask)
    in_map = ir.AffineMap.get(len(dims), 0, [ir.AffineDimExpr.get(dims.index(d)) for d in projected_dims(mask_map)])
    out = b.empty(sizes, elem)
    maps = [ir.AffineMapAttr.get(m) for m in (in_map, ir.AffineMap.get_identity(len(dims)))]
    op = linalg.GenericOp([out.type], [mask], [out], ir.ArrayAttr.get(maps), [linalg.IteratorType.parallel] * len(dims))
    block = op.regions[0].blocks.append(elem, elem)
    with ir.InsertionPoint(block):
        visible = band(b.linalg_index(row), b.linalg_index(key), local)
        value = (arith.AndIOp(visible, block.arguments[0]).result if elem == i1
                 else b.select(visible, block.arguments[0], b.constant(elem, float("-inf"))))
        linalg.YieldOp([value])
    return op.result


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
