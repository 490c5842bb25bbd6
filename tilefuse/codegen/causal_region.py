"""The causal score region as IR, written and read back by several stages (below them all, so no stage imports
another): causal-mask and pad-to-tiles write it (`causal_region`: select(j <= (i mod period) + offset, score, -inf)
in the attention's own region, with iree_linalg_ext.index), configure turns it back into an index-computed mask
operand and the config's `causal` field (`mask_from_region`: IREE 3.13 neither offsets iree_linalg_ext.index when
it tiles nor decomposes a region that uses it). design/tilefuse-path.md, "Causal attention".
"""

from __future__ import annotations

from dataclasses import replace

import iree.compiler.ir as ir
from iree.compiler.dialects import arith, linalg

from ..errors import TilefuseError
from ..ir import irbuild as b
from ..ir.attention import attention_shape
from ..ir.causal import Causal, region_causal
from ..ir.facts import ATTENTION
from ..ir.irutil import indexing_maps, ops_named, projected_dims, walk


def causal_region(op, causal: Causal, k2: int) -> None:
    """The score region of `op` (one that keeps the score) becomes select(j <= (i mod period) + offset, score,
    -inf), and with a window j >= (i mod period) + offset - window + 1 too."""
    f32, index = ir.F32Type.get(), ir.IndexType.get()
    block = op.regions[0].blocks[0]
    list(block.operations)[-1].erase()
    i64 = ir.IntegerType.get_signless(64)
    with ir.InsertionPoint(block):
        i, j = (ir.Operation.create("iree_linalg_ext.index", [index], [],
                                    {"dim": ir.IntegerAttr.get(i64, d)}).result for d in (causal.row, k2))
        visible = band(i, j, causal)
        kept = b.select(visible, block.arguments[0], b.constant(f32, float("-inf")))
        ir.Operation.create("iree_linalg_ext.yield", [], [kept])


def band(i: ir.Value, j: ir.Value, causal: Causal) -> ir.Value:
    """Whether row i sees key j: j <= r + offset (and j >= r + offset - window + 1), r = i mod period."""
    row = visible_row(i, causal.period)
    visible = arith.CmpIOp(arith.CmpIPredicate.sle, j, arith.AddIOp(row, b.index(causal.offset)).result).result
    if causal.window is None:
        return visible
    first = arith.AddIOp(row, b.index(causal.offset - causal.window + 1)).result
    return arith.AndIOp(visible, arith.CmpIOp(arith.CmpIPredicate.sge, j, first).result).result


def visible_row(i: ir.Value, period: int | None) -> ir.Value:
    return i if period is None else arith.RemUIOp(i, b.index(period)).result


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
