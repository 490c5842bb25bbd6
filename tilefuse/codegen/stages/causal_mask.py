"""Program stage `causal-mask` of the tilefuse paths: an attention whose mask operand is provably causal, or a
causal band (tilefuse/ir/causal.py), says so in its own score region, with the iteration indices:

    ^bb0(%score: f32):
      %i = iree_linalg_ext.index <m>     %j = iree_linalg_ext.index <k2>
      %visible = arith.cmpi sle, %j, (%i + c)    [andi  arith.cmpi sge, %j, (%i + c - window + 1)]
      iree_linalg_ext.yield (select %visible, %score, -inf)

A mask that is exactly that loses the operand, and the computation that built it goes with it (PyTorch's
materialized per-head 0/-inf mask, which IREE would hoist into an initializer or give its own dispatch). A mask
with other factors too (transformers' causal mask ANDed with the runtime padding mask) stays the operand: the
region and the mask both apply, the region bounds the tiles.

The region is the op's semantics, so it crosses IREE's dispatch formation as part of the op (a discardable
attribute would be a hint, lost to any pass that drops it); the tilefuse configure stage turns it into the
config's `causal` field and an index-computed mask (design/tilefuse-path.md, "Causal attention"). A Python stage:
no transform op removes an operand of an attention op.
"""

from __future__ import annotations

from dataclasses import replace

import iree.compiler.ir as ir

from ...ir import irbuild as b
from ...ir.causal import Causal, mask_causal
from ...ir.attention import attention_shape
from ...ir.irutil import indexing_maps, projected_dims
from ..causal_region import causal_region
from ..merge_dims import collapsible_runs, merge_dims
from ..program_stage import rewrite_attention_ops
from ..stage import StageInput, StageResult

# Ops that only build values: erased once nothing uses them (the mask's producers).
_PURE = {"tensor.empty", "linalg.fill", "linalg.generic", "tensor.collapse_shape", "tensor.expand_shape",
         "arith.constant"}


def drop_causal_masks(module: ir.Module, stage_input: StageInput) -> StageResult:
    def drop(op, shape):
        causal = mask_causal(op)
        return _to_causal_region(op, causal) if causal is not None and _row_survives_merging(op, causal) else None

    return rewrite_attention_ops(module, stage_input, drop)


def _merge_runs(maps: list[ir.AffineMap], shape) -> list[tuple[int, ...]]:
    return collapsible_runs(maps, set(shape.k1 + shape.k2))


def _remaining_maps(maps: list[ir.AffineMap], causal: Causal) -> list[ir.AffineMap]:
    """The operand maps of the attention once the stage is done: without the mask's unless it is kept."""
    return maps if causal.kept else maps[:4] + maps[5:]


def _row_survives_merging(op, causal: Causal) -> bool:
    """Once the mask is gone IREE merges runs of adjacent dims (merge_dims.collapsible_runs) without renumbering
    the region's iree_linalg_ext.index ops (IREE 3.13), so the stage merges them first; the region can say the
    condition afterwards where the row dim is the innermost of its run and that run holds every query dim (GQA's
    (group, rows) under a 2-D (rows, keys) mask). Query dims that stay apart keep the mask."""
    shape = attention_shape(op)
    maps = indexing_maps(op)
    run = next((r for r in _merge_runs(_remaining_maps(maps, causal), shape) if causal.row in r), (causal.row,))
    # A kept mask's last two dims are the region's (configure checks them to see a region IREE left stale).
    rows_and_keys = not causal.kept or projected_dims(maps[4])[-2:] == [causal.row, *shape.k2]
    return run[-1] == causal.row and set(shape.m) <= set(run) and rows_and_keys


def _to_causal_region(op, causal: Causal) -> dict:
    maps = indexing_maps(op)
    operands = list(op.operands)
    mask = operands[4]
    shape = attention_shape(op)
    kept = operands if causal.kept else operands[:4] + operands[5:]
    with ir.InsertionPoint(op):
        new = b.rebuilt_attention(op, kept, _remaining_maps(maps, causal))
    b.score_identity(new)
    op.result.replace_all_uses_with(new.result)
    op.erase()
    if not causal.kept:
        _erase_unused(mask.owner)
    # The row within its head: what the row index still means once query heads are packed into the rows.
    period = causal.period or shape.sizes[causal.row]
    merged = []
    while runs := _merge_runs(indexing_maps(new), attention_shape(new)):
        merged.append([attention_shape(new).sizes[d] for d in runs[0]])
        new = merge_dims(new, runs[0])
    packed = attention_shape(new)
    causal_region(new, replace(causal, row=packed.m[0], period=period), packed.k2[0])
    return {"causal_offset": causal.offset, "rows": period, "mask": "kept" if causal.kept else "dropped",
            **({"causal_window": causal.window} if causal.window else {}),
            **({"merged_dims": merged} if merged else {})}


def _erase_unused(op) -> None:
    """`op` and its pure producers, transitively, once nothing uses them. The producers are gathered first and
    each erased once: a mask's tensors share producers (both sides of a band's comparisons read one `arange`), so
    a recursive walk would reach an op it already erased through a second path."""
    pending, work = [], [op]
    while work:
        o = work.pop()
        if isinstance(o, ir.Block) or o.name not in _PURE or any(o.operation == p for p in pending):
            continue
        pending.append(o.operation)
        work.extend(v.owner for v in o.operands)
    while unused := [o for o in pending if not any(len(list(r.uses)) for r in o.results)]:
        for o in unused:
            pending.remove(o)
            o.erase()
