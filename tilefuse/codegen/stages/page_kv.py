"""Program stage `page-kv` of the tilefuse paths (the last but widen-kv): a paged attention (ir/paged.py) reads its
pages through its indexing maps, IREE's own paged form, instead of through the transpose and collapse that merged
(pages, page) into its key dim:

    before   gather (b, pages, h, page, d) -> transpose (b, h, pages, page, d) -> collapse (b, h, K2, d)
             [-> split-k2's expand (b, h, S, K2/S, d)]                            -> attention over K2
    after    gather through the page table [expanded to (b, S, pages/S)] -> (b, [S,] pages, h, page, d)
                                                                          -> attention over (pages, page)

The key dim keeps the pages (of a split) and the page becomes a new iteration dim; a mask indexing the keys is
expanded the same way. IREE then fuses the gathers into the attention's dispatch (a collapse of a transposed gather
blocks that: it copied the gathered K/V out), and configure steps the K2 loop a page at a time, each step reading
one page id from the table and that page of the pool (design/tilefuse-path.md, "Paged KV")."""

from __future__ import annotations

import iree.compiler.ir as ir

from ...ir import irbuild as b
from ...ir.facts import ATTENTION, ONLINE_ATTENTION
from ...ir.irutil import DYNAMIC, indexing_maps, projected_dims
from ...ir.paged import GATHER, PagedChain, paged_chain, producer, reassociation
from ..program_stage import rewrite_attention_ops
from ..stage import StageInput, StageResult


def page_kv(module: ir.Module, stage_input: StageInput) -> StageResult:
    return rewrite_attention_ops(module, stage_input, _rewrite, kinds=(ATTENTION, ONLINE_ATTENTION))


def _rewrite(op, shape) -> dict | None:
    if len(shape.k2) != 1:
        return None
    (k2,) = shape.k2
    maps = indexing_maps(op)
    rank = len(shape.sizes)
    page_dim = rank  # the page: a new last iteration dim; k2 keeps the pages (of a split)
    reads = [_paged_read(op.operands[i], maps[i], k2, page_dim) for i in (1, 2)]
    if None in reads or reads[0][2] != reads[1][2]:
        return None
    page = reads[0][2]
    sizes = {**dict(enumerate(shape.sizes)), k2: shape.sizes[k2] // page, page_dim: page}
    n_ins = len(op.operands) - len(op.results)
    operands, new_maps = list(op.operands), []
    with ir.InsertionPoint(op):
        for i, amap in enumerate(maps):
            dims = projected_dims(amap)
            if i in (1, 2):
                gather, dims, _ = reads[i - 1]
                operands[i] = _gathered(gather, dims, sizes)
                dims = [d for at in dims for d in at]
            elif 4 <= i < n_ins and k2 in dims:  # a mask over the keys
                at = dims.index(k2)
                operands[i] = b.split_inner(operands[i], at, page)
                dims = dims[:at + 1] + [page_dim] + dims[at + 1:]
            new_maps.append(ir.AffineMap.get(rank + 1, 0, [ir.AffineDimExpr.get(d) for d in dims]))
        new = b.rebuilt_attention(op, operands, new_maps)
    for old, res in zip(op.results, new.results):
        old.replace_all_uses_with(res)
    b.erase_attention(op)
    return {"page": page, "pages_per_k2": "run-time" if k2 in shape.run_time else sizes[k2]}


def _paged_read(value: ir.Value, amap: ir.AffineMap, k2: int, page_dim: int):
    """(the gather, the iteration dims of each of its result dims, the page size) of K or V read as
    [split-k2's expand] <- ir/paged.py's paged chain, its merged keys K2's (split-k2's split of them outer); None
    for any other read."""
    dims = projected_dims(amap)
    if dims is None or k2 not in dims:
        return None
    # the iteration dims of each dim of the collapse's result: through split-k2's expand of the keys if any
    expand = producer(value, "tensor.expand_shape")
    source = expand.operands[0] if expand is not None else value
    per_collapsed = [[dims[i] for i in g] for g in reassociation(expand)] if expand is not None else [[d] for d in dims]
    chain = paged_chain(source)
    if not isinstance(chain, PagedChain) or per_collapsed[chain.keys][-1] != k2:
        return None
    per_gathered: list = [None] * len(chain.permutation)
    for collapsed, at in zip(chain.groups, per_collapsed):
        if len(collapsed) == 2:  # (pages, page): the gather's pages keep K2 [and its split], the page a new dim
            per_gathered[chain.pages_dim] = at
            per_gathered[chain.page_dim] = [page_dim]
        elif len(at) == 1:
            per_gathered[chain.permutation[collapsed[0]]] = at
        else:
            return None
    return chain.gather, per_gathered, chain.page


def _gathered(gather: ir.Operation, per_gathered: list[list[int]], sizes: dict[int, int]) -> ir.Value:
    """The gather again, through the page table split as the keys are (split-k2's split of the pages), its result
    laid out as `per_gathered` says (the iteration dims of each result dim, of `sizes`)."""
    table = gather.operands[1]
    if all(len(dims) == 1 for dims in per_gathered) and DYNAMIC in b.shape(table):
        return gather.results[0]  # unsplit pages of run-time count: the gather as it is
    for at, dims in enumerate(per_gathered):
        if len(dims) == 2:  # (split, pages): a batch dim of the gather, so a dim of the table
            table = b.split_dim(table, at, sizes[dims[0]])
    out = b.empty([sizes[d] for at in per_gathered for d in at], b.element_type(gather.results[0]))
    return ir.Operation.create(GATHER, [out.type], [gather.operands[0], table, out],
                               {"dimension_map": gather.attributes["dimension_map"]}).result

