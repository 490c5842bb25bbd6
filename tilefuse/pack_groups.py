"""Program stage `pack-query-groups` of the tilefuse paths (GQA packing): an attention with several query dims
whose innermost one does not fill the MMA rows (a GQA decode: Q (b, h_kv, g, m=1, d) against K/V (b, h_kv, k2,
d)) gets its query dims merged into one before pad-to-tiles pads it:

    Q, O (and a mask over the query dims)  --collapse_shape-->  (b, h_kv, g*m, d)
    attention                                                    one query dim of g*m rows
    result                                 --expand_shape-->    (b, h_kv, g, m, d)

so the 4 heads of a group are 4 rows of one 16-row MMA tile (pad-to-tiles pads g*m to 16), not 4 tiles of one
real row each, and each K/V tile is read once per group. A Python stage: no transform op reshapes an
attention's iteration space. Why: design/tilefuse-path.md, "Decode".
"""

from __future__ import annotations

import math

import iree.compiler.ir as ir

from . import irbuild as b
from .heuristics import mma_rows
from .irutil import indexing_maps, projected_dims, walk
from .program_stage import rewrite_attention_ops


def pack_query_groups(module: ir.Module, stage_ctx) -> None:
    def pack(op, shape):
        rows = mma_rows(shape, stage_ctx.target)
        if (len(shape.m) > 1 and shape.sizes[shape.m[-1]] % rows and packable(indexing_maps(op), shape.m)
                and not any(o.name == "iree_linalg_ext.index" for o in walk(op))):
            pack_query_dims(op, shape)
            return {"query_dims": [shape.sizes[d] for d in shape.m], "packed_rows": math.prod(
                shape.sizes[d] for d in shape.m)}
        return None

    rewrite_attention_ops(module, stage_ctx, pack)


def packable(maps: list[ir.AffineMap], m_dims: tuple[int, ...]) -> bool:
    """Whether every operand map (of an attention whose score region does not read the query dims) that indexes
    the query dims indexes all of them, adjacent and in order (a collapse_shape merges them)."""
    for amap in maps:
        dims = projected_dims(amap)
        if dims is None:
            return False
        at = [i for i, d in enumerate(dims) if d in m_dims]
        if at and [dims[i] for i in range(at[0], at[0] + len(m_dims))] != list(m_dims):
            return False
    return True


def pack_query_dims(op, shape) -> ir.Operation:
    """The attention `op` (replaced and erased) with its query dims merged into the innermost one: the new op."""
    maps = indexing_maps(op)
    merged = shape.m[:-1]  # these dims fold into the innermost query dim
    rank = len(shape.sizes)
    keep = [d for d in range(rank) if d not in merged]
    renumber = {d: i for i, d in enumerate(keep)}
    operands = list(op.operands)
    out = operands[-1]
    with ir.InsertionPoint(op):
        new_operands, new_maps = [], []
        for value, amap in zip(operands[:-1], maps[:-1]):
            packed, packed_map = _collapse(value, amap, shape.m, renumber, len(keep))
            new_operands.append(packed)
            new_maps.append(packed_map)
        out_packed, out_map = _collapse(out, maps[-1], shape.m, renumber, len(keep))
        new = b.rebuilt_attention(op, new_operands + [b.empty(b.shape(out_packed), b.element_type(out))],
                                  new_maps + [out_map], [out_packed.type])
    with ir.InsertionPoint.after(new):
        result = b.expand_shape(new.result, _groups(maps[-1], shape.m), b.shape(out))
    op.result.replace_all_uses_with(result)
    op.erase()
    if out.owner.name == "tensor.empty" and not list(out.uses):
        out.owner.erase()
    return new


def _groups(amap: ir.AffineMap, m_dims) -> list[list[int]]:
    """collapse_shape's reassociation for an operand laid out by `amap`: the query dims one group."""
    dims = projected_dims(amap)
    groups: list[list[int]] = []
    for i, d in enumerate(dims):
        if d in m_dims[1:]:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _collapse(value: ir.Value, amap: ir.AffineMap, m_dims, renumber: dict[int, int], rank: int):
    """(the operand with its query dims merged, its map over the packed iteration space)."""
    dims = projected_dims(amap)
    kept = [d for d in dims if d in renumber]
    packed_map = ir.AffineMap.get(rank, 0, [ir.AffineDimExpr.get(renumber[d]) for d in kept])
    if not any(d in m_dims for d in dims) or not isinstance(value.type, ir.RankedTensorType):
        return value, packed_map
    groups = _groups(amap, m_dims)
    have = b.shape(value)
    want = [1] * len(groups)
    for g, group in enumerate(groups):
        for i in group:
            want[g] *= have[i]
    return b.collapse_shape(value, groups, want), packed_map

