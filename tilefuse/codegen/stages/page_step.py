"""Dispatch stage `page-step` of the tilefuse paths (after the tile stages, before decompose): a paged attention
whose K2 step reads several pages (configure tiles the pages by P > 1: heuristics.pages_per_step) gets one key dim
of P * page keys in the step, as every later stage expects:

    before   gather (pool, table[.., P]) -> (.., P, kv_heads 1, page, d)     attention over (pages P, page)
    after    collapse (P, 1, page) of it  -> (.., P * page, d)                attention over P * page keys

A mask slice over (P, page) collapses alike. The gather stays: thread-distribute reads a lane's fragment of the
collapsed tile through the table (a page id for each block of keys a lane holds: `LaneRewriter.fragment_of_
collapsed`), so an MMA tile of keys may span pages (pages of 8 keys under a 16-key MMA step). fp8 pages (widen-kv's
extension between gather and attention) are collapsed before the extension, which is made again over the step's
keys. With one page a step IREE slices the page (no gather) and the stage leaves the attention alone. design/tilefuse-path.md, "Paged KV"."""

from __future__ import annotations

from dataclasses import replace

import iree.compiler.ir as ir
from iree.compiler.dialects import arith, linalg

from ...errors import TilefuseError
from ...ir import irbuild as b
from ...ir.attention import attention_shape
from ...ir.facts import ONLINE_ATTENTION
from ...ir.irutil import indexing_maps, ops_named, projected_dims
from ...ir.paged import GATHER, producer, widened_source
from ..config import AttentionTiling, decomposition_config, matmuls_of
from ..stage import StageInput, StageResult


def merge_page_steps(module: ir.Module, stage_input: StageInput) -> StageResult:
    with module.context, ir.Location.unknown():
        for op in ops_named(module, ONLINE_ATTENTION):
            _merge(op)
    return StageResult(module)


def _merge(op: ir.Operation) -> None:
    shape = attention_shape(op)
    if len(shape.k2) != 2 or producer(widened_source(op.operands[1]), GATHER) is None:
        return
    maps = indexing_maps(op)
    pages, page = sorted(shape.k2, key=projected_dims(maps[1]).index)  # as K lays its keys out
    operands, new_maps, replaced = list(op.operands), [], []
    with ir.InsertionPoint(op):
        for i, amap in enumerate(maps):
            dims = projected_dims(amap)
            if pages in dims or page in dims:
                operands[i], dims, old = _collapsed(operands[i], dims, pages, page)
                replaced += [old] if old is not None else []
            new_maps.append(ir.AffineMap.get(len(shape.sizes) - 1, 0,
                                             [ir.AffineDimExpr.get(d - (d > pages)) for d in dims]))
        new = b.rebuilt_attention(op, operands, new_maps)
    tiling = AttentionTiling.from_lowering_config(op.attributes["lowering_config"])
    new.attributes["lowering_config"] = replace(
        tiling, **{f: _without(getattr(tiling, f), pages) for f in ("workgroup", "reduction", "subgroup")}
    ).lowering_config()
    qk, pv = (replace(m, subgroup_counts=_without(m.subgroup_counts, pages),
                      subgroup_mapping=tuple(d - (d > pages) for d in m.subgroup_mapping if d != pages))
              for m in matmuls_of(op.attributes["decomposition_config"]))
    new.attributes["decomposition_config"] = decomposition_config(qk, pv)
    for old, res in zip(op.results, new.results):
        old.replace_all_uses_with(res)
    op.erase()
    for old in replaced:
        if not any(list(r.uses) for r in old.results):  # (the attention was its one user)
            old.erase()


def _collapsed(value: ir.Value, dims: list[int], pages: int, page: int):
    """`value` (K, V or a mask) with its dims from the pages to the page merged into one (those between of one
    element: the workgroup's KV head), its dims with the page's standing for the merged keys, and the op it
    replaced, else None: widen-kv's extension of fp8 pages (made again over the collapsed pages, so that the
    collapse reads the gather) or a mask computed in the step (made again over the merged keys)."""
    if pages not in dims or page not in dims or dims.index(pages) > dims.index(page):
        raise TilefuseError(f"page-step: an operand of the paged attention indexes its keys as {dims}, not the "
                            f"pages (d{pages}) before the page (d{page})")
    first, last = dims.index(pages), dims.index(page)
    sizes = b.shape(value)
    if any(s != 1 for s in sizes[first + 1:last]):
        raise TilefuseError(f"page-step: {value.type} holds more than one KV head between its pages and its page")
    groups = [[d] for d in range(first)] + [list(range(first, last + 1))] + [[d] for d in range(last + 1, len(sizes))]
    merged = sizes[:first] + [sizes[first] * sizes[last]] + sizes[last + 1:]
    keys = dims[:first] + dims[last:]
    source = widened_source(value)
    computed = producer(value, "linalg.generic") if source == value else None
    if computed is not None and len(computed.results) == 1:  # (seq-lens-mask's mask, computed in the step)
        return _computed_over_keys(computed, first, last, merged), keys, computed
    if source == value:
        return b.collapse_shape(value, groups, merged), keys, None
    extension = value.owner
    out = b.empty(merged, b.element_type(value))
    identity = ir.AffineMapAttr.get(ir.AffineMap.get_identity(len(merged)))
    parallel = ir.Attribute.parse("#linalg.iterator_type<parallel>")
    new = b.rebuilt(extension, [b.collapse_shape(source, groups, merged), out], [out.type],
                    indexing_maps=ir.ArrayAttr.get([identity] * 2),
                    iterator_types=ir.ArrayAttr.get([parallel] * len(merged)))
    return new.results[0], keys, extension


def _computed_over_keys(generic: ir.Operation, first: int, last: int, merged: list[int]) -> ir.Value:
    """A mask the tile computes (seq-lens-mask's generic, its output indexed by the identity) computed again over
    the merged keys, as the lane stage reads a computed mask (a collapse of it reaches no lane layout): its index of
    the pages dim is the merged key / page, of the page the merged key mod page, of the unit dims between 0. Its
    inputs must not read the dims merged (they read the batch's length)."""
    maps = indexing_maps(generic)
    shift = last - first
    ins = [projected_dims(m) for m in maps[:-1]]
    if any(d is None or any(first <= i <= last for i in d) for d in ins) \
            or projected_dims(maps[-1]) != list(range(len(merged) + shift)):
        raise TilefuseError(f"page-step: a mask computed in the step reads its keys' dims: {generic.name} not merged")
    page = b.shape(generic.results[0])[last]
    out = b.empty(merged, b.element_type(generic.results[0]))
    new_maps = [ir.AffineMap.get(len(merged), 0, [ir.AffineDimExpr.get(i - shift * (i > last)) for i in d])
                for d in ins] + [ir.AffineMap.get_identity(len(merged))]
    new = linalg.GenericOp([out.type], list(generic.operands[:-1]), [out],
                           ir.ArrayAttr.get([ir.AffineMapAttr.get(m) for m in new_maps]),
                           [linalg.IteratorType.parallel] * len(merged))
    old_block = generic.regions[0].blocks[0]
    block = new.regions[0].blocks.append(*[a.type for a in old_block.arguments])

    def index(d: int) -> ir.Value:
        if first <= d <= last:
            key = b.linalg_index(first)
            return (arith.DivUIOp(key, b.index(page)).result if d == first else
                    arith.RemUIOp(key, b.index(page)).result if d == last else b.index(0))
        return b.linalg_index(d - shift * (d > last))

    with ir.InsertionPoint(block):
        linalg.YieldOp(b.inlined_body(old_block, dict(zip(old_block.arguments, block.arguments)), index))
    return new.result


def _without(values: tuple[int, ...], at: int) -> tuple[int, ...]:
    return values[:at] + values[at + 1:]
