"""A paged KV cache, read from IR: an attention's K and V gathered from page pools through a page table, the form
serving code writes (vLLM, SGLang, shark-ai; IREE's paged-attention tests):

    program   iree_linalg_ext.gather dimension_map = [0]   (pool (P, ..., page, d), table (b, pages)) -> (b, pages, ..., page, d)
              linalg.transpose                              pages moved next to page
              tensor.collapse_shape                         (pages, page) merged into the attention's key dim
    dispatch  the gather feeding the attention directly (or through widen-kv's extension of fp8 pages), the
              attention's keys two dims (pages, page: what the page-kv program stage makes of the program form) or
              one page (a split of one page each)

The plan splits the keys in whole pages (codegen/plan.py) and configure steps the K2 loop a page at a time
(codegen/heuristics.py)."""

from __future__ import annotations

from dataclasses import replace

import iree.compiler.ir as ir

from .attention import AttentionShape
from .facts import FP8_FLOATS
from .irutil import indexing_maps, projected_dims

GATHER = "iree_linalg_ext.gather"


def page_size(op: ir.Operation, shape: AttentionShape) -> int | None:
    """Keys per page where the attention `op`'s K and V both read whole pages through a page table along its K2
    (pages outer, page inner: merged into one K2 dim, or the dispatch's K2 dims with the page innermost); None for
    any other K/V (and where K and V disagree)."""
    maps = indexing_maps(op)
    pages = {_page_of(op.operands[i], maps[i], shape.k2) for i in (1, 2)}
    return pages.pop() if len(pages) == 1 else None


def _page_of(value: ir.Value, amap: ir.AffineMap, k2: tuple[int, ...]) -> int | None:
    dims = projected_dims(amap)
    if dims is None or not k2 or any(d not in dims for d in k2):
        return None
    at = [dims.index(d) for d in k2]
    gather = producer(widened_source(value), GATHER)
    if gather is not None:  # the dispatch form: the innermost key dim is a page, the others pages
        if any(_slice_size(gather, a) is not None for a in at[:-1]):
            return None
        return _slice_size(gather, at[-1])
    collapse = producer(value, "tensor.collapse_shape")
    if collapse is None or len(at) != 1:
        return None
    groups = [[ir.IntegerAttr(i).value for i in g] for g in ir.ArrayAttr(collapse.attributes["reassociation"])]
    group = groups[at[0]]
    transpose = producer(collapse.operands[0], "linalg.transpose")
    if len(group) != 2 or transpose is None:
        return None
    perm = list(ir.DenseI64ArrayAttr(transpose.attributes["permutation"]))
    gather = producer(transpose.operands[0], GATHER)
    if gather is None or _slice_size(gather, perm[group[0]]) is not None:
        return None  # the outer dim must be the gather's pages (a batch dim), the inner one a dim of a page
    return _slice_size(gather, perm[group[1]])


def widened_source(value: ir.Value) -> ir.Value:
    """The fp8 pages under widen-kv's extension of them (an elementwise generic of one input, identity maps: an
    fp8 KV cache read by a 16-bit query), else `value`."""
    generic = producer(value, "linalg.generic")
    if generic is None or len(generic.operands) != 2:
        return value
    identity = ir.AffineMap.get_identity(ir.ShapedType(value.type).rank)
    return generic.operands[0] if all(m == identity for m in indexing_maps(generic)) else value


def cache_types(op: ir.Operation, shape: AttentionShape) -> AttentionShape:
    """The shape of a dispatch's attention `op` with K's and V's element types those of the fp8 cache it reads
    through widen-kv's extension, as the program stages saw and planned them; else `shape`."""
    k, v = (_extended_type(op.operands[i]) for i in (1, 2))
    if k not in FP8_FLOATS or v not in FP8_FLOATS:
        return shape
    return replace(shape, kv_element_type=k, v_element_type=v if v != k else None)


def _extended_type(value: ir.Value) -> str:
    """The element type of the input of the elementwise generic producing `value` (widen-kv's extension, which
    IREE may have given a transposing map: V's in a decode's dispatch), else `value`'s."""
    generic = producer(value, "linalg.generic")
    if generic is not None and len(generic.operands) == 2 \
            and all(projected_dims(m) is not None and len(m.results) == m.n_dims for m in indexing_maps(generic)):
        value = generic.operands[0]
    return str(ir.ShapedType(value.type).element_type)


def _slice_size(gather: ir.Operation, dim: int) -> int | None:
    """The size of output dim `dim` of a whole-page gather (dimension_map = [0]) where it is a dim of the gathered
    page (a slice dim), else None."""
    if list(ir.DenseI64ArrayAttr(gather.attributes["dimension_map"])) != [0]:
        return None
    out = ir.ShapedType(gather.results[0].type)
    source = ir.ShapedType(gather.operands[0].type)
    batch_rank = out.rank - (source.rank - 1)
    return out.shape[dim] if dim >= batch_rank and out.shape[dim] > 0 else None


def producer(value: ir.Value, name: str) -> ir.Operation | None:
    if not isinstance(value.owner, ir.OpView) and not isinstance(value.owner, ir.Operation):
        return None
    owner = value.owner.operation
    return owner if owner.name == name else None
