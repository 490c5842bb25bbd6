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

from dataclasses import dataclass, replace

import iree.compiler.ir as ir

from .attention import AttentionShape
from .facts import FP8_FLOATS
from .irutil import DYNAMIC, indexing_maps, iterator_types, projected_dims

GATHER = "iree_linalg_ext.gather"
_SLT = 2  # arith.cmpi's signed less-than


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
        # (pages of one key: IREE drops the unit page dim from the dispatch, so the keys are the gathered dim)
        return _slice_size(gather, at[-1]) or (1 if _gathered(gather, at[-1]) else None)
    chain = paged_chain(value)
    return chain.page if isinstance(chain, PagedChain) and at == [chain.keys] else None


@dataclass(frozen=True)
class PagedChain:
    """K or V in the program's paged form (module doc): `collapse` of `transpose` of the whole-page `gather` of a
    page pool through a page table, the collapse's dim `keys` the gather's (pages, page) merged, `page` keys a
    page; each other dim of the collapse one dim of the gather."""
    gather: ir.Operation
    transpose: ir.Operation
    collapse: ir.Operation
    keys: int
    page: int

    @property
    def pool(self) -> ir.Value:
        return self.gather.operands[0]

    @property
    def table(self) -> ir.Value:
        return self.gather.operands[1]

    @property
    def groups(self) -> list[list[int]]:
        """The collapse's reassociation: the transpose's dims in each of its result dims."""
        return reassociation(self.collapse)

    @property
    def permutation(self) -> list[int]:
        """The gather's dim of each of the transpose's dims."""
        return _permutation(self.transpose)

    @property
    def pages_dim(self) -> int:
        """The gather's dim of the pages: a batch dim of the gather, so the table's dim of the pages."""
        return self.permutation[self.groups[self.keys][0]]

    @property
    def page_dim(self) -> int:
        """The gather's dim of the keys of a page (a dim of the pool's pages)."""
        return self.permutation[self.groups[self.keys][1]]

    @property
    def run_time_pages(self) -> bool:
        """The page table holds a run-time count of pages (`problem --paged --dynamic k2`)."""
        return ir.ShapedType(self.table.type).shape[self.pages_dim] == DYNAMIC


@dataclass(frozen=True)
class NotPaged:
    """Why a K/V is not in the paged form, for the callers that report it."""
    why: str


def paged_chain(value: ir.Value) -> PagedChain | NotPaged:
    """The paged form (PagedChain) that `value` is read through, or why it is not: every check of the chain is
    here, each caller adding only what its rewrite needs of it (split-k2: a run-time table it can slice)."""
    collapse = producer(value, "tensor.collapse_shape")
    transpose = producer(collapse.operands[0], "linalg.transpose") if collapse is not None else None
    gather = producer(transpose.operands[0], GATHER) if transpose is not None else None
    if gather is None:
        return NotPaged("not the collapse of a transposed iree_linalg_ext.gather")
    if list(ir.DenseI64ArrayAttr(gather.attributes["dimension_map"])) != [0]:
        return NotPaged("its gather does not read whole pages (dimension_map is not [0])")
    groups = reassociation(collapse)
    merged = [at for at, g in enumerate(groups) if len(g) != 1]
    if len(merged) != 1 or len(groups[merged[0]]) != 2:
        return NotPaged("its collapse merges other than one pair of dims (pages, page)")
    pages_dim, page_dim = (_permutation(transpose)[d] for d in groups[merged[0]])
    out, pool = ir.ShapedType(gather.results[0].type), ir.ShapedType(gather.operands[0].type)
    if pages_dim >= out.rank - (pool.rank - 1):
        return NotPaged("the outer dim of its merged keys is not the gather's pages (a dim of the page table)")
    page = _slice_size(gather, page_dim)
    if page is None:
        return NotPaged("the inner dim of its merged keys is not a static dim of the gathered pages")
    return PagedChain(gather, transpose, collapse, merged[0], page)


def reassociation(reshape: ir.Operation) -> list[list[int]]:
    """A collapse's or expand's reassociation: the dims of its expanded side in each dim of its collapsed one."""
    return [[ir.IntegerAttr(i).value for i in g] for g in ir.ArrayAttr(reshape.attributes["reassociation"])]


def _permutation(transpose: ir.Operation) -> list[int]:
    return list(ir.DenseI64ArrayAttr(transpose.attributes["permutation"]))


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
    through widen-kv's extension, as the program stages saw and planned them (they split it on its fp8 bytes:
    heuristics.k2_splits; configure's check of that split must count the same bytes, and its K2 step is the one of
    a cache decoded in registers: heuristics.decoded_step); else `shape` (fp8 Q/K/V: nothing widened). The
    intrinsic pair stays the 16-bit query's (heuristics._pair)."""
    k, v = (_extended_type(op.operands[i]) for i in (1, 2))
    if shape.kv_element_type is not None or k == shape.element_type or k not in FP8_FLOATS or v not in FP8_FLOATS:
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
    return out.shape[dim] if dim >= _batch_rank(gather) and out.shape[dim] > 0 else None


def _gathered(gather: ir.Operation, dim: int) -> bool:
    """Whether output dim `dim` of a whole-page gather (dimension_map = [0]) is one of its page-table dims."""
    table_rank = ir.ShapedType(gather.operands[1].type).rank
    return list(ir.DenseI64ArrayAttr(gather.attributes["dimension_map"])) == [0] and dim < table_rank and \
        _batch_rank(gather) == table_rank


def _batch_rank(gather: ir.Operation) -> int:
    """The gather's leading output dims that index its page table (the rest are a page's)."""
    return ir.ShapedType(gather.results[0].type).rank - (ir.ShapedType(gather.operands[0].type).rank - 1)


def producer(value: ir.Value, name: str) -> ir.Operation | None:
    if not isinstance(value.owner, ir.OpView) and not isinstance(value.owner, ir.Operation):
        return None
    owner = value.owner.operation
    return owner if owner.name == name else None


def generic_gather(value: ir.Value) -> tuple[ir.Value, ir.Value, bool] | None:
    """(pool, table, wrapped) where `value` is torch's `pool[table]` after IREE's input conversion: an all-parallel
    linalg.generic reading the table at its first dims (0 at a unit one; identity output map) whose body yields
    `tensor.extract pool[i, index(t), index(t + 1), ...]` (a constant 0 at a unit dim), t the table's rank, i the
    table element as an index: itself (not wrapped) or wrapped as Python's negative indices are, `e < 0 ? e + P :
    e` with P the pool's pages (wrapped). That is iree_linalg_ext.gather dimension_map = [0] of the pool through
    the (wrapped) table, element by element; None for anything else."""
    generic = producer(value, "linalg.generic")
    if generic is None or len(generic.operands) != 2 or set(iterator_types(generic)) != {"parallel"}:
        return None
    table = generic.operands[0]
    rank, batch = len(iterator_types(generic)), ir.ShapedType(table.type).rank
    in_map, out_map = indexing_maps(generic)
    table_shape, out_shape = ir.ShapedType(table.type).shape, ir.ShapedType(value.type).shape
    if projected_dims(out_map) != list(range(rank)) or len(in_map.results) != batch or not all(
            isinstance(e, ir.AffineDimExpr) and e.position == i or table_shape[i] == 1 == out_shape[i] and _zero(e)
            for i, e in enumerate(in_map.results)):
        return None
    block = generic.regions[0].blocks[0]
    (yield_op,) = [o for o in block.operations if o.operation.name == "linalg.yield"]
    extract = producer(yield_op.operands[0], "tensor.extract")
    if extract is None or not _defined_outside(extract.operands[0], generic):
        return None
    pool, (page, *within) = extract.operands[0], list(extract.operands[1:])
    page_shape = ir.ShapedType(pool.type).shape[1:]
    if page_shape != out_shape[batch:] or not all(
            _index_dim(i) == d or page_shape[d - batch] == 1 and _constant(i) == 0
            for i, d in zip(within, range(batch, rank))):
        return None
    cast = producer(page, "arith.index_cast")
    element = cast.operands[0] if cast is not None else None
    if element == block.arguments[0]:
        return pool, table, False
    if element is not None and _wraps(element, block.arguments[0], ir.ShapedType(pool.type).shape[0]):
        return pool, table, True
    return None


def _wraps(value: ir.Value, element: ir.Value, pages: int) -> bool:
    """`value` is select(element < 0, element + pages, element)."""
    select = producer(value, "arith.select")
    if select is None or select.operands[2] != element:
        return False
    below, added = producer(select.operands[0], "arith.cmpi"), producer(select.operands[1], "arith.addi")
    return below is not None and added is not None \
        and ir.IntegerAttr(below.attributes["predicate"]).value == _SLT \
        and list(below.operands)[0] == element and _constant(below.operands[1]) == 0 \
        and set(map(_constant, added.operands)) == {pages, None} and element in list(added.operands)


def _zero(expr: ir.AffineExpr) -> bool:
    return isinstance(expr, ir.AffineConstantExpr) and expr.value == 0


def _constant(value: ir.Value) -> int | None:
    const = producer(value, "arith.constant")
    attr = const.attributes["value"] if const is not None else None
    return ir.IntegerAttr(attr).value if isinstance(attr, ir.IntegerAttr) else None


def _index_dim(value: ir.Value) -> int | None:
    index = producer(value, "linalg.index")
    return ir.IntegerAttr(index.attributes["dim"]).value if index is not None else None


def _defined_outside(value: ir.Value, op: ir.Operation) -> bool:
    """`value` is not defined in `op`'s body, whose ops hold no regions (the pool is the program's value)."""
    owner = value.owner
    if isinstance(owner, ir.Block):
        return owner != op.regions[0].blocks[0]
    return owner.operation.parent.operation != op
