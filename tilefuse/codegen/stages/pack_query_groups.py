"""Program stage `pack-query-groups` of the tilefuse paths (GQA packing): an attention with several query dims
whose innermost one does not fill the MMA rows (a GQA decode: Q (b, h_kv, g, m=1, d) against K/V (b, h_kv, k2,
d)) gets its query dims merged into one before pad-to-tiles pads it:

    Q, O (and a mask over the query dims)  --collapse_shape-->  (b, h_kv, g*m, d)
    attention                                                    one query dim of g*m rows
    result                                 --expand_shape-->    (b, h_kv, g, m, d)

so the 4 heads of a group are 4 rows of one 16-row MMA tile (pad-to-tiles pads g*m to 16), not 4 tiles of one
real row each, and each K/V tile is read once per group. A mask over (rows, keys) only, the same for every head
of the group, is first broadcast over the group; where those rows are one row (every decode: a (b, m=1, k2)
mask) the mask is the same for every packed row instead, and drops its unit query dims (a collapse_shape, a view:
no copy, no dispatch), the attention reading it through no query dim. A Python stage: no transform op reshapes an
attention's iteration space. Why: design/tilefuse-path.md, "Decode".
"""

from __future__ import annotations

import math

import iree.compiler.ir as ir

from ...ir import irbuild as b
from ...ir.irutil import indexing_maps, projected_dims
from ..merge_dims import merge_dims, packable
from ..program_stage import carry_out_plans, variant_of
from ..stage import StageInput, StageResult


def pack_query_groups(module: ir.Module, stage_input: StageInput) -> StageResult:
    def variant(op, shape):
        maps = _packing_maps(op, shape)
        dims = _packed_mask_dims(indexing_maps(op), shape)
        return variant_of(op, shape, packable(maps, shape.m), dims is not None and not _is_view(op, dims))

    def pack(op, shape, plan):
        if plan.packed == shape.sizes:
            return None
        maps = _packing_maps(op, shape)
        dims = _packed_mask_dims(indexing_maps(op), shape)
        mask = {"mask": _relaid_mask(op, maps, dims, shape)} if dims is not None else {}
        merge_dims(op, shape.m)
        return {"query_dims": [shape.sizes[d] for d in shape.m],
                "packed_rows": math.prod(shape.sizes[d] for d in shape.m), **mask}

    return carry_out_plans(module, stage_input, "pack-query-groups", variant, lambda plan: plan.sizes, pack, {})


def _packing_maps(op, shape) -> list[ir.AffineMap]:
    """The op's indexing maps, a mask's laid out as it must be for the query dims to merge (`_packed_mask_dims`):
    the maps once packed."""
    maps = indexing_maps(op)
    dims = _packed_mask_dims(maps, shape)
    if dims is not None:
        maps[4] = ir.AffineMap.get(maps[4].n_dims, 0, [ir.AffineDimExpr.get(d) for d in dims])
    return maps


def _packed_mask_dims(maps: list[ir.AffineMap], shape) -> list[int] | None:
    """The dims a mask that indexes some query dims but not all (a GQA decode's (rows, keys) mask: the same for
    every head of the group) indexes once the query dims can merge, else None (no mask, or one that merges as it
    is). Where each query dim it holds is a unit dim (every decode), the mask is the same for every packed row: its
    dims without them (a view). Otherwise its dims broadcast over the outer query dims it lacks, where the held
    ones are the inner query dims, adjacent and in order (each row's mask is then known): a copy of g·m·K2 mask
    elements, next to a decode's K/V."""
    dims = projected_dims(maps[4]) if len(maps) == 6 else None
    if dims is None:
        return None
    held = [d for d in shape.m if d in dims]
    missing = [d for d in shape.m if d not in held]
    if not held or not missing:
        return None
    if all(shape.sizes[d] == 1 for d in held) and len(held) < len(dims):
        return [d for d in dims if d not in held]
    if list(shape.m[len(missing):]) != held:
        return None
    at = dims.index(held[0])
    if dims[at:at + len(held)] != held:
        return None
    return dims[:at] + missing + dims[at:]


def _relaid_mask(op, maps: list[ir.AffineMap], dims: list[int], shape) -> str:
    """The mask operand of `op` laid out by `dims` (`_packed_mask_dims`), `maps` its indexing maps: its unit query
    dims collapsed away, or a copy broadcast over the group. What was done, for the stage's report."""
    mask = op.operands[4]
    now = projected_dims(indexing_maps(op)[4])  # the dims the mask indexes as it is
    with ir.InsertionPoint(op):
        if _is_view(op, dims):
            kept = [now.index(d) for d in dims]
            op.operands[4] = b.collapse_shape(mask, b.groups_around(len(now), kept),
                                              [b.shape(mask)[i] for i in kept])
            done = "unit query dims dropped"
        else:
            op.operands[4] = b.broadcast(mask, [shape.sizes[d] for d in dims], [dims.index(d) for d in now])
            done = "broadcast over the group"
    op.attributes["indexing_maps"] = ir.ArrayAttr.get([ir.AffineMapAttr.get(m) for m in maps])
    return done


def _is_view(op, dims: list[int]) -> bool:
    """Whether the mask laid out by `dims` (`_packed_mask_dims`) drops dims the mask indexes as it is (its unit
    query dims: a view) rather than adding the group's (a broadcast copy)."""
    return set(dims) < set(projected_dims(indexing_maps(op)[4]))
