"""Builders for the few ops the Python stages create, at the current insertion point and location.

The upstream Python builders need the result types and segment sizes these helpers derive; keeping them here
leaves the passes readable.
"""

from __future__ import annotations

import iree.compiler.ir as ir


def shape(v: ir.Value) -> list[int]:
    return list(v.type.shape)


def element_type(v: ir.Value) -> ir.Type:
    return v.type.element_type


def _i64s(groups: list[list[int]]) -> ir.ArrayAttr:
    i64 = ir.IntegerType.get_signless(64)
    return ir.ArrayAttr.get([ir.ArrayAttr.get([ir.IntegerAttr.get(i64, i) for i in g]) for g in groups])


def index(value: int) -> ir.Value:
    return ir.Operation.create("arith.constant", [ir.IndexType.get()], [],
                               {"value": ir.IntegerAttr.get(ir.IndexType.get(), value)}).result


def constant(elem: ir.Type, value: float) -> ir.Value:
    attr = ir.IntegerAttr.get(elem, int(value)) if isinstance(elem, ir.IntegerType) else ir.FloatAttr.get(elem, value)
    return ir.Operation.create("arith.constant", [elem], [], {"value": attr}).result


def expand_shape(value: ir.Value, groups: list[list[int]], out_shape: list[int]) -> ir.Value:
    t = ir.RankedTensorType.get(out_shape, element_type(value))
    return ir.Operation.create("tensor.expand_shape", [t], [value], {
        "reassociation": _i64s(groups), "static_output_shape": ir.DenseI64ArrayAttr.get(out_shape)}).result


def collapse_shape(value: ir.Value, groups: list[list[int]], out_shape: list[int]) -> ir.Value:
    t = ir.RankedTensorType.get(out_shape, element_type(value))
    return ir.Operation.create("tensor.collapse_shape", [t], [value], {"reassociation": _i64s(groups)}).result


def _slice_attrs(dynamic: list, offsets: list[int], sizes: list[int], leading: list[int]) -> dict:
    return {"operandSegmentSizes": ir.DenseI32ArrayAttr.get(leading + [len(dynamic), 0, 0]),
            "static_offsets": ir.DenseI64ArrayAttr.get(offsets), "static_sizes": ir.DenseI64ArrayAttr.get(sizes),
            "static_strides": ir.DenseI64ArrayAttr.get([1] * len(offsets))}


def extract_slice(source: ir.Value, dynamic: list, offsets: list[int], sizes: list[int]) -> ir.Value:
    """A unit-stride slice; `offsets` holds irutil.DYNAMIC where the next value of `dynamic` goes."""
    t = ir.RankedTensorType.get(sizes, element_type(source))
    return ir.Operation.create("tensor.extract_slice", [t], [source] + dynamic,
                               _slice_attrs(dynamic, offsets, sizes, [1])).result


def parallel_insert_slice(value: ir.Value, dest: ir.Value, dynamic: list, offsets: list[int], sizes: list[int]):
    return ir.Operation.create("tensor.parallel_insert_slice", [], [value, dest] + dynamic,
                               _slice_attrs(dynamic, offsets, sizes, [1, 1]))


def _transfer_attrs(rank: int, segments: list[int], vector_rank: int | None = None) -> dict:
    """In-bounds transfer of the innermost `vector_rank` (default: all) dims of a rank-`rank` source."""
    vector_rank = rank if vector_rank is None else vector_rank
    return {"in_bounds": ir.ArrayAttr.get([ir.BoolAttr.get(True)] * vector_rank),
            "permutation_map": ir.AffineMapAttr.get(ir.AffineMap.get_minor_identity(rank, vector_rank)),
            "operandSegmentSizes": ir.DenseI32ArrayAttr.get(segments)}


def read(t: ir.Value) -> ir.Value:
    """The whole of a static tensor as a vector."""
    rank = len(shape(t))
    return ir.Operation.create("vector.transfer_read", [ir.VectorType.get(shape(t), element_type(t))],
                               [t] + [index(0)] * rank + [constant(element_type(t), 0.0)],
                               _transfer_attrs(rank, [1, rank, 1, 0])).result


def write(v: ir.Value, dest: ir.Value) -> ir.Value:
    """`v` as the whole of a tensor shaped like `dest`."""
    rank = len(shape(dest))
    return ir.Operation.create("vector.transfer_write", [dest.type], [v, dest] + [index(0)] * rank,
                               _transfer_attrs(rank, [1, 1, rank, 0])).result


def shape_cast(v: ir.Value, out_shape: list[int]) -> ir.Value:
    return ir.Operation.create("vector.shape_cast", [ir.VectorType.get(out_shape, element_type(v))], [v]).result


def transpose(v: ir.Value, perm: list[int]) -> ir.Value:
    out = ir.VectorType.get([shape(v)[p] for p in perm], element_type(v))
    return ir.Operation.create("vector.transpose", [out], [v], {"permutation": ir.DenseI64ArrayAttr.get(perm)}).result


def extract(v: ir.Value, position: int) -> ir.Value:
    return ir.Operation.create("vector.extract", [element_type(v)], [v],
                               {"static_position": ir.DenseI64ArrayAttr.get([position])}).result


def from_elements(elements: list[ir.Value], vtype: ir.Type) -> ir.Value:
    return ir.Operation.create("vector.from_elements", [vtype], elements).result


def empty(shape_: list[int], elem: ir.Type) -> ir.Value:
    return ir.Operation.create("tensor.empty", [ir.RankedTensorType.get(shape_, elem)], []).result


def pad(value: ir.Value, high: list[int], pad_value: ir.Value) -> ir.Value:
    """tensor.pad at the end of each dimension by `high`, filled with `pad_value`."""
    out = ir.RankedTensorType.get([s + h for s, h in zip(shape(value), high)], element_type(value))
    op = ir.Operation.create("tensor.pad", [out], [value], {
        "static_low": ir.DenseI64ArrayAttr.get([0] * len(high)), "static_high": ir.DenseI64ArrayAttr.get(high),
        "operandSegmentSizes": ir.DenseI32ArrayAttr.get([1, 0, 0])}, regions=1)
    block = op.regions[0].blocks.append(*[ir.IndexType.get()] * len(high))
    with ir.InsertionPoint(block):
        ir.Operation.create("tensor.yield", [], [pad_value])
    return op.result


def linalg_index(dim: int) -> ir.Value:
    return ir.Operation.create("linalg.index", [ir.IndexType.get()], [],
                               {"dim": ir.IntegerAttr.get(ir.IntegerType.get_signless(64), dim)}).result


def cmpi_lt(lhs: ir.Value, rhs: ir.Value) -> ir.Value:
    return ir.Operation.create("arith.cmpi", [ir.IntegerType.get_signless(1)], [lhs, rhs],
                               {"predicate": ir.IntegerAttr.get(ir.IntegerType.get_signless(64), 2)}).result  # slt


def select(cond: ir.Value, a: ir.Value, b_: ir.Value) -> ir.Value:
    return ir.Operation.create("arith.select", [a.type], [cond, a, b_]).result


def elementwise(tensor_: ir.Value, body, in_place: bool) -> ir.Value:
    """A linalg.generic over every element of `tensor_`: `body(block)` returns the element to yield. With
    `in_place` the tensor is the input (block argument 0) of a fresh output; otherwise it is the output."""
    rank = len(shape(tensor_))
    identity = ir.AffineMapAttr.get(ir.AffineMap.get_identity(rank))
    ins = [tensor_] if in_place else []
    outs = [empty(shape(tensor_), element_type(tensor_))] if in_place else [tensor_]
    op = ir.Operation.create("linalg.generic", [tensor_.type], ins + outs, {
        "indexing_maps": ir.ArrayAttr.get([identity] * (len(ins) + 1)),
        "iterator_types": ir.ArrayAttr.get([ir.Attribute.parse("#linalg.iterator_type<parallel>")] * rank),
        "operandSegmentSizes": ir.DenseI32ArrayAttr.get([len(ins), 1])}, regions=1)
    block = op.regions[0].blocks.append(*[element_type(tensor_)] * (len(ins) + 1))
    with ir.InsertionPoint(block):
        ir.Operation.create("linalg.yield", [], [body(block)])
    return op.result


# ---- memref level (share-kv) ---------------------------------------------------------------------------
def memref_alloc(shape_: list[int], elem: ir.Type, memory_space: str) -> ir.Value:
    t = ir.MemRefType.get(shape_, elem, memory_space=ir.Attribute.parse(memory_space))
    return ir.Operation.create("memref.alloc", [t], [], {"operandSegmentSizes": ir.DenseI32ArrayAttr.get([0, 0])}).result


def memref_expand_shape(buffer: ir.Value, like) -> ir.Value:
    """`buffer` (contiguous) reshaped as the memref.expand_shape `like` reshapes its source."""
    out_shape = list(like.result.type.shape)
    t = ir.MemRefType.get(out_shape, buffer.type.element_type, memory_space=buffer.type.memory_space)
    return ir.Operation.create("memref.expand_shape", [t], [buffer], {
        "reassociation": like.attributes["reassociation"],
        "static_output_shape": ir.DenseI64ArrayAttr.get(out_shape)}).result


def transfer_read_like(read, source: ir.Value) -> ir.Value:
    """`read` (a vector.transfer_read) with another source of the same shape."""
    operands = [source] + list(read.operands)[1:]
    return ir.Operation.create("vector.transfer_read", [read.result.type], operands,
                               {k: read.attributes[k] for k in read.attributes}).result


def memref_read(source: ir.Value, indices: list[ir.Value], width: int) -> ir.Value:
    """`width` contiguous elements along the innermost dim, in bounds."""
    rank = len(indices)
    return ir.Operation.create("vector.transfer_read", [ir.VectorType.get([width], source.type.element_type)],
                               [source] + indices + [constant(source.type.element_type, 0.0)],
                               _transfer_attrs(rank, [1, rank, 1, 0], vector_rank=1)).result


def memref_write(v: ir.Value, dest: ir.Value, indices: list[ir.Value]) -> None:
    rank = len(indices)
    ir.Operation.create("vector.transfer_write", [], [v, dest] + indices,
                        _transfer_attrs(rank, [1, 1, rank, 0], vector_rank=1))


def affine_apply(expr: ir.AffineExpr, operands: list[ir.Value]) -> ir.Value:
    amap = ir.AffineMap.get(len(operands), 0, [expr])
    return ir.Operation.create("affine.apply", [ir.IndexType.get()], operands,
                               {"map": ir.AffineMapAttr.get(amap)}).result


def thread_id(dim: str) -> ir.Value:
    return ir.Operation.create("gpu.thread_id", [ir.IndexType.get()], [],
                               {"dimension": ir.Attribute.parse(f"#gpu.dim<{dim}>")}).result


def barrier() -> None:
    ir.Operation.create("gpu.barrier", [], [])
