"""Is an attention's mask its sequences' lengths? A proof from the IR of the form serving code and
`tilefuse problem --paged PAGE --seq-lens` write: the mask built by one all-parallel linalg.generic from a
lengths tensor L (one integer per batch row) and the key index,

    mask[b, ..., j] = j < L[b] ? 0 : -inf        (additive: 0 / -inf; boolean: the comparison itself)

so key j of batch row b adds nothing where j >= L[b]: a sequence's keys past its length (its pages past the end)
need not be read. Proven element by element: the generic's one input is L, read at one dim that the attention
indexes K and V by (a batch dim); its body yields select(key < length, 0, -inf) (or the i1 comparison), key a
cast of linalg.index of the dim the attention's mask map sends to its K2 dim, length L's element (or a cast of it); the
comparison signed (`slt`, or `sgt` with the operands swapped: a negative length hides every key, as 0 does).
Anything else (another factor, a non-strict comparison, an offset key, a finite bias) is no length mask: the
caller keeps the mask as it is. design/tilefuse-path.md, "Paged KV"."""

from __future__ import annotations

import math
from dataclasses import dataclass

import iree.compiler.ir as ir

from .attention import AttentionShape
from .irutil import indexing_maps, iterator_types, projected_dims

# The mark of an attention whose mask is proven a length mask (codegen/stages/seq_lens.py), read in the dispatch
# (codegen/stages/seq_lens_bound.py)
KEY_LENGTHS = "tilefuse.key_lengths"
# attention's operands: Q, K, V, scale, (mask,) out
_K, _V, _MASK = 1, 2, 4
_SLT, _SGT = 2, 4  # arith.cmpi's signed predicates
_CASTS = ("arith.index_cast", "arith.index_castui", "arith.extsi", "arith.extui")


@dataclass(frozen=True)
class LengthMask:
    """Key j of batch index b is seen exactly where j < lengths[b] (cast to the key's width): `lengths` the
    program's value (rank 1, integer), `batch` the attention's iteration dim that indexes it."""

    lengths: ir.Value
    batch: int


def length_mask(op: ir.Operation, shape: AttentionShape) -> LengthMask | None:
    """The attention `op`'s mask as the lengths it hides the keys past, or None where that is not proven."""
    maps = indexing_maps(op)
    if len(shape.k2) != 1 or len(op.operands) - len(op.results) != 5:
        return None
    mask_dims = projected_dims(maps[_MASK])
    generic = _owner(op.operands[_MASK], "linalg.generic")
    found = length_generic(generic) if mask_dims is not None and generic is not None else None
    if found is None or mask_dims[found.key] != shape.k2[0]:
        return None
    batch = mask_dims[found.batch]
    kv_dims = [set(projected_dims(maps[i]) or ()) for i in (_K, _V)]
    if batch not in shape.batch or not all(batch in dims for dims in kv_dims):
        return None
    if shape.sizes[shape.k2[0]] >= 2 ** 31:  # a key index cast to i32 must not wrap
        return None
    return LengthMask(found.lengths, batch)


@dataclass(frozen=True)
class LengthGeneric:
    """A linalg.generic whose element at index i is seen exactly where i[key] < lengths[i[batch]]: `batch` and
    `key` its own dims."""

    lengths: ir.Value
    batch: int
    key: int


def length_generic(generic: ir.Operation) -> LengthGeneric | None:
    """The mask the all-parallel `generic` builds from one lengths tensor (read at one of its dims, its output
    indexed by the identity), as its batch and key dims; None where it is not that form."""
    if generic.name != "linalg.generic" or len(generic.operands) != 2:
        return None
    in_map, out_map = indexing_maps(generic)
    rank = len(iterator_types(generic))
    out_dims, in_dims = projected_dims(out_map), projected_dims(in_map)
    if out_dims != list(range(rank)) or in_dims is None or len(in_dims) != 1 \
            or set(iterator_types(generic)) != {"parallel"}:
        return None
    block = generic.regions[0].blocks[0]
    length, out = block.arguments
    (yield_op,) = [o for o in block.operations if o.operation.name == "linalg.yield"]
    seen = _seen(yield_op.operands[0], isinstance(out.type, ir.IntegerType))
    key = _key_below(seen, length) if seen is not None else None
    return None if key is None else LengthGeneric(generic.operands[0], in_dims[0], key)


def _seen(value: ir.Value, boolean: bool) -> ir.Value | None:
    """The i1 condition under which the mask element is 0 (true for a boolean mask) and -inf otherwise."""
    if boolean:
        return value
    select = _owner(value, "arith.select")
    if select is None:
        return None
    cond, visible, hidden = select.operands
    return cond if _float(visible) == 0.0 and _float(hidden) == -math.inf else None


def _key_below(cond: ir.Value, length: ir.Value) -> int | None:
    """d where `cond` is (linalg.index d) < `length`, signed, through casts; else None."""
    cmp = _owner(cond, "arith.cmpi")
    if cmp is None:
        return None
    below = {_SLT: (0, 1), _SGT: (1, 0)}.get(ir.IntegerAttr(cmp.attributes["predicate"]).value)
    if below is None:
        return None
    lhs, rhs = (cmp.operands[i] for i in below)  # lhs < rhs
    return _index_of(lhs) if _uncast(rhs) == length else None


def _uncast(value: ir.Value) -> ir.Value:
    """`value` before its casts (a length extended to the key's width, as torch's i32 lengths against an i64
    arange: any function of the length alone keeps the seen keys a prefix)."""
    while (owner := _owner(value)) is not None and owner.name in _CASTS:
        value = owner.operands[0]
    return value


def _index_of(value: ir.Value) -> int | None:
    """d where `value` is linalg.index d, through casts; else None."""
    owner = _owner(_uncast(value), "linalg.index")
    return None if owner is None else ir.IntegerAttr(owner.attributes["dim"]).value


def _float(value: ir.Value) -> float | None:
    owner = _owner(value, "arith.constant")
    attr = owner.attributes["value"] if owner is not None else None
    return ir.FloatAttr(attr).value if isinstance(attr, ir.FloatAttr) else None


def _owner(value: ir.Value, name: str | None = None) -> ir.Operation | None:
    owner = value.owner
    if not isinstance(owner, (ir.Operation, ir.OpView)):
        return None  # a block argument
    owner = owner.operation
    return owner if name is None or owner.name == name else None


# An element index of a tensor as the attention's iteration dims: per tensor dim, the (dim, size) pairs whose
# row-major number it is (dims of size 1, always index 0, left out).
Index = list[tuple[tuple[int, int], ...]]
_SIGNED_CASTS = ("arith.index_cast", "arith.extsi")  # a length's casts that keep its value


def traced_lengths(mask: ir.Value, dims: list[int], sizes: tuple[int, ...],
                   key: int) -> tuple[ir.Value, int | None] | None:
    """(L, d) where the attention's mask operand `mask` (read at its iteration dims `dims`, of `sizes`) is seen
    exactly where key < L[d] (boolean, or 0 / -inf): torch's `arange(keys) < seq_lens[:, None]` after IREE's input
    conversion, its value followed element by element through expand/collapse_shape and copying generics
    (broadcasts: input maps of dims and 0s) to one all-parallel generic comparing, signed, the key (its
    linalg.index, or an `arange` generic's, through casts) with the element of a rank-1 L (through index_cast /
    extsi, which keep its value). `key` must be the attention's K2 dim `key` itself; None for anything else. d is
    None where L has one element (one sequence: every index reads it)."""
    found = _traced(mask, [((d, sizes[d]),) if sizes[d] != 1 else () for d in dims])
    generic = _owner(found[0], "linalg.generic") if found is not None else None
    loops = _loops(generic, found[1]) if generic is not None else None
    if loops is None:
        return None
    block = generic.regions[0].blocks[0]
    seen = _seen(_yielded(block), isinstance(block.arguments[-1].type, ir.IntegerType))
    cmp = _owner(seen, "arith.cmpi") if seen is not None else None
    predicate = ir.IntegerAttr(cmp.attributes["predicate"]).value if cmp is not None else None
    below = {_SLT: (0, 1), _SGT: (1, 0)}.get(predicate)
    if below is None:
        return None
    key_index = _index(cmp.operands[below[0]], generic, loops)
    length = _element(cmp.operands[below[1]], generic, loops)
    if key_index != ((key, sizes[key]),) or length is None or sizes[key] >= 2 ** 31:
        return None
    lengths, at = length
    elem = ir.ShapedType(lengths.type).element_type
    narrow = isinstance(elem, ir.IndexType) or isinstance(elem, ir.IntegerType) and elem.width <= 64
    if not narrow or len(at) != 1 or len(at[0]) > 1 or not at[0] and ir.ShapedType(lengths.type).shape != [1]:
        return None
    return lengths, at[0][0][0] if at[0] else None


def _traced(value: ir.Value, index: Index) -> tuple[ir.Value, Index] | None:
    """The value and index `value` at `index` copies its element from, through reshapes and copying generics."""
    while True:
        owner = _owner(value)
        if owner is not None and owner.name in ("tensor.expand_shape", "tensor.collapse_shape"):
            groups = [[ir.IntegerAttr(i).value for i in g] for g in ir.ArrayAttr(owner.attributes["reassociation"])]
            source = owner.operands[0]
            if owner.name == "tensor.expand_shape":
                index = [tuple(a for d in g for a in index[d]) for g in groups]
            else:
                shape = ir.ShapedType(source.type).shape
                parts = [_split(index[i], [shape[d] for d in g]) for i, g in enumerate(groups)]
                if None in parts:
                    return None
                index = [a for part in parts for a in part]
            value = source
            continue
        generic = owner if owner is not None and owner.name == "linalg.generic" else None
        loops = _loops(generic, index) if generic is not None else None
        copied = _yielded(generic.regions[0].blocks[0]) if loops is not None else None
        arg = _input_arg(copied, generic) if copied is not None else None
        if arg is None:
            return value, index
        value, index = generic.operands[arg], _input_index(generic, arg, loops)
        if index is None:
            return None


def _split(atoms: tuple, sizes: list[int]) -> list[tuple] | None:
    """`atoms` cut into consecutive runs of the row-major `sizes`; None where a size falls inside an atom."""
    rest, runs = list(atoms), []
    for size in sizes:
        run, n = [], 1
        while n < size and rest:
            run.append(rest.pop(0))
            n *= run[-1][1]
        if n != size:
            return None
        runs.append(tuple(run))
    return runs if not rest else None


def _loops(generic: ir.Operation, index: Index) -> Index | None:
    """The generic's loop indices where its one result is read at `index` (all parallel, identity output map)."""
    maps = indexing_maps(generic)
    rank = len(iterator_types(generic))
    if len(generic.results) != 1 or set(iterator_types(generic)) != {"parallel"} \
            or projected_dims(maps[-1]) != list(range(rank)):
        return None
    return index


def _input_index(generic: ir.Operation, arg: int, loops: Index) -> Index | None:
    index = []
    for expr in indexing_maps(generic)[arg].results:
        if isinstance(expr, ir.AffineDimExpr):
            index.append(loops[expr.position])
        elif isinstance(expr, ir.AffineConstantExpr) and expr.value == 0:
            index.append(())
        else:
            return None
    return index


def _input_arg(value: ir.Value, generic: ir.Operation) -> int | None:
    """i where `value` is the generic's block argument of input i."""
    inputs = len(generic.operands) - len(generic.results)
    if isinstance(value, ir.BlockArgument) and value.owner == generic.regions[0].blocks[0] \
            and value.arg_number < inputs:
        return value.arg_number
    return None


def _index(value: ir.Value, generic: ir.Operation, loops: Index) -> tuple | None:
    """The index `value` is (through casts): the generic's linalg.index, or an input's element that an all-parallel
    generic of no input (an arange) yields as its own linalg.index."""
    value = _uncast(value)
    index = _owner(value, "linalg.index")
    if index is not None:
        return loops[ir.IntegerAttr(index.attributes["dim"]).value]
    arg = _input_arg(value, generic)
    at = _input_index(generic, arg, loops) if arg is not None else None
    found = _traced(generic.operands[arg], at) if at is not None else None
    arange = _owner(found[0], "linalg.generic") if found is not None else None
    if arange is None or len(arange.operands) != 1 or _loops(arange, found[1]) is None:
        return None
    index = _owner(_uncast(_yielded(arange.regions[0].blocks[0])), "linalg.index")
    return found[1][ir.IntegerAttr(index.attributes["dim"]).value] if index is not None else None


def _element(value: ir.Value, generic: ir.Operation, loops: Index) -> tuple[ir.Value, Index] | None:
    """(L, its index) where `value` is an input's element (through value-keeping casts) copied from L."""
    while (owner := _owner(value)) is not None and owner.name in _SIGNED_CASTS:
        value = owner.operands[0]
    arg = _input_arg(value, generic)
    at = _input_index(generic, arg, loops) if arg is not None else None
    return _traced(generic.operands[arg], at) if at is not None else None


def _yielded(block: ir.Block) -> ir.Value:
    (yield_op,) = [o for o in block.operations if o.operation.name == "linalg.yield"]
    return yield_op.operands[0]
