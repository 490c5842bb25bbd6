"""vector ops on per-thread values: axis 0 of every array is the thread (size 1 when all threads agree),
the rest is the op's vector shape."""

from __future__ import annotations

import numpy as np

import iree.compiler.ir as ir

from ...errors import NotInterpretable
from ...ir.irutil import combining_kind, indexing_maps
from ...interp.values import cast_to, element_type
from ...interp.vector_ops import combiner, interleave

def vshape(t: ir.Type) -> tuple[int, ...]:
    return tuple(ir.VectorType(t).shape) if isinstance(t, ir.VectorType) else ()


def _ints(op, name: str) -> list[int]:
    attr = op.attributes[name]
    if isinstance(attr, ir.ArrayAttr):
        return [ir.IntegerAttr(a).value for a in attr]
    return list(ir.DenseI64ArrayAttr(attr))


def _result(op, value):
    return cast_to(value, element_type(op.results[0].type))


def broadcast(op, args):
    src, out = args[0], vshape(op.results[0].type)
    rank = src.ndim - 1
    src = src.reshape((src.shape[0],) + (1,) * (len(out) - rank) + src.shape[1:])
    return [np.broadcast_to(src, (src.shape[0],) + out)]


def extract(op, args):
    src = args[0]
    position = _positions(op, args[1:])
    return [src[(slice(None),) + tuple(position)]]


INSERTS = ("vector.insert", "vector.insert_strided_slice")


def _insert_into(op, dest: np.ndarray, threads: int) -> np.ndarray:
    """The array an insert writes its result into: `dest` itself where nothing else can see it (it is the
    result of an insert that made it, earlier in this block, used only here: a chain of inserts building one
    vector then costs its size once, not once per insert), else a copy."""
    value = op.operands[1]
    owner = value.owner if isinstance(value, ir.OpResult) else None
    if (dest.shape[0] == threads and owner is not None and owner.name in INSERTS
            and owner.operation.block == op.block and len(list(value.uses)) == 1):
        return dest
    return np.array(np.broadcast_to(dest, (threads,) + dest.shape[1:]))


def insert(op, args):
    value, dest = args[0], args[1]
    position = _positions(op, args[2:])
    out = _insert_into(op, dest, max(value.shape[0], dest.shape[0]))
    out[(slice(None),) + tuple(position)] = value
    return [out]


def _positions(op, dynamic) -> list[int]:
    dynamic = iter(dynamic)
    out = []
    for p in _ints(op, "static_position"):
        if p == -9223372036854775808:
            v = next(dynamic)
            if np.unique(v).size != 1:
                raise NotInterpretable(f"{op.name} at a position that differs between threads")
            p = int(v.reshape(-1)[0])
        out.append(p)
    return out


def extract_strided_slice(op, args):
    offsets, sizes, strides = (_ints(op, k) for k in ("offsets", "sizes", "strides"))
    index = tuple(slice(o, o + s * st, st) for o, s, st in zip(offsets, sizes, strides))
    return [args[0][(slice(None),) + index]]


def insert_strided_slice(op, args):
    src, dest = args
    offsets, strides = _ints(op, "offsets"), _ints(op, "strides")
    lead = len(offsets) - (src.ndim - 1)
    index = tuple(offsets[:lead]) + tuple(slice(o, o + n * st, st)
                                          for o, n, st in zip(offsets[lead:], src.shape[1:], strides))
    out = _insert_into(op, dest, max(src.shape[0], dest.shape[0]))
    out[(slice(None),) + index] = src
    return [out]


def shape_cast(op, args):
    return [args[0].reshape((args[0].shape[0],) + vshape(op.results[0].type))]


def transpose(op, args):
    perm = _ints(op, "permutation")
    return [np.transpose(args[0], [0] + [p + 1 for p in perm])]


def multi_reduction(op, args):
    src, acc = args
    dims = tuple(d + 1 for d in _ints(op, "reduction_dims"))
    fn = combiner(op)
    return [_result(op, fn(fn.reduce(np.asarray(src, np.float32 if src.dtype.kind == "f" else src.dtype), axis=dims), acc))]


def reduction(op, args):
    src = args[0]
    fn = combiner(op)
    out = fn.reduce(src.reshape(src.shape[0], -1), axis=1)
    if len(args) > 1:
        out = fn(out, args[1])
    return [_result(op, out)]


def fma(op, args):
    a, b, c = (np.asarray(x, np.float32) for x in args)
    return [_result(op, a * b + c)]


def from_elements(op, args):
    threads = max(a.shape[0] for a in args)
    stacked = np.stack([np.broadcast_to(a, (threads,)) for a in args], axis=1)
    return [stacked.reshape((threads,) + vshape(op.results[0].type))]


def step(op, args):
    (n,) = vshape(op.results[0].type)
    return [np.arange(n, dtype=np.int64)[None]]


def create_mask(op, args):
    shape = vshape(op.results[0].type)
    threads = max([a.shape[0] for a in args] + [1])
    out = np.ones((threads,) + shape, bool)
    for d, bound in enumerate(args):
        idx = np.arange(shape[d]).reshape((1,) * (d + 1) + (shape[d],) + (1,) * (len(shape) - d - 1))
        out &= idx < np.asarray(bound).reshape((-1,) + (1,) * len(shape))
    return [out]


def constant_mask(op, args):
    shape = vshape(op.results[0].type)
    out = np.ones((1,) + shape, bool)
    for d, bound in enumerate(_ints(op, "mask_dim_sizes")):
        idx = np.arange(shape[d]).reshape((1,) * (d + 1) + (shape[d],) + (1,) * (len(shape) - d - 1))
        out &= idx < bound
    return [out]


def contract(op, args):
    """A per-thread contraction (what IREE leaves of a matmul it did not map onto an intrinsic)."""
    if "kind" in op.attributes and combining_kind(op) != "add":
        raise NotInterpretable(f"vector.contract kind {op.attributes['kind']}")
    maps = indexing_maps(op)
    letters = "abcdefghijklmnopqrsuvwxyz"  # t is the thread
    subs = ["t" + "".join(letters[ir.AffineDimExpr(e).position] for e in m.results) for m in maps]
    lhs, rhs, acc = (np.asarray(a, np.float32) for a in args[:3])
    threads = max(lhs.shape[0], rhs.shape[0], acc.shape[0])
    lhs, rhs = (np.broadcast_to(x, (threads,) + x.shape[1:]) for x in (lhs, rhs))
    return [_result(op, np.einsum(f"{subs[0]},{subs[1]}->{subs[2]}", lhs, rhs) + acc)]


VECTOR_OPS = {
    "vector.broadcast": broadcast, "vector.splat": broadcast, "vector.extract": extract, "vector.insert": insert,
    "vector.extract_strided_slice": extract_strided_slice, "vector.insert_strided_slice": insert_strided_slice,
    "vector.shape_cast": shape_cast, "vector.transpose": transpose, "vector.multi_reduction": multi_reduction,
    "vector.reduction": reduction, "vector.fma": fma, "vector.from_elements": from_elements,
    "vector.step": step, "vector.contract": contract, "vector.create_mask": create_mask, "vector.constant_mask": constant_mask,
    "vector.interleave": interleave,
}
