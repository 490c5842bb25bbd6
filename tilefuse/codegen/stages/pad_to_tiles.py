"""Program stage `pad-to-tiles` of the tilefuse path: an attention whose query rows (M), keys (K2) or head dims
(K1, N) do not fill the config's tiles is rewritten, before IREE forms dispatches, into an aligned attention on
padded operands:

    Q, K, V (and a mask)  --tensor.pad-->  tile multiples (zeros; a mask pads with "visible")
    keys >= K2            --mask-->        hidden: an i1 mask over K2 is added, or the existing mask is
                                           combined with it (false / -inf beyond K2)
    result                --extract_slice--> the original shape

A paged K/V's keys grow in pages of its page table instead (codegen/page_table.py: a pad of the gathered keys
would have IREE copy them out of the attention's dispatch). Padded query rows compute finite garbage that the slice
drops; padded keys get zero weight; zero columns of Q
and K add nothing to QK^T, zero columns of V give output columns the slice drops. The sizes come
from the op's plan (tilefuse/codegen/plan.py: heuristics.aligned_sizes, a --config K2 tile), so the dispatch the path
then sees is one choose_config tiles exactly. A Python stage: transform.structured.pad pads linalg ops only, and adding a mask operand to an attention op is a
rewrite no transform op does. Why the program level and not the tile: design/tilefuse-path.md, "Unaligned
sequences".
"""

from __future__ import annotations

from dataclasses import replace

import iree.compiler.ir as ir
from iree.compiler.dialects import tensor

from ...ir import irbuild as b
from ...ir.causal import region_causal
from ..causal_region import causal_region
from ...errors import Unsupported
from ...ir.irutil import DYNAMIC, indexing_maps, projected_dims
from ...ir.paged import page_size
from ..page_table import padded_pages
from ..program_stage import carry_out_plans, variant_of
from ..stage import StageInput, StageResult


def pad_attention_to_tiles(module: ir.Module, stage_input: StageInput) -> StageResult:
    def pad(op, shape, plan):
        return _pad(op, shape, plan.padded) if plan.padded is not None else None

    return carry_out_plans(module, stage_input, "pad-to-tiles", variant_of,
                    lambda plan: plan.packed, pad, {"padded": None})


def _pad(op, shape, sizes: tuple[int, ...]) -> dict:
    maps = indexing_maps(op)
    operands = list(op.operands)
    has_mask = len(operands) == 6
    (k2,) = shape.k2
    # A causal region hides every key beyond K2 from every real row already (j <= i + K2 - M < K2 for i < M).
    causal = region_causal(op)
    keys_padded = sizes[k2] != shape.sizes[k2] and causal is None
    with ir.InsertionPoint(op):
        # K and V read through one page table: padded once; not where their head dims are padded (the plan's keys:
        # IREE copies a padded gather out of the attention's dispatch anyway)
        heads_padded = any(sizes[d] != shape.sizes[d] for d in (*shape.k1, *shape.n))
        tables = {} if page_size(op, shape) and not heads_padded else None
        padded = [_pad_operand(v, m, sizes, _zero, tables if i else None)
                  for i, (v, m) in enumerate(zip(operands[:3], maps[:3]))]
        mask, mask_map = (_pad_operand(operands[4], maps[4], sizes, _visible), maps[4]) if has_mask else (None, None)
        if keys_padded:
            if not has_mask:
                mask = b.empty([sizes[k2]], ir.IntegerType.get_signless(1))
                mask_map = ir.AffineMap.get(len(sizes), 0, [ir.AffineDimExpr.get(k2)])
            mask = _hide_keys_from(mask, mask_map, k2, shape.sizes[k2], fresh=not has_mask)
        masks = [] if mask is None else [mask]
        out = operands[-1]
        # a run-time dim (a prompt's rows: m-tail pads them in the kernel) keeps its size
        out_shape = [h if h == DYNAMIC else sizes[d] for d, h in zip(projected_dims(maps[-1]), b.shape(out))]
        new = b.rebuilt_attention(op, padded + [operands[3]] + masks + [_sized_like(out_shape, out)],
                                  maps[:4] + [mask_map] * len(masks) + [maps[-1]],
                                  [ir.RankedTensorType.get(out_shape, b.element_type(out))])
    if causal is not None and causal.period is not None:
        # A row dim that is one head's rows: the rows of a head are the padded ones now. Several heads packed into
        # the row dim (GQA's merged (group, rows)) keep their period: padding only adds rows after the last head.
        period = sizes[causal.row] if causal.period == shape.sizes[causal.row] else causal.period
        b.score_identity(new)
        causal_region(new, replace(causal, period=period), k2)  # (a band keeps its window)
    with ir.InsertionPoint.after(new):
        result = tensor.ExtractSliceOp(out.type, new.result, [], _run_time_sizes(out), [], [0] * len(out_shape),
                                       b.shape(out), [1] * len(out_shape)).result
    op.result.replace_all_uses_with(result)
    b.erase_attention(op)
    unpadded_keys = "causal" if causal is not None else "none"
    return {"sizes": list(shape.sizes), "padded": list(sizes),
            "key_mask": ("combined" if has_mask else "added") if keys_padded else unpadded_keys}


def _run_time_sizes(value: ir.Value) -> list[ir.Value]:
    return [tensor.DimOp(value, b.index(d)).result for d, n in enumerate(b.shape(value)) if n == DYNAMIC]


def _sized_like(shape: list[int], like: ir.Value) -> ir.Value:
    """A tensor.empty of SHAPE whose run-time dims are LIKE's (the same dims are run-time in both)."""
    dynamic = iter(_run_time_sizes(like))
    return tensor.EmptyOp([next(dynamic) if n == DYNAMIC else n for n in shape], b.element_type(like)).result


def _pad_operand(value: ir.Value, amap: ir.AffineMap, sizes, pad_value, tables: dict | None = None) -> ir.Value:
    """VALUE padded to SIZES; a dim of run-time size (K2, which the tiles take as it is: k2-tail) stays. Paged K/V
    (`tables`: the page tables padded so far) gets its keys as more pages of its page table (`padded_pages`)."""
    have = b.shape(value)
    want = [h if h == DYNAMIC else sizes[d] for d, h in zip(projected_dims(amap), have)]
    if tables is not None and want != have:
        value = padded_pages(value, want, tables)
        have = b.shape(value)
    if want == have:
        return value
    return b.pad(value, [w - h for w, h in zip(want, have)], pad_value(value))


def _zero(value: ir.Value) -> ir.Value:
    return b.constant(b.element_type(value), 0.0)


def _visible(mask: ir.Value) -> ir.Value:
    """The mask value that hides nothing: true for a boolean mask, 0 for an additive one."""
    elem = b.element_type(mask)
    return b.constant(elem, 1 if isinstance(elem, ir.IntegerType) else 0.0)


def _hide_keys_from(mask: ir.Value, mask_map: ir.AffineMap, k2: int, keys: int, fresh: bool) -> ir.Value:
    """The mask with every key position >= `keys` hidden (false / -inf); a fresh mask is all visible below."""
    dims = projected_dims(mask_map)
    if k2 not in dims:
        raise Unsupported("the mask does not index the keys; padding K2 needs one that does")
    elem = b.element_type(mask)
    boolean = isinstance(elem, ir.IntegerType)

    def body(block):
        position = b.linalg_index(dims.index(k2))
        kept = b.cmpi_lt(position, b.index(keys))
        if fresh:
            return kept
        hidden = b.constant(elem, 0 if boolean else float("-inf"))
        return b.select(kept, block.arguments[0], hidden)

    return b.elementwise(mask, body, in_place=not fresh)
