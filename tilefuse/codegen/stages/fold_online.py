"""Program stage `fold-online` of the tilefuse paths: an `online_attention` written by hand (as IREE's tests, Wave
and serving code write it) whose running state starts empty and whose result is only normalized is the
`attention` it computes, so every program stage after this one (pad-to-tiles, causal-mask, pack-query-groups,
split-k2, ...) takes it as it takes an attention:

    acc, max, sum = online_attention(Q, K, V, scale[, mask]) from fills 0, lowest (or -inf), 0
    out = generic(acc, sum) { acc / sum  (or (1 / sum) * acc), then truncf to out's type or not }
        ==>  out = attention(Q, K, V, scale[, mask])

IREE converts an attention to exactly this (tilefuse_configure's stock configure: the fills, (1 / sum) · acc,
the truncation), so the dispatch IREE then forms is the one it forms for the attention. `acc / sum` and
`(1 / sum) · acc` differ by one f32 rounding, below the output's. Anything else (a running state carried in,
max or sum read elsewhere, another normalization) is left as written: configure takes an aligned
online_attention, and refuses an unaligned one (nothing pads it).
"""

from __future__ import annotations

import iree.compiler.ir as ir

from ...ir import irbuild as b
from ...ir.facts import ATTENTION, FINITE_MAX, ONLINE_ATTENTION
from ...ir.irutil import indexing_maps, iterator_types, projected_dims
from ..program_stage import rewrite_attention_ops
from ..stage import StageInput, StageResult

_EMPTY_MAX = (-FINITE_MAX["f32"], float("-inf"))


def fold_online(module: ir.Module, stage_input: StageInput) -> StageResult:
    return rewrite_attention_ops(module, stage_input, _fold, (ONLINE_ATTENTION,))


def _fold(op, shape) -> dict | None:
    acc, running_max, running_sum = op.results
    operands = list(op.operands)
    inits = operands[-3:]
    if [_fill_value(v) for v in inits] not in ([0.0, m, 0.0] for m in _EMPTY_MAX):
        return None
    users = {u.owner for r in op.results for u in r.uses}
    if list(running_max.uses) or len(users) != 1:
        return None
    (user,) = users
    out_map = _normalized_map(user, op)
    if out_map is None:
        return None
    maps = indexing_maps(op)
    with ir.InsertionPoint(op):
        init = b.empty(b.shape(user.results[0]), b.element_type(user.results[0]))
        new = b.rebuilt_attention(op, operands[:-3] + [init], maps[:-3] + [out_map], [init.type], name=ATTENTION)
    user.results[0].replace_all_uses_with(new.results[0])
    user.erase()
    op.erase()
    for v in inits:
        fill = v.owner
        if not list(v.uses):
            empty = fill.operands[1]
            fill.erase()
            if not list(empty.uses):
                empty.owner.erase()
    return {"online_attention": str(new.location), "normalization": "folded"}


def _fill_value(value: ir.Value) -> float | None:
    """The value a `linalg.fill` of a constant writes (None for anything else)."""
    owner = value.owner
    if not isinstance(owner, (ir.Operation, ir.OpView)) or owner.name != "linalg.fill":
        return None
    constant = owner.operands[0].owner
    if not isinstance(constant, (ir.Operation, ir.OpView)) or constant.name != "arith.constant":
        return None
    return ir.FloatAttr(constant.attributes["value"]).value


def _normalized_map(user, op) -> ir.AffineMap | None:
    """The attention's output map (over the online_attention's loops) when `user` is the normalization acc / sum
    of `op`'s results written in its own order, else None."""
    if user.name != "linalg.generic" or set(iterator_types(user)) != {"parallel"} or len(user.results) != 1:
        return None
    *ins, init = user.operands
    acc, _, running_sum = op.results
    if len(ins) != 2 or {ins[0], ins[1]} != {acc, running_sum} or init.owner.name != "tensor.empty":
        return None
    umaps = indexing_maps(user)
    a_at, l_at = (ins.index(acc), ins.index(running_sum))
    a_dims, l_dims, out_dims = (projected_dims(umaps[i]) for i in (a_at, l_at, 2))
    o_map, l_map = indexing_maps(op)[-3], indexing_maps(op)[-1]
    o_dims, sum_dims = projected_dims(o_map), projected_dims(l_map)
    if None in (a_dims, l_dims, out_dims, o_dims, sum_dims) or sorted(a_dims) != sorted(out_dims) or \
            len(set(a_dims)) != len(a_dims) or l_dims != [a_dims[o_dims.index(d)] for d in sum_dims]:
        return None
    block = user.regions[0].blocks[0]
    if not _divides(block, block.arguments[a_at], block.arguments[l_at]):
        return None
    return ir.AffineMap.get(o_map.n_dims, 0, [ir.AffineDimExpr.get(o_dims[a_dims.index(g)]) for g in out_dims])


def _divides(block, a: ir.Value, l: ir.Value) -> bool:
    """Whether the body yields a / l or (1 / l) · a, truncated to the output's type or not (the 1 defined in the
    body or above it)."""
    body = [o for o in block.operations if o.name != "arith.constant"]
    names = [o.name for o in body]
    if names[-1] != "linalg.yield":
        return False
    value = body[-1].operands[0]
    if len(names) > 1 and names[-2] == "arith.truncf":
        value = body[-2].operands[0]
        names = names[:-2] + names[-1:]
    if names == ["arith.divf", "linalg.yield"]:
        return value == body[0].results[0] and list(body[0].operands) == [a, l]
    if names == ["arith.divf", "arith.mulf", "linalg.yield"]:
        one, reciprocal = body[0].operands[0].owner, body[0].results[0]
        return (value == body[1].results[0] and body[0].operands[1] == l and set(body[1].operands) == {reciprocal, a}
                and isinstance(one, (ir.Operation, ir.OpView)) and one.name == "arith.constant"
                and ir.FloatAttr(one.attributes["value"]).value == 1.0)
    return False
