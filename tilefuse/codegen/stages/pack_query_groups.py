"""Program stage `pack-query-groups` of the tilefuse paths (GQA packing): an attention with several query dims
whose innermost one does not fill the MMA rows (a GQA decode: Q (b, h_kv, g, m=1, d) against K/V (b, h_kv, k2,
d)) gets its query dims merged into one before pad-to-tiles pads it:

    Q, O (and a mask over the query dims)  --collapse_shape-->  (b, h_kv, g*m, d)
    attention                                                    one query dim of g*m rows
    result                                 --expand_shape-->    (b, h_kv, g, m, d)

so the 4 heads of a group are 4 rows of one 16-row MMA tile (pad-to-tiles pads g*m to 16), not 4 tiles of one
real row each, and each K/V tile is read once per group. A mask over (rows, keys) only, the same for every head
of the group, is first broadcast over the group. A Python stage: no transform op reshapes an
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
        return variant_of(op, shape, packable(maps, shape.m))

    def pack(op, shape, plan):
        if plan.packed == shape.sizes:
            return None
        maps = _packing_maps(op, shape)
        wide = _mask_dims_over_group(indexing_maps(op), shape)
        if wide is not None:
            _broadcast_mask(op, maps, wide, shape)
        merge_dims(op, shape.m)
        return {"query_dims": [shape.sizes[d] for d in shape.m],
                "packed_rows": math.prod(shape.sizes[d] for d in shape.m),
                **({"mask": "broadcast over the group"} if wide is not None else {})}

    return carry_out_plans(module, stage_input, "pack-query-groups", variant, lambda plan: plan.sizes, pack, {})


def _packing_maps(op, shape) -> list[ir.AffineMap]:
    """The op's indexing maps, a mask's laid out over the whole group where it indexes only the inner query dims
    (`_mask_dims_over_group`): the maps once packed."""
    maps = indexing_maps(op)
    wide = _mask_dims_over_group(maps, shape)
    if wide is not None:
        maps[4] = ir.AffineMap.get(maps[4].n_dims, 0, [ir.AffineDimExpr.get(d) for d in wide])
    return maps


def _mask_dims_over_group(maps: list[ir.AffineMap], shape) -> list[int] | None:
    """The dims of the mask broadcast over the outer query dims it lacks, where it indexes the inner ones (a GQA
    decode's (rows, keys) mask: the same for every head of the group), else None. The query dims can merge
    once the mask indexes them all; the copy is g·m·K2 mask elements, next to a decode's K/V."""
    dims = projected_dims(maps[4]) if len(maps) == 6 else None
    if dims is None:
        return None
    held = [d for d in shape.m if d in dims]
    missing = [d for d in shape.m if d not in held]
    # Only outer query dims missing, the held ones adjacent and in order: each row's mask is then known.
    if not held or not missing or list(shape.m[len(missing):]) != held:
        return None
    at = dims.index(held[0])
    if dims[at:at + len(held)] != held:
        return None
    return dims[:at] + missing + dims[at:]


def _broadcast_mask(op, maps: list[ir.AffineMap], wide: list[int], shape) -> None:
    """The mask operand of `op` replaced by its copy over the dims `wide`, `maps` (the mask's laid out by `wide`)
    its indexing maps."""
    mask = op.operands[4]
    with ir.InsertionPoint(op):
        op.operands[4] = b.broadcast(mask, [shape.sizes[d] for d in wide],
                                     [wide.index(d) for d in projected_dims(indexing_maps(op)[4])])
    op.attributes["indexing_maps"] = ir.ArrayAttr.get([ir.AffineMapAttr.get(m) for m in maps])
