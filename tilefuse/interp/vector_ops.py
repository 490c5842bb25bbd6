"""vector ops on whole arrays (the vectorized, still tensor-level IR), plus the barriers around them."""

from __future__ import annotations

import string

import numpy as np

import iree.compiler.ir as ir

from ..errors import NotInterpretable
from ..ir.irutil import combining_kind, indexing_maps
from .affine import dim_positions
from .core import OutOfBounds
from .values import cast_to, element_type, empty, shape_of

# vector / gpu combining kinds -> the NumPy reduction
COMBINERS = {"add": np.add, "mul": np.multiply, "maximumf": np.maximum, "minimumf": np.minimum,
             "maxnumf": np.fmax, "minnumf": np.fmin, "maxsi": np.maximum, "minsi": np.minimum,
             "maxui": np.maximum, "minui": np.minimum, "and": np.bitwise_and, "or": np.bitwise_or,
             "xor": np.bitwise_xor}


def combiner(op) -> np.ufunc:
    kind = combining_kind(op)
    if kind not in COMBINERS:
        raise NotInterpretable(f"{op.name} <{kind}>")
    return COMBINERS[kind]


def static_window(op, indices, vshape, padded: bool = False, masked: bool = False):
    """Index tuple for a transfer with a minor-identity map whose accesses are all in bounds (`padded`: or that
    the caller pads where they are not; `masked`: a read whose mask the caller applies)."""
    if "permutation_map" in op.attributes:
        amap = ir.AffineMapAttr(op.attributes["permutation_map"]).value
        results = [e.position if isinstance(e, ir.AffineDimExpr) else None for e in amap.results]
        if results != list(range(amap.n_dims - len(vshape), amap.n_dims)):
            raise NotInterpretable(f"{op.name} with permutation map {amap}")
    if not padded and not all(in_bounds_of(op)):
        raise NotInterpretable(f"{op.name} that may read or write out of bounds")
    if not masked and len(list(op.operands)) > len(indices) + 2 and op.name == "vector.transfer_read":
        raise NotInterpretable("masked vector.transfer_read")
    lead = len(indices) - len(vshape)
    return tuple(int(i) for i in indices[:lead]) + tuple(
        slice(int(i), int(i) + n) for i, n in zip(indices[lead:], vshape))


def in_bounds_of(op) -> list[bool]:
    """A transfer's in_bounds per vector dim (all true without the attribute)."""
    if "in_bounds" not in op.attributes:
        return [True] * len(shape_of(op.results[0].type if op.results else op.operands[0].type))
    return [ir.BoolAttr(b).value for b in ir.ArrayAttr(op.attributes["in_bounds"])]


def transfer_read(op, args):
    src = np.asarray(args[0])
    rank = src.ndim
    vshape = shape_of(op.results[0].type)
    if len(args) > rank + 2:  # (source, indices, padding, mask)
        return [cast_to(_masked_read(op, src, args[1:1 + rank], args[1 + rank], np.asarray(args[2 + rank]), vshape),
                        element_type(op.results[0].type))]
    window = static_window(op, args[1:1 + rank], vshape)
    return [cast_to(src[window].reshape(vshape).copy(), element_type(op.results[0].type))]


def _masked_read(op, src: np.ndarray, indices, padding, mask: np.ndarray, vshape) -> np.ndarray:
    """A masked read (a tensor.pad vectorized: k2-tail's pad of a step's page table slice): the window's elements
    where the mask is set, PADDING elsewhere; a set element outside the source is out of bounds, as unmasked."""
    window = static_window(op, indices, vshape, padded=True, masked=True)
    part = src[tuple(w if isinstance(w, int) else slice(w.start, min(w.stop, n)) for w, n in zip(window, src.shape))]
    inside = tuple(slice(0, n) for n in part.shape)  # the window's part within the source
    got = np.full(vshape, padding, dtype=src.dtype)
    got[inside] = part
    outside = np.ones(vshape, bool)
    outside[inside] = False
    if (mask & outside).any():
        raise OutOfBounds(f"{op.name}: a masked-in element lies past the end of its source")
    return np.where(mask, got, padding)


def transfer_write(op, args):
    vec, dest = np.asarray(args[0]), np.asarray(args[1])
    if not op.results:
        raise NotInterpretable("vector.transfer_write into memory")
    window = static_window(op, args[2:2 + dest.ndim], vec.shape, padded=True)
    lead = dest.ndim - vec.ndim
    # a dim not in bounds (m-tail's masked row writes) stops at the tensor's end: the rest is not written
    for j, (w, n, fits) in enumerate(zip(window[lead:], dest.shape[lead:], in_bounds_of(op))):
        if w.stop > n and fits:
            raise OutOfBounds(f"{op.name}: writes past the end of dim {lead + j}, which it marks in bounds")
    clipped = tuple(w if isinstance(w, int) else slice(min(w.start, n), min(w.stop, n))
                    for w, n in zip(window, dest.shape))
    out = dest.copy()
    part = tuple(slice(0, c.stop - c.start) for c in clipped[lead:])
    out[clipped] = vec[part].reshape(out[clipped].shape)
    return [out]


def broadcast(op, args):
    return [np.broadcast_to(np.asarray(args[0]), shape_of(op.results[0].type)).copy()]


def shape_cast(op, args):
    return [np.asarray(args[0]).reshape(shape_of(op.results[0].type))]


def transpose(op, args):
    return [np.transpose(np.asarray(args[0]), list(ir.DenseI64ArrayAttr(op.attributes["permutation"])))]


def multi_reduction(op, args, lead: int = 0):
    """LEAD: leading axes of the operands that are not the vector's (the lane axis of a lane forall's values)."""
    fn = combiner(op)
    dims = tuple(lead + d for d in ir.DenseI64ArrayAttr(op.attributes["reduction_dims"]))
    with np.errstate(all="ignore"):
        red = fn.reduce(np.asarray(args[0], np.float32), axis=dims)
        return [cast_to(fn(red, args[1]), element_type(op.results[0].type))]


def contract(op, args):
    if combining_kind(op) != "add" or len(args) != 3:
        raise NotInterpretable("vector.contract other than a masked-free add contraction")
    maps = indexing_maps(op)
    subs = ["".join(string.ascii_letters[d] for d in dim_positions(m)) for m in maps]
    a, b, c = (np.asarray(x, np.float32) for x in args)
    return [cast_to(c + np.einsum(f"{subs[0]},{subs[1]}->{subs[2]}", a, b), element_type(op.results[0].type))]


def poison(op, args):
    t = op.results[0].type
    return [empty(shape_of(t), element_type(t)) if isinstance(t, ir.ShapedType) else np.float32(np.nan)]


def alloc_tensor(op, args):
    if args:
        raise NotInterpretable("bufferization.alloc_tensor with operands")
    t = op.results[0].type
    return [empty(shape_of(t), element_type(t))]


def passthrough(op, args):
    return list(args[: len(op.results)])


def extract(op, args):
    if len(list(op.operands)) > 1:
        raise NotInterpretable("vector.extract at a dynamic position")
    position = tuple(int(p) for p in ir.DenseI64ArrayAttr(op.attributes["static_position"]))
    return [np.asarray(args[0])[position].copy()]


def strided_window(op, source_shape, lead: int = 0) -> tuple:
    """vector.insert_strided_slice's window of the destination (unit strides), after LEAD whole leading axes."""
    if any(int(s) != 1 for s in ir.ArrayAttr(op.attributes["strides"])):
        raise NotInterpretable("vector.insert_strided_slice with non-unit strides")
    offsets = [ir.IntegerAttr(o).value for o in ir.ArrayAttr(op.attributes["offsets"])]
    inner = len(offsets) - len(source_shape)  # the source fills the destination's trailing dims
    return (slice(None),) * lead + tuple(offsets[:inner]) + tuple(
        slice(o, o + n) for o, n in zip(offsets[inner:], source_shape))


def insert_strided_slice(op, args):
    dest = np.array(args[1], copy=True)
    dest[strided_window(op, np.shape(args[0]))] = args[0]
    return [dest]


def from_elements(op, args):
    return [np.array([np.asarray(a) for a in args]).reshape(shape_of(op.results[0].type))]


def interleave(op, args):
    """vector.interleave: the trailing dims' elements alternate, lhs first (leading dims broadcast, so the SIMT
    interpreter's per-thread values run through it too)."""
    lhs, rhs = np.broadcast_arrays(*args)
    return [np.stack([lhs, rhs], axis=-1).reshape(lhs.shape[:-1] + (2 * lhs.shape[-1],))]


def step(op, args):
    return [np.arange(shape_of(op.results[0].type)[0], dtype=np.int64)]


VECTOR_OPS = {
    "vector.transfer_read": transfer_read, "vector.transfer_write": transfer_write,
    "vector.broadcast": broadcast, "vector.shape_cast": shape_cast, "vector.transpose": transpose,
    "vector.multi_reduction": multi_reduction, "vector.contract": contract, "ub.poison": poison,
    "bufferization.alloc_tensor": alloc_tensor, "iree_gpu.value_barrier": passthrough,
    "gpu.barrier": passthrough, "vector.extract": extract, "vector.from_elements": from_elements,
    "vector.interleave": interleave, "vector.step": step, "vector.insert_strided_slice": insert_strided_slice,
}
