"""Program stage `paged-form` of the tilefuse paths: torch's paged decode (`cache[page_table]`, `arange(keys) <
seq_lens[:, None]`, SDPA; tests/fixtures/torch/paged_seq_lens_decode.mlir) made the form that seq-lens, split-k2
and page-kv take (the one `tilefuse problem --paged P --seq-lens` writes). Three exact rewrites:

    pages    a linalg.generic of tensor.extract (ir/paged.py generic_gather)   -> iree_linalg_ext.gather of the
             pool through the table (Python's wrap of negative page ids kept: an elementwise generic of the table)
    batch    an attention batch dim that K and V read as a collapse of (batch, heads) (IREE's input conversion
             merges them; unrepeat-kv groups the query heads under it) -> those dims, every operand expanded
             (a reshape of the iteration space: each element computed as before), the result collapsed back
    mask     a mask proven key < L[b] through reshapes and broadcasts (ir/seq_lens.py traced_lengths) -> one
             generic of (b, rows, keys) from L, the form ir/seq_lens.py length_mask proves

Only an attention whose K and V are paged (whole pages through a table) is rewritten: what is not proven stays as
it was. design/tilefuse-path.md, "Paged KV"."""

from __future__ import annotations

import math

import iree.compiler.ir as ir
from iree.compiler.dialects import arith, linalg

from ...ir import irbuild as b
from ...ir.attention import attention_shape
from ...ir.facts import ATTENTION
from ...ir.irutil import enclosing_func, indexing_maps, projected_dims, walk
from ...ir.paged import GATHER, generic_gather, producer, reassociation
from ...ir.seq_lens import length_mask, traced_lengths
from ..program_stage import rewrite_attention_ops
from ..stage import StageInput, StageResult

_K, _V, _MASK = 1, 2, 4
_RESHAPES = ("tensor.collapse_shape", "tensor.expand_shape", "linalg.transpose")


def paged_form(module: ir.Module, stage_input: StageInput) -> StageResult:
    return rewrite_attention_ops(module, stage_input, _rewrite, kinds=(ATTENTION,))


def _rewrite(op, shape) -> dict | None:
    change = {}
    sources = {_source(op.operands[i]) for i in (_K, _V)}
    # in program order: a table wrapped once for K and V, before the first of them (it then dominates the other)
    gathers = [o.results[0] for o in walk(enclosing_func(op)) if o.name == "linalg.generic" and len(o.results) == 1
               and o.results[0] in sources and generic_gather(o.results[0]) is not None]
    tables: dict = {}
    for value in gathers:
        _replace_gather(value, tables)
    if gathers:
        change["gathers"] = len(gathers)
    merged = _merged_batch(op, shape)
    if merged is not None:
        op = _unmerged(op, *merged)
        change["batch"] = merged[1]
    if _paged(op) and _canonical_mask(op):
        change["mask"] = "length"
    return change or None


def _source(value: ir.Value) -> ir.Value:
    """K's or V's value before the reshapes and transposes that lay its gathered pages out as keys."""
    while (owner := value.owner) is not None and not isinstance(owner, ir.Block) \
            and owner.operation.name in _RESHAPES:
        value = owner.operation.operands[0]
    return value


def _replace_gather(value: ir.Value, tables: dict) -> None:
    """The generic gather `value` replaced by iree_linalg_ext.gather through the (wrapped) table; `tables`: the
    wrapped tables built so far, by (table, pages, the block holding the gather)."""
    pool, table, wrapped = generic_gather(value)
    generic = value.owner.operation
    with ir.InsertionPoint(generic):  # at the attention's location, as every op a program stage creates
        if wrapped:
            pages = ir.ShapedType(pool.type).shape[0]
            key = (table, pages, generic.parent)
            if key not in tables:
                tables[key] = b.elementwise(table, lambda block: _wrap(block.arguments[0], pages), in_place=True)
            table = tables[key]
        out = b.empty(b.shape(value), b.element_type(value))
        gather = ir.Operation.create(GATHER, [value.type], [pool, table, out],
                                     {"dimension_map": ir.DenseI64ArrayAttr.get([0])})
    value.replace_all_uses_with(gather.result)
    generic.erase()


def _wrap(element: ir.Value, pages: int) -> ir.Value:
    """Python's negative index: element < 0 ? element + pages : element."""
    zero, n = b.constant(element.type, 0), b.constant(element.type, pages)
    return b.select(b.cmpi_lt(element, zero), arith.AddIOp(element, n).result, element)


def _paged(op) -> bool:
    """K and V both gathered (iree_linalg_ext.gather, the rewrite above's) under reshapes and transposes: the
    attentions this stage rewrites further."""
    return all(producer(_source(op.operands[i]), GATHER) is not None for i in (_K, _V))


def _merged_batch(op, shape) -> tuple[int, list[int]] | None:
    """(d, sizes): a batch dim d that K and V both read as one collapsed group of dims of these sizes, K and V
    paged; None where there is none."""
    maps = indexing_maps(op)
    if not _paged(op) or any(projected_dims(m) is None for m in maps):  # every operand reshaped by its dims
        return None
    found = []
    for i in (_K, _V):
        collapse = producer(op.operands[i], "tensor.collapse_shape")
        dims = projected_dims(maps[i])
        if collapse is None:
            return None
        source = b.shape(collapse.operands[0])
        found.append({(dims[at], tuple(source[g] for g in group)) for at, group in enumerate(reassociation(collapse))
                      if len(group) > 1 and dims[at] in shape.batch})
    if len(found[0]) != 1 or found[0] != found[1]:  # one dim, merged alike in K and V
        return None
    ((d, sizes),) = found[0]
    return (d, list(sizes)) if all(s > 0 for s in sizes) else None  # static sizes only


def _unmerged(op, d: int, sizes: list[int]) -> ir.Operation:
    """The attention `op` with its iteration dim d split into dims of `sizes` (row-major), in place of it."""
    maps = indexing_maps(op)
    rank, extra = maps[0].n_dims, len(sizes) - 1

    def renumbered(dims: list[int]) -> list[int]:
        return [e for x in dims for e in (range(d, d + len(sizes)) if x == d else [x + extra if x > d else x])]

    operands, new_maps = list(op.operands), []
    with ir.InsertionPoint(op):
        for i, amap in enumerate(maps):
            dims = projected_dims(amap)
            if d in dims:
                at = dims.index(d)
                collapse = producer(operands[i], "tensor.collapse_shape") if i in (_K, _V) else None
                operands[i] = _split_group(collapse, at) if collapse is not None else \
                    _expand_dim(operands[i], at, sizes)
            new_maps.append(ir.AffineMap.get(rank + extra, 0, [ir.AffineDimExpr.get(x) for x in renumbered(dims)]))
        out_at = projected_dims(maps[-1]).index(d)
        result_type = ir.RankedTensorType.get(b.shape(operands[-1]), b.element_type(op.results[0]))
        new = b.rebuilt_attention(op, operands, new_maps, result_types=[result_type])
        merged = b.collapse_shape(new.results[0], _merge_groups(len(b.shape(operands[-1])), out_at, len(sizes)),
                                  b.shape(op.results[0]))
    op.results[0].replace_all_uses_with(merged)
    b.erase_attention(op)
    return new


def _split_group(collapse: ir.Operation, at: int) -> ir.Value:
    """The collapse's source with group `at` left uncollapsed (the source itself where no other group merges)."""
    groups = reassociation(collapse)
    kept = [[g] for g in groups[at]]
    groups = groups[:at] + kept + groups[at + 1:]
    source = collapse.operands[0]
    if all(len(g) == 1 for g in groups):
        return source
    return b.collapse_shape(source, groups, [math.prod(b.shape(source)[i] for i in g) for g in groups])


def _expand_dim(value: ir.Value, at: int, sizes: list[int]) -> ir.Value:
    shape = b.shape(value)
    return b.expand_shape(value, _merge_groups(len(shape) + len(sizes) - 1, at, len(sizes)),
                          shape[:at] + sizes + shape[at + 1:])


def _merge_groups(rank: int, at: int, count: int) -> list[list[int]]:
    """Groups of `rank` dims, dims at..at+count-1 one group, every other dim its own."""
    return [[i] for i in range(at)] + [list(range(at, at + count))] + [[i] for i in range(at + count, rank)]


def _canonical_mask(op) -> bool:
    """The mask of `op` replaced by the one generic of (b, rows, keys) (rows: the innermost query dim) from the
    lengths where it is proven key < L[b] (ir/seq_lens.py traced_lengths); False where it is not (left as it was)."""
    shape = attention_shape(op)
    maps = indexing_maps(op)
    if len(op.operands) != 6 or len(shape.k2) != 1 or projected_dims(maps[_MASK]) is None \
            or length_mask(op, shape) is not None:  # already the one generic (a problem file's)
        return False
    (key,) = shape.k2
    found = traced_lengths(op.operands[_MASK], projected_dims(maps[_MASK]), shape.sizes, key)
    if found is None:
        return False
    lengths, batch = found
    if batch is None:  # one sequence: its length read at a unit batch dim K and V index
        kv_dims = [set(projected_dims(maps[i]) or ()) for i in (_K, _V)]
        units = [d for d in shape.batch if shape.sizes[d] == 1 and all(d in dims for dims in kv_dims)]
        if not units:
            return False
        batch = units[0]
    dims = [batch, *shape.m[-1:], key]  # as a problem file's: (b, rows, keys), no query head dim (pack-query-groups)
    with ir.InsertionPoint(op):
        mask = _length_mask(lengths, [shape.sizes[x] for x in dims], b.element_type(op.operands[_MASK]))
    op.operands[_MASK] = mask
    maps[_MASK] = ir.AffineMap.get(maps[0].n_dims, 0, [ir.AffineDimExpr.get(x) for x in dims])
    op.attributes["indexing_maps"] = ir.ArrayAttr.get([ir.AffineMapAttr.get(m) for m in maps])
    return True


def _length_mask(lengths: ir.Value, sizes: list[int], elem: ir.Type) -> ir.Value:
    """mask[b, ..., j] = j < lengths[b] (signed, in i64): i1, or 0 / -inf in `elem`."""
    rank = len(sizes)
    out = b.empty(sizes, elem)
    maps = [ir.AffineMap.get(rank, 0, [ir.AffineDimExpr.get(0)]), ir.AffineMap.get_identity(rank)]
    generic = linalg.GenericOp([out.type], [lengths], [out], ir.ArrayAttr.get([ir.AffineMapAttr.get(m) for m in maps]),
                               [linalg.IteratorType.parallel] * rank)
    i64 = ir.IntegerType.get_signless(64)
    block = generic.regions[0].blocks.append(b.element_type(lengths), elem)
    with ir.InsertionPoint(block):
        length = block.arguments[0]
        if isinstance(length.type, ir.IndexType):
            length = arith.IndexCastOp(i64, length).result
        elif ir.IntegerType(length.type).width < 64:  # traced_lengths: i64 at most (torch's)
            length = arith.ExtSIOp(i64, length).result
        key = arith.IndexCastOp(i64, b.linalg_index(rank - 1)).result
        seen = b.cmpi_lt(key, length)
        if not isinstance(elem, ir.IntegerType):
            seen = b.select(seen, b.constant(elem, 0.0), b.constant(elem, -math.inf))
        linalg.YieldOp([seen])
    return generic.result
