"""Program stage `split-k2` of the tilefuse paths (flash-decoding): a decode-like attention (its query rows one
MMA tile, too few workgroups to fill the machine, heuristics.k2_splits) becomes S attentions over K2/S keys
each and a combine:

    K, V               --expand_shape-->        (..., S, K2/S, d): S a batch dim (K, V and the partials index it)
    online_attention   three results per split:  acc_s (unnormalized, f32), max_s, sum_s
    combine            linalg ops:               M = max_s max_s, w_s = 2^(max_s - M),
                                                 out = sum_s acc_s w_s / sum_s sum_s w_s

The max is in IREE's units, log2: its decomposition folds log2(e) into the scale and exponentiates with exp2,
so the combine does too. Each (head, split) is one workgroup reading K2/S keys; the combine reads the small
partials. A Python stage: no transform op splits an attention's reduction into a batch dim. Why and the
numbers: design/tilefuse-path.md, "Decode".
"""

from __future__ import annotations

import iree.compiler.ir as ir
from iree.compiler.dialects import arith, linalg, math as math_d, tensor

from . import irbuild as b
from .errors import TilefuseError
from .heuristics import k2_splits, k2_tile
from .irutil import indexing_maps, projected_dims, walk
from .program_stage import rewrite_attention_ops

# The running max starts at the lowest finite f32 (not -inf): a split whose scores are all -inf then weighs 0
# in the combine instead of giving NaN (2^(-inf - -inf)).
_LOWEST = -3.4028234663852886e38


def split_k2(module: ir.Module, stage_ctx) -> None:
    override = ((stage_ctx.config_overrides or {}).get("tiling") or {}).get("k2_splits")

    def split(op, shape):
        if len(list(op.operands)) != 5 or any(o.name == "iree_linalg_ext.index" for o in walk(op)):
            return None  # a mask or a score region reading indices: not split (no decode of the suite has one)
        splits = k2_splits(shape, stage_ctx.target) if override is None else override
        if not splits or splits == 1:
            return None
        tiles, rest = divmod(shape.sizes[shape.k2[0]], k2_tile(shape, stage_ctx.target))
        if rest or tiles % splits:
            raise TilefuseError(f"config: k2_splits={splits} does not divide the {tiles} K2 tiles of the attention")
        return _split(op, shape, splits)

    rewrite_attention_ops(module, stage_ctx, split)


def _split(op, shape, splits: int) -> dict:
    maps = indexing_maps(op)
    q, k, v, scale, out = op.operands
    rank = len(shape.sizes)
    (k2,), m0 = shape.k2, shape.m[0]
    s = rank  # the split: a new last iteration dim
    f32 = ir.F32Type.get()
    # The partial results: O's dims with the split before the first query dim; max and sum without N.
    part_dims = _insert(projected_dims(maps[-1]), s, before=m0)
    row_dims = [d for d in part_dims if d not in shape.n]
    sizes = list(shape.sizes) + [splits]
    sizes[k2] //= splits
    with ir.InsertionPoint(op):
        k5, v5 = (_split_keys(t, amap, k2, splits) for t, amap in ((k, maps[1]), (v, maps[2])))
        acc0 = _filled([sizes[d] for d in part_dims], f32, 0.0)
        max0 = _filled([sizes[d] for d in row_dims], f32, _LOWEST)
        sum0 = _filled([sizes[d] for d in row_dims], f32, 0.0)
        new_maps = [_map(rank + 1, projected_dims(maps[0])),
                    *(_map(rank + 1, _insert(projected_dims(amap), s, before=k2)) for amap in maps[1:3]),
                    _map(rank + 1, []), _map(rank + 1, part_dims), _map(rank + 1, row_dims),
                    _map(rank + 1, row_dims)]
        partial = b.rebuilt_attention(op, [q, k5, v5, scale, acc0, max0, sum0], new_maps,
                                      [acc0.type, max0.type, sum0.type], name="iree_linalg_ext.online_attention")
        n_at = [i for i, d in enumerate(part_dims) if d in shape.n]
        normalized, lse = _partials(*partial.results, n_at)
        result = _combine(normalized, _column_zero(lse, n_at), part_dims.index(s), n_at, out)
    op.result.replace_all_uses_with(result)
    op.erase()
    if out.owner.name == "tensor.empty" and not list(out.uses):
        out.owner.erase()
    return {"k2_splits": splits, "keys_per_split": sizes[k2]}


def _insert(dims: list[int], new: int, before: int) -> list[int]:
    at = dims.index(before)
    return dims[:at] + [new] + dims[at:]


def _map(rank: int, dims: list[int]) -> ir.AffineMap:
    return ir.AffineMap.get(rank, 0, [ir.AffineDimExpr.get(d) for d in dims])


def _filled(shape_: list[int], elem: ir.Type, value: float) -> ir.Value:
    return linalg.fill(b.constant(elem, value), outs=[b.empty(shape_, elem)])


def _split_keys(t: ir.Value, amap: ir.AffineMap, k2: int, splits: int) -> ir.Value:
    """K or V with its key dim expanded to (splits, keys per split)."""
    at = projected_dims(amap).index(k2)
    shape_ = b.shape(t)
    groups = [[i] for i in range(at)] + [[at, at + 1]] + [[i + 1] for i in range(at + 1, len(shape_))]
    return b.expand_shape(t, groups, shape_[:at] + [splits, shape_[at] // splits] + shape_[at + 1:])


def _partials(acc: ir.Value, max_: ir.Value, sum_: ir.Value, n_at: list[int]) -> tuple[ir.Value, ir.Value]:
    """(acc / sum, max + log2(sum)) of each split, both over acc's dims: the log-sum-exp of a row is repeated
    along N, so it has the accumulator's lane layout in the split dispatch and no two lanes write one element
    (a row vector is held by every lane of the row: lanes/ writes whole windows)."""
    f32 = ir.F32Type.get()
    dims = list(range(len(b.shape(acc))))
    rows = [d for d in dims if d not in n_at]
    outs = [b.empty(b.shape(acc), f32) for _ in range(2)]
    op = linalg.GenericOp([o.type for o in outs], [acc, max_, sum_], outs,
                          ir.ArrayAttr.get([ir.AffineMapAttr.get(_map(len(dims), d)) for d in (dims, rows, rows, dims, dims)]),
                          [linalg.IteratorType.parallel] * len(dims))
    block = op.regions[0].blocks.append(*[f32] * 5)
    a, m, total = block.arguments[:3]
    with ir.InsertionPoint(block):
        linalg.YieldOp([arith.DivFOp(a, total).result, arith.AddFOp(m, math_d.Log2Op(total).result).result])
    return op.results[0], op.results[1]


def _column_zero(lse: ir.Value, n_at: list[int]) -> ir.Value:
    """The log-sum-exp at N = 0: the row vector again."""
    shape_ = b.shape(lse)
    out = ir.RankedTensorType.get([x for i, x in enumerate(shape_) if i not in n_at], b.element_type(lse))
    sizes = [1 if i in n_at else x for i, x in enumerate(shape_)]
    return tensor.ExtractSliceOp(out, lse, [], [], [], [0] * len(shape_), sizes, [1] * len(shape_)).result


def _combine(normalized: ir.Value, lse: ir.Value, split_at: int, n_at: list[int], out: ir.Value) -> ir.Value:
    """out = sum_s P_s 2^(L_s - M) / sum_s 2^(L_s - M), M = max_s L_s, with P_s = acc_s / sum_s and L_s = max_s
    + log2(sum_s) in IREE's log2 units: sum_s acc_s 2^max_s / sum_s sum_s 2^max_s. In `out`'s layout and type;
    the generics iterate over the partials' dims (without N for M and the denominator)."""
    f32 = ir.F32Type.get()
    dims = list(range(len(b.shape(normalized))))
    rows = [d for d in dims if d not in n_at]
    kept = [d for d in dims if d != split_at]
    kept_rows = [d for d in rows if d != split_at]
    reduced = [b.shape(normalized)[d] for d in kept_rows]

    def weight(lse_s, top):
        return math_d.Exp2Op(arith.SubFOp(lse_s, top).result).result

    top = _generic([lse], [rows, kept_rows], rows, split_at, _filled(reduced, f32, _LOWEST),
                   lambda lse_s, top_: arith.MaximumFOp(top_, lse_s).result)
    den = _generic([lse, top], [rows, kept_rows, kept_rows], rows, split_at, _filled(reduced, f32, 0.0),
                   lambda lse_s, top_, total: arith.AddFOp(total, weight(lse_s, top_)).result)
    num = _generic([normalized, lse, top, den], [dims, rows, kept_rows, kept_rows, kept], dims, split_at,
                   _filled([b.shape(normalized)[d] for d in kept], f32, 0.0),
                   lambda p, lse_s, top_, den_, total: arith.AddFOp(
                       total, arith.MulFOp(p, arith.DivFOp(weight(lse_s, top_), den_).result).result).result)
    elem = b.element_type(out)
    if elem == f32:  # an f32 result (a cast epilogue follows): the sum is it
        return num
    return _generic([num], [kept, kept], kept, None, b.empty(b.shape(num), elem),
                    lambda x, _: arith.TruncFOp(elem, x).result)


def _generic(ins: list[ir.Value], operand_dims: list[list[int]], domain: list[int], reduced: int | None,
             init: ir.Value, body) -> ir.Value:
    """A linalg.generic over `domain` (dims of the partials' layout) reducing `reduced` (None: none) into
    `init`; operand_dims[i]: the domain dims operand i (then init) holds, in order; `body(*elements, acc)`."""
    at = {d: i for i, d in enumerate(domain)}
    maps = [_map(len(domain), [at[d] for d in held]) for held in operand_dims]
    iterators = [linalg.IteratorType.reduction if d == reduced else linalg.IteratorType.parallel for d in domain]
    op = linalg.GenericOp([init.type], ins, [init], ir.ArrayAttr.get([ir.AffineMapAttr.get(m) for m in maps]),
                          iterators)
    block = op.regions[0].blocks.append(*[b.element_type(v) for v in ins + [init]])
    with ir.InsertionPoint(block):
        linalg.YieldOp([body(*block.arguments)])
    return op.result
