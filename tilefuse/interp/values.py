"""How the interpreter represents MLIR values with NumPy, and the element-type rounding rules.

Floats of every width are held as float32 arrays whose values are exact in their MLIR element type (f16 and
bf16 are rounded whenever an op produces them, which is where the IR truncates or computes in that type);
i1 is bool, other integers and index are int64 (i8 storage is wrapped to its range).
"""

from __future__ import annotations

import numpy as np

import iree.compiler.ir as ir

from ..problem import round_to

FLOAT_TYPES = ("f16", "bf16", "f32")


class Unsupported(Exception):
    """The interpreter does not know this op (or this form of it); the stage is reported unchecked."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


def element_type(t: ir.Type) -> str:
    return str(ir.ShapedType(t).element_type) if isinstance(t, ir.ShapedType) else str(t)


def shape_of(t: ir.Type) -> tuple[int, ...]:
    shape = tuple(ir.ShapedType(t).shape)
    if any(s < 0 for s in shape):
        raise Unsupported(f"dynamic shape {t}")
    return shape


def cast_to(values, elem: str):
    """Values converted to how `elem` is held, with the type's rounding / wrapping."""
    if elem in FLOAT_TYPES:
        return round_to(elem, values)
    if elem == "f64":
        return np.asarray(values, np.float64)
    if elem == "i1":
        return np.asarray(values).astype(bool)
    if elem == "i8":
        return np.asarray(values).astype(np.int64).astype(np.int8).astype(np.int64)
    if elem in ("i16", "i32", "i64", "index"):
        return np.asarray(values).astype(np.int64)
    raise Unsupported(f"element type {elem}")


def empty(shape, elem: str) -> np.ndarray:
    """Contents of tensor.empty: NaN for floats, so any read of undefined data shows up as a mismatch."""
    if elem in FLOAT_TYPES or elem == "f64":
        return np.full(shape, np.nan, np.float32)
    return cast_to(np.zeros(shape), elem)


def constant(attr: ir.Attribute, t: ir.Type):
    elem = element_type(t)
    if isinstance(attr, ir.DenseElementsAttr):
        dense = ir.DenseElementsAttr(attr)
        if not dense.is_splat:
            raise Unsupported("non-splat dense constant")
        return np.full(shape_of(t), _scalar(dense.get_splat_value(), elem))
    return _scalar(attr, elem)


def _scalar(attr: ir.Attribute, elem: str):
    if isinstance(attr, ir.FloatAttr):
        return cast_to(np.float32(ir.FloatAttr(attr).value), elem)[()]
    if isinstance(attr, ir.IntegerAttr):
        v = ir.IntegerAttr(attr).value
        return np.bool_(v & 1) if elem == "i1" else np.int64(v)
    if isinstance(attr, ir.BoolAttr):
        return np.bool_(ir.BoolAttr(attr).value)
    raise Unsupported(f"constant {attr}")
