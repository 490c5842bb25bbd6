"""Rewrites of a paged K/V's page table in the program (ir/paged.py's form: K and V each the collapse of a
transposed whole-page gather through the table), so that the gathers stay the attention's own reads, in its
dispatch, while what they read changes (design/tilefuse-path.md, "Paged KV"):

- `padded_pages` (pad-to-tiles): pages that hold no whole MMA step (an odd number of 8-key pages) get more
  pages, not padded keys. A tensor.pad of the gathered keys would stand between the gather and the attention, and
  IREE copies the gathered K/V out of the attention's dispatch for it (two dispatches of the whole K/V); a longer
  table keeps the paged form, which page-kv then reads through the attention's maps:

      before   gather (pool, table (b, pages))       -> transpose -> collapse (b, h, pages * page, d)
      after    gather (pool, table' (b, pages + p))  -> transpose -> collapse (b, h, (pages + p) * page, d)

  entry j of table' is the row's entry j mod its pages: a page the row reads anyway, so the padding holds nothing
  (no NaN, no Inf) the unpadded attention does not meet; pad-to-tiles' key mask hides the keys past the real ones.
- `live_pages` (seq-lens): under the sequences' lengths, a K2 step of several pages (pages of fewer keys than an
  MMA step: page-step) reads, in a sequence's last live step, pages past its end, which may hold anything (NaN:
  0 x NaN is NaN, the mask does not help). Each entry of a page wholly past its row's length is replaced by the
  row's first entry, a live page wherever a step runs (seq-lens-bound runs no step of a sequence of no keys): the
  gathers read only live pages, whose keys past the end the mask hides as before.

Each is one elementwise generic over the table (a few ints: one small dispatch of its own)."""

from __future__ import annotations

import iree.compiler.ir as ir
from iree.compiler.dialects import arith, linalg, tensor

from ..errors import TilefuseError
from ..ir import irbuild as b
from ..ir.irutil import DYNAMIC, indexing_maps, projected_dims
from ..ir.paged import GATHER, NotPaged, paged_chain
from ..ir.seq_lens import LengthMask


def padded_pages(value: ir.Value, want: list[int], tables: dict) -> ir.Value:
    """The paged K or V `value` with its key dim grown to `want`'s in whole pages of a padded page table
    (`tables`: the tables already padded, by table and size, so K and V share one); its other dims as they were."""
    chain = paged_chain(value)
    if isinstance(chain, NotPaged):
        raise TilefuseError(f"pad-to-tiles: a paged K/V {value.type} is not read as gathered pages: {chain.why}")
    have, keys, page, pages_dim = b.shape(value), chain.keys, chain.page, chain.pages_dim
    if (want[keys] - have[keys]) % page:
        raise TilefuseError(f"pad-to-tiles: {want[keys]} keys are no whole number of pages of {page}")
    pages = want[keys] // page
    if (chain.table, pages) not in tables:
        tables[(chain.table, pages)] = _repeated(chain.table, pages_dim, pages)
    gathered = b.shape(chain.gather.results[0])
    gathered[pages_dim] = pages
    out = b.empty(gathered, b.element_type(chain.gather.results[0]))
    regathered = ir.Operation.create(GATHER, [out.type], [chain.pool, tables[(chain.table, pages)], out],
                                     {"dimension_map": chain.gather.attributes["dimension_map"]}).result
    perm = chain.permutation
    transposed = b.empty([gathered[p] for p in perm], b.element_type(regathered))
    transposed = linalg.transpose(regathered, outs=[transposed], permutation=perm).results[0]
    return b.collapse_shape(transposed, chain.groups, have[:keys] + [want[keys]] + have[keys + 1:])


def live_pages(op: ir.Operation, lengths: LengthMask) -> bool:
    """The attention `op`'s K and V gathers read a table whose entries past each row's length (in whole pages) are
    the row's first entry; False (nothing changed) where K and V are not gathered through one (rows, pages) table
    whose rows the lengths' batch dim indexes."""
    maps = indexing_maps(op)
    found = set()
    gathers = []
    for i in (1, 2):
        chain = paged_chain(op.operands[i])
        dims = projected_dims(maps[i])
        if isinstance(chain, NotPaged) or dims is None or lengths.batch not in dims:
            return False
        row_group = chain.groups[dims.index(lengths.batch)]
        if len(row_group) != 1:
            return False
        found.add((chain.table, chain.permutation[row_group[0]], chain.pages_dim, chain.page))
        gathers.append(chain.gather)
    if len(found) != 1:
        return False
    ((table, row, pages_dim, page),) = found
    if sorted((row, pages_dim)) != [0, 1] or len(b.shape(table)) != 2 or DYNAMIC in b.shape(table):
        return False  # (a table of run-time length: several pages a step are not built over it, plan.py)
    ops = [g.operation for g in gathers]
    with ir.InsertionPoint(next(o for o in gathers[0].operation.block.operations if o.operation in ops)):
        live = _live(table, row, pages_dim, page, lengths.lengths)
    for gather in gathers:
        gather.operands[1] = live
    return True


def _live(table: ir.Value, row: int, pages_dim: int, page: int, lengths: ir.Value) -> ir.Value:
    """entry (r, j) of TABLE where page j holds a key below lengths[r] (j * page < lengths[r], signed: a length
    of 0 or less has none), else entry (r, 0)."""
    identity = ir.AffineMap.get_identity(2)
    by_row = ir.AffineMap.get(2, 0, [ir.AffineDimExpr.get(row)])
    op = linalg.GenericOp([table.type], [table, lengths], [b.empty(b.shape(table), b.element_type(table))],
                          ir.ArrayAttr.get([ir.AffineMapAttr.get(m) for m in (identity, by_row, identity)]),
                          [linalg.IteratorType.parallel] * 2)
    block = op.regions[0].blocks.append(b.element_type(table), b.element_type(lengths), b.element_type(table))
    with ir.InsertionPoint(block):
        entry, length, _out = block.arguments
        first_key = arith.MulIOp(b.linalg_index(pages_dim), b.index(page)).result
        seen = b.cmpi_lt(first_key, arith.IndexCastOp(ir.IndexType.get(), length).result)
        at = [b.linalg_index(row), b.index(0)] if row == 0 else [b.index(0), b.linalg_index(row)]
        linalg.YieldOp([b.select(seen, entry, tensor.ExtractOp(table, at).result)])
    return op.result


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

