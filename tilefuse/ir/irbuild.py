"""Builders for the few ops the Python stages create, at the current insertion point and location.

They call the generated op builders (iree.compiler.dialects.*), deriving the result types and static operands
those need from the values at hand, so the passes read as what they build.
"""

from __future__ import annotations

import iree.compiler.ir as ir
from iree.compiler.dialects import affine, arith, gpu, linalg, memref, tensor, vector


def shape(v: ir.Value) -> list[int]:
    return list(v.type.shape)


def element_type(v: ir.Value) -> ir.Type:
    return v.type.element_type


def reassociation(groups: list[list[int]]) -> ir.ArrayAttr:
    """A reshape's reassociation attribute: each group's dims."""
    i64 = ir.IntegerType.get_signless(64)
    return ir.ArrayAttr.get([ir.ArrayAttr.get([ir.IntegerAttr.get(i64, i) for i in g]) for g in groups])


def index(value: int) -> ir.Value:
    return arith.ConstantOp(ir.IndexType.get(), ir.IntegerAttr.get(ir.IndexType.get(), value)).result


def constant(elem: ir.Type, value: float) -> ir.Value:
    attr = ir.IntegerAttr.get(elem, int(value)) if isinstance(elem, ir.IntegerType) else ir.FloatAttr.get(elem, value)
    return arith.ConstantOp(elem, attr).result


def expand_shape(value: ir.Value, groups: list[list[int]], out_shape: list[int]) -> ir.Value:
    """`value` expanded; a run-time dim of the result is a source dim kept whole (a group of one), its size the
    source's."""
    t = ir.RankedTensorType.get(out_shape, element_type(value))
    dynamic = []
    for source_dim, group in enumerate(groups):
        if any(out_shape[d] == ir.ShapedType.get_dynamic_size() for d in group):
            if len(group) != 1:
                raise ValueError("expand_shape of a run-time dim into several")
            dynamic.append(tensor.DimOp(value, index(source_dim)).result)
    return tensor.ExpandShapeOp(t, value, reassociation(groups), dynamic, out_shape).result


def split_dim(value: ir.Value, at: int, outer: int) -> ir.Value:
    """`value` with dim `at` expanded to (outer, size / outer)."""
    shape_ = shape(value)
    groups = [[i] for i in range(at)] + [[at, at + 1]] + [[i + 1] for i in range(at + 1, len(shape_))]
    return expand_shape(value, groups, shape_[:at] + [outer, shape_[at] // outer] + shape_[at + 1:])


def split_inner(value: ir.Value, at: int, inner: int) -> ir.Value:
    """`value` with dim `at` expanded to (size / inner, inner); a run-time size gives a run-time outer dim."""
    shape_ = shape(value)
    if not ir.ShapedType.is_dynamic_size(shape_[at]):
        return split_dim(value, at, shape_[at] // inner)
    groups = [[i] for i in range(at)] + [[at, at + 1]] + [[i + 1] for i in range(at + 1, len(shape_))]
    out_shape = shape_[:at] + [shape_[at], inner] + shape_[at + 1:]
    outer = arith.DivUIOp(tensor.DimOp(value, index(at)).result, index(inner)).result
    t = ir.RankedTensorType.get(out_shape, element_type(value))
    return tensor.ExpandShapeOp(t, value, reassociation(groups), [outer], out_shape).result


def collapse_shape(value: ir.Value, groups: list[list[int]], out_shape: list[int]) -> ir.Value:
    t = ir.RankedTensorType.get(out_shape, element_type(value))
    return tensor.CollapseShapeOp(t, value, reassociation(groups)).result


def groups_around(rank: int, kept: list[int]) -> list[list[int]]:
    """A collapse_shape's groups for `rank` dims that keeps the dims `kept` (in order, at least one), each other dim
    merged into the next kept dim's group (trailing ones into the last): the collapse of the others where they are
    unit dims."""
    groups, pending = [], []
    for d in range(rank):
        pending.append(d)
        if d in kept:
            groups.append(pending)
            pending = []
    groups[-1] += pending
    return groups


def extract_slice(source: ir.Value, dynamic: list, offsets: list[int], sizes: list[int]) -> ir.Value:
    """A unit-stride slice; `offsets` holds irutil.DYNAMIC where the next value of `dynamic` goes."""
    t = ir.RankedTensorType.get(sizes, element_type(source))
    return tensor.ExtractSliceOp(t, source, dynamic, [], [], offsets, sizes, [1] * len(sizes)).result


def parallel_insert_slice(value: ir.Value, dest: ir.Value, dynamic: list, offsets: list[int], sizes: list[int]):
    return tensor.ParallelInsertSliceOp(value, dest, dynamic, [], [], offsets, sizes, [1] * len(sizes))


def _in_bounds(rank: int, vector_rank: int | None = None) -> dict:
    """In-bounds transfer of the innermost `vector_rank` (default: all) dims of a rank-`rank` source."""
    vector_rank = rank if vector_rank is None else vector_rank
    return {"permutation_map": ir.AffineMap.get_minor_identity(rank, vector_rank), "in_bounds": [True] * vector_rank}


def read(t: ir.Value) -> ir.Value:
    """The whole of a static tensor as a vector."""
    rank = len(shape(t))
    return vector.TransferReadOp(ir.VectorType.get(shape(t), element_type(t)), t, [index(0)] * rank,
                                 padding=constant(element_type(t), 0.0), **_in_bounds(rank)).result


def write(v: ir.Value, dest: ir.Value) -> ir.Value:
    """`v` as the whole of a tensor shaped like `dest`."""
    rank = len(shape(dest))
    return vector.TransferWriteOp(dest.type, v, dest, [index(0)] * rank, **_in_bounds(rank)).result


def shape_cast(v: ir.Value, out_shape: list[int]) -> ir.Value:
    return vector.ShapeCastOp(ir.VectorType.get(out_shape, element_type(v)), v).result


def transpose(v: ir.Value, perm: list[int]) -> ir.Value:
    out = ir.VectorType.get([shape(v)[p] for p in perm], element_type(v))
    return vector.TransposeOp(out, v, perm).result


def extract(v: ir.Value, position: int) -> ir.Value:
    return vector.ExtractOp(v, [], [position]).result


def from_elements(elements: list[ir.Value], vtype: ir.Type) -> ir.Value:
    return vector.FromElementsOp(vtype, elements).result


def sizes(value: ir.Value) -> list:
    """VALUE's dim sizes as tensor.empty takes them: a static size, else its tensor.dim (a run-time size)."""
    return [n if not ir.ShapedType.is_dynamic_size(n) else tensor.DimOp(value, index(d)).result
            for d, n in enumerate(shape(value))]


def empty(shape_: list[int], elem: ir.Type) -> ir.Value:
    return tensor.EmptyOp(shape_, elem).result


def empty_like(value: ir.Value, elem: ir.Type | None = None) -> ir.Value:
    """A tensor.empty of VALUE's shape, its run-time sizes read with tensor.dim (`sizes`), of `elem` (default:
    VALUE's element type)."""
    return tensor.EmptyOp(sizes(value), elem or element_type(value)).result


def pad(value: ir.Value, high: list[int], pad_value: ir.Value) -> ir.Value:
    """tensor.pad at the end of each dimension by `high`, filled with `pad_value`."""
    out = ir.RankedTensorType.get([s + h for s, h in zip(shape(value), high)], element_type(value))
    op = tensor.PadOp(out, value, [], [], [0] * len(high), high)
    block = op.regions[0].blocks.append(*[ir.IndexType.get()] * len(high))
    with ir.InsertionPoint(block):
        tensor.YieldOp(pad_value)
    return op.result


def pad_dims_to(value: ir.Value, sizes: dict[int, int], fill: ir.Value) -> ir.Value:
    """VALUE padded at the end of each dim of SIZES (run-time sizes <= those) to that size, with FILL (the tail
    stages' in-kernel pad of a tile of run-time size)."""
    shape_ = ir.RankedTensorType(value.type)
    out = ir.RankedTensorType.get([sizes.get(d, s) for d, s in enumerate(shape_.shape)], shape_.element_type)
    # a static dim's pad is a constant (a static tail: m-tail's rows of a decode): the op then says its sizes itself
    dynamic = ir.ShapedType.get_dynamic_size()
    static_high = [sizes[d] - s if d in sizes and not shape_.is_dynamic_dim(d) else dynamic if d in sizes else 0
                   for d, s in enumerate(shape_.shape)]
    highs = [arith.SubIOp(index(sizes[d]), tensor.DimOp(value, index(d)).result).result
             for d in sorted(sizes) if static_high[d] == dynamic]
    op = tensor.PadOp(out, value, [], highs, [0] * shape_.rank, static_high)
    block = op.regions[0].blocks.append(*[ir.IndexType.get()] * shape_.rank)
    with ir.InsertionPoint(block):
        tensor.YieldOp(fill)
    return op.result


def linalg_index(dim: int) -> ir.Value:
    return linalg.IndexOp(dim).result


def inlined_body(block: ir.Block, mapping: dict, index) -> list[ir.Value]:
    """A linalg body's ops cloned at the insertion point, its values through `mapping` (the block arguments and
    any value from outside it mapped there; it is extended with the clones'), each `linalg.index d` replaced by
    `index(d)`; returns the values its linalg.yield yields."""
    for inner in block.operations:
        inner = inner.operation
        if inner.name == "linalg.yield":
            return [mapping.get(v, v) for v in inner.operands]
        if inner.name == "linalg.index":
            mapping[inner.results[0]] = index(ir.IntegerAttr(inner.attributes["dim"]).value)
            continue
        clone = inner.clone()
        for i, operand in enumerate(inner.operands):
            if operand in mapping:
                clone.operands[i] = mapping[operand]
        mapping.update(zip(inner.results, clone.results))
    raise ValueError("a linalg body without linalg.yield")


def cmpi_lt(lhs: ir.Value, rhs: ir.Value) -> ir.Value:
    return arith.CmpIOp(arith.CmpIPredicate.slt, lhs, rhs).result


def select(cond: ir.Value, a: ir.Value, b_: ir.Value) -> ir.Value:
    return arith.SelectOp(cond, a, b_).result


def elementwise(tensor_: ir.Value, body, in_place: bool) -> ir.Value:
    """A linalg.generic over every element of `tensor_`: `body(block)` returns the element to yield. With
    `in_place` the tensor is the input (block argument 0) of a fresh output; otherwise it is the output."""
    rank = len(shape(tensor_))
    identity = ir.AffineMapAttr.get(ir.AffineMap.get_identity(rank))
    ins = [tensor_] if in_place else []
    outs = [empty_like(tensor_)] if in_place else [tensor_]
    op = linalg.GenericOp([tensor_.type], ins, outs, ir.ArrayAttr.get([identity] * (len(ins) + 1)),
                          [linalg.IteratorType.parallel] * rank)
    block = op.regions[0].blocks.append(*[element_type(tensor_)] * (len(ins) + 1))
    with ir.InsertionPoint(block):
        linalg.YieldOp([body(block)])
    return op.result


def broadcast(value: ir.Value, out_shape: list[int], read: list[int]) -> ir.Value:
    """`value` copied to every position of `out_shape`'s dims it lacks: a linalg.generic whose input reads the
    output dims `read` (in order). The dims it reads have `value`'s sizes (`out_shape`'s are ignored there): a
    run-time one is read with tensor.dim."""
    rank = len(out_shape)
    maps = [ir.AffineMap.get(rank, 0, [ir.AffineDimExpr.get(d) for d in read]), ir.AffineMap.get_identity(rank)]
    out_sizes: list = list(out_shape)
    for d, size in zip(read, sizes(value)):
        out_sizes[d] = size
    out = tensor.EmptyOp(out_sizes, element_type(value)).result
    op = linalg.GenericOp([out.type], [value], [out], ir.ArrayAttr.get([ir.AffineMapAttr.get(m) for m in maps]),
                          [linalg.IteratorType.parallel] * rank)
    block = op.regions[0].blocks.append(element_type(value), element_type(value))
    with ir.InsertionPoint(block):
        linalg.YieldOp([block.arguments[0]])
    return op.result


# ---- memref level (share-kv) ---------------------------------------------------------------------------
def memref_alloc(shape_: list[int], elem: ir.Type, memory_space: str) -> ir.Value:
    t = ir.MemRefType.get(shape_, elem, memory_space=ir.Attribute.parse(memory_space))
    return memref.AllocOp(t, [], []).result


def memref_expand_shape(buffer: ir.Value, like) -> ir.Value:
    """`buffer` (contiguous) reshaped as the memref.expand_shape `like` reshapes its source."""
    out_shape = list(like.result.type.shape)
    t = ir.MemRefType.get(out_shape, buffer.type.element_type, memory_space=buffer.type.memory_space)
    return memref.ExpandShapeOp(t, buffer, like.attributes["reassociation"], [], out_shape).result


def transfer_read_like(read, source: ir.Value) -> ir.Value:
    """`read` (a vector.transfer_read) with another source of the same shape."""
    old = read.operation.opview
    return vector.TransferReadOp(old.result.type, source, old.indices, old.permutation_map, old.padding,
                                 old.in_bounds, mask=old.mask).result


def memref_read(source: ir.Value, indices: list[ir.Value], width: int) -> ir.Value:
    """`width` contiguous elements along the innermost dim, in bounds."""
    return vector.TransferReadOp(ir.VectorType.get([width], source.type.element_type), source, indices,
                                 padding=constant(source.type.element_type, 0.0),
                                 **_in_bounds(len(indices), vector_rank=1)).result


def memref_write(v: ir.Value, dest: ir.Value, indices: list[ir.Value]) -> None:
    vector.TransferWriteOp(None, v, dest, indices, **_in_bounds(len(indices), vector_rank=1))


def affine_apply(expr: ir.AffineExpr, operands: list[ir.Value]) -> ir.Value:
    return affine.AffineApplyOp(ir.AffineMap.get(len(operands), 0, [expr]), operands).result


def thread_id(dim: str) -> ir.Value:
    return gpu.ThreadIdOp(getattr(gpu.Dimension, dim)).result


def barrier() -> None:
    gpu.BarrierOp()


# ---- attention ops (IREE 3.13 ships no Python bindings for iree_linalg_ext: created generically) ---------
def erase_attention(op) -> None:
    """`op` (replaced by a program stage) erased, and the tensor.empty it wrote into once nothing else uses it."""
    init = op.operands[-1]
    op.erase()
    if init.owner.name == "tensor.empty" and not list(init.uses):
        init.owner.erase()


def rebuilt_attention(op, operands: list[ir.Value], maps: list[ir.AffineMap], result_types=None,
                      name: str | None = None) -> ir.Operation:
    """An attention / online_attention like `op` (attributes and score region moved over) with other operands
    and indexing maps, at the insertion point; `name`: another op of the two (default: `op`'s)."""
    return rebuilt(op, operands, result_types or [r.type for r in op.results], name,
                   indexing_maps=ir.ArrayAttr.get([ir.AffineMapAttr.get(m) for m in maps]))


def rebuilt(op, operands: list[ir.Value], result_types: list[ir.Type], name: str | None = None,
            **attributes: ir.Attribute) -> ir.Operation:
    """An op like one-region `op` (its attributes, updated by `attributes`, and its region moved over) with other
    operands and result types, at the insertion point."""
    new = ir.Operation.create(name or op.name, result_types, operands,
                              {**{k: op.attributes[k] for k in op.attributes}, **attributes}, regions=1)
    src = op.regions[0].blocks[0]
    dst = new.regions[0].blocks.append(*[a.type for a in src.arguments])
    for a, a_new in zip(src.arguments, dst.arguments):
        a.replace_all_uses_with(a_new)
    for inner in list(src.operations):
        inner.detach_from_parent()
        dst.append(inner)
    return new


def score_identity(op) -> None:
    """The score region of `op` replaced by the one that keeps the score."""
    block = op.regions[0].blocks[0]
    for inner in reversed(list(block.operations)):
        inner.erase()
    with ir.InsertionPoint(block):
        ir.Operation.create("iree_linalg_ext.yield", [], [block.arguments[0]])
