"""Keys of a paged K/V padded as pages of its page table (pad-to-tiles): pages that hold no whole MMA step (an odd
number of 8-key pages) get more pages, not padded keys. A tensor.pad of the gathered keys would stand between the
gather and the attention, and IREE copies the gathered K/V out of the attention's dispatch for it (two dispatches
of the whole K/V); a longer page table keeps the program's paged form, which page-kv then reads through the
attention's maps (design/tilefuse-path.md, "Paged KV"):

    before   gather (pool, table (b, pages))       -> transpose -> collapse (b, h, pages * page, d)
    after    gather (pool, table' (b, pages + p))  -> transpose -> collapse (b, h, (pages + p) * page, d)

table' is the table followed by the row's own first entries (repeated where p > pages): the padding reads only
pages the row reads anyway, so it can hold nothing (no NaN, no Inf) the unpadded attention does not meet; the keys
past the real ones are hidden by the key mask pad-to-tiles adds."""

from __future__ import annotations

import iree.compiler.ir as ir
from iree.compiler.dialects import arith, linalg, tensor

from ..errors import TilefuseError
from ..ir import irbuild as b
from ..ir.paged import GATHER, producer


def padded_pages(value: ir.Value, want: list[int], tables: dict) -> ir.Value:
    """The paged K or V `value` (collapse <- transpose <- whole-page gather: ir/paged.py) with its key dim grown to
    `want`'s in whole pages of a padded page table (`tables`: the table already padded, by table and size, so K
    and V share one); its other dims as they were."""
    collapse = producer(value, "tensor.collapse_shape")
    transpose = producer(collapse.operands[0], "linalg.transpose") if collapse is not None else None
    gather = producer(transpose.operands[0], GATHER) if transpose is not None else None
    if gather is None:
        raise TilefuseError(f"pad-to-tiles: a paged K/V {value.type} is not read as gathered pages")
    have = b.shape(value)
    groups = [[ir.IntegerAttr(i).value for i in g] for g in ir.ArrayAttr(collapse.attributes["reassociation"])]
    perm = list(ir.DenseI64ArrayAttr(transpose.attributes["permutation"]))
    (keys,) = [d for d, g in enumerate(groups) if len(g) == 2]
    pages_dim, page_dim = (perm[d] for d in groups[keys])  # the gather's pages (a dim of the table) and page
    gathered = b.shape(gather.results[0])
    page = gathered[page_dim]
    if (want[keys] - have[keys]) % page:
        raise TilefuseError(f"pad-to-tiles: {want[keys]} keys are no whole number of pages of {page}")
    pages = want[keys] // page
    table = gather.operands[1]
    if (table, pages) not in tables:
        tables[(table, pages)] = _repeated(table, pages_dim, pages)
    gathered[pages_dim] = pages
    out = b.empty(gathered, b.element_type(gather.results[0]))
    regathered = ir.Operation.create(GATHER, [out.type], [gather.operands[0], tables[(table, pages)], out],
                                     {"dimension_map": gather.attributes["dimension_map"]}).result
    transposed = b.empty([gathered[p] for p in perm], b.element_type(regathered))
    transposed = linalg.transpose(regathered, outs=[transposed], permutation=perm).results[0]
    return b.collapse_shape(transposed, groups, have[:keys] + [want[keys]] + have[keys + 1:])


def _repeated(table: ir.Value, dim: int, pages: int) -> ir.Value:
    """TABLE grown along DIM to PAGES entries: entry j is the row's entry j mod (its entries). One elementwise op
    (one small dispatch): a tensor.concat of the table and its first entries is two strided copies (two
    dispatches) where the table has rows before DIM."""
    shape = b.shape(table)
    entries = shape[dim]

    def entry(_block):
        at = [b.linalg_index(d) for d in range(len(shape))]
        at[dim] = arith.RemUIOp(at[dim], b.index(entries)).result
        return tensor.ExtractOp(table, at).result

    return b.elementwise(b.empty(shape[:dim] + [pages] + shape[dim + 1:], b.element_type(table)), entry,
                         in_place=False)
