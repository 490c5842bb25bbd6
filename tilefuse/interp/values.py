"""How the interpreter represents MLIR values with NumPy, and the element-type rounding rules.

Floats of every width are held as float32 arrays whose values are exact in their MLIR element type (f16 and
bf16 are rounded whenever an op produces them, which is where the IR truncates or computes in that type);
i1 is bool, other integers and index are int64 (i8 storage is wrapped to its range).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

import iree.compiler.ir as ir

from ..errors import NotInterpretable
from ..ir.facts import ELEMENT_BYTES, FLOAT_TYPES, NUMPY_STORAGE
from ..ir.rounding import round_to



# Types are uniqued in their context and hash as such: the interpreter asks these of the same few types millions
# of times.
@lru_cache(maxsize=4096)
def element_type(t: ir.Type) -> str:
    return str(ir.ShapedType(t).element_type) if isinstance(t, ir.ShapedType) else str(t)


@lru_cache(maxsize=4096)
def shape_of(t: ir.Type) -> tuple[int, ...]:
    shape = tuple(ir.ShapedType(t).shape)
    if any(s < 0 for s in shape):
        raise NotInterpretable(f"dynamic shape {t}")
    return shape


def dynamic_shape(t: ir.Type, dynamic: list) -> tuple[int, ...]:
    """A shaped type's shape with its dynamic dims (`?`) taken, in order, from `dynamic` (an op's dynamic size
    operands: tensor.empty's, expand_shape's output_shape, hal.tensor.import's dims, ...)."""
    sizes = iter(dynamic)
    return tuple(int(next(sizes)) if d < 0 else d for d in ir.ShapedType(t).shape)


def cast_to(values, elem: str):
    """Values converted to how `elem` is held, with the type's rounding / wrapping."""
    if elem in FLOAT_TYPES:
        return round_to(elem, values)
    if elem == "f64":
        return np.asarray(values, np.float64)
    if elem == "i1":
        return np.asarray(values).astype(bool)
    with np.errstate(invalid="ignore"):  # a NaN is a value no thread has (a lane a loop left behind reads none)
        if elem == "i8":
            return np.asarray(values).astype(np.int64).astype(np.int8).astype(np.int64)
        if elem in ("i16", "i32", "i64", "index"):
            return np.asarray(values).astype(np.int64)
    raise NotInterpretable(f"element type {elem}")


def width(elem: str) -> int:
    """Bits of an integer or float element type."""
    if elem in ELEMENT_BYTES:
        return 8 * ELEMENT_BYTES[elem]
    if re.fullmatch(r"[if]\d+", elem):
        return int(elem[1:])
    raise NotInterpretable(f"the width of {elem}")


_UNSIGNED = {8: np.uint8, 16: np.uint16, 32: np.uint32, 64: np.uint64}  # the unsigned NumPy integer of each width


def bitcast(values, src: str, dst: str):
    """`values` (held as `src` holds them) with their bits read as `dst`, a type of the same width (arith.bitcast:
    an fp8 KV cache decoded through integers where IREE lowers no fp8 cast)."""
    n = width(src)
    a = np.asarray(values)
    if src == "bf16":
        bits = round_to("bf16", a).view(np.uint32).astype(np.uint64) >> 16
    elif src in FLOAT_TYPES or src == "f64":
        storage = NUMPY_STORAGE[src]
        bits = a.astype(storage).view(_UNSIGNED[n]).astype(np.uint64)
    else:
        bits = a.astype(np.int64).astype(np.uint64) & np.uint64((1 << n) - 1)
    if dst == "bf16":
        return (bits.astype(np.uint32) << 16).view(np.float32)
    if dst in FLOAT_TYPES or dst == "f64":
        raw = bits.astype(_UNSIGNED[n])
        return cast_to(raw.view(NUMPY_STORAGE[dst]).astype(np.float64 if dst == "f64" else np.float32), dst)
    signed = bits.astype(np.int64) - ((bits >> np.uint64(n - 1)) & np.uint64(1)).astype(np.int64) * (1 << n) \
        if n < 64 else bits.view(np.int64)
    return cast_to(signed, dst)


def empty(shape, elem: str) -> np.ndarray:
    """Contents of tensor.empty: NaN for floats, so any read of undefined data shows up as a mismatch."""
    if elem in FLOAT_TYPES or elem == "f64":
        return np.full(shape, np.nan, np.float32)
    return cast_to(np.zeros(shape), elem)


def constant(attr: ir.Attribute, t: ir.Type, blobs: dict[str, bytes] | None = None):
    """An attribute's value; `blobs` holds the module's dense_resource data (weights of a torch export)."""
    elem = element_type(t)
    if str(attr).startswith("dense_resource<"):  # the bindings neither downcast nor type-id this attribute
        return _from_bytes(_blob(blobs or {}, str(attr)), elem, shape_of(t))
    if isinstance(attr, ir.DenseElementsAttr):
        dense = ir.DenseElementsAttr(attr)
        if dense.is_splat:
            return np.full(shape_of(t), _scalar(dense.get_splat_value(), elem))
        if elem == "bf16":
            return _bf16_dense(attr, shape_of(t))
        return cast_to(np.array(attr).reshape(shape_of(t)), elem)
    return _scalar(attr, elem)


def _bf16_dense(attr: ir.Attribute, shape) -> np.ndarray:
    """The bindings read no bf16 elements (buffer protocol and indexing both refuse the type); IREE prints large
    constants as hex (`dense<"0x...">`, the raw little-endian bits), small ones as a list of decimals."""
    printed = str(attr)
    hexed = re.match(r'dense<"0x([0-9A-Fa-f]+)">', printed)
    if hexed:
        return _from_bytes(bytes.fromhex(hexed.group(1)), "bf16", shape)
    body = re.match(r"dense<(.*?)>\s*:", printed).group(1)
    tokens = re.findall(r"0x[0-9A-Fa-f]+|[-+]?\d+\.?\d*(?:[eE][-+]?\d+)?", body)  # non-finite values print as bits
    values = [np.array([int(x, 16) << 16], np.uint32).view(np.float32)[0] if x.startswith("0x") else float(x)
              for x in tokens]
    return round_to("bf16", np.array(values, np.float64).reshape(shape))


def resource_blobs(module) -> dict[str, bytes]:
    """The `dialect_resources` blobs of a module (or any top-level op) by name. The bindings give no accessor for
    a resource's bytes, so they are read from the printed resource section: `name: "0x<4-byte alignment><data>"`."""
    text = getattr(module, "operation", module).get_asm(large_elements_limit=None)
    start = text.rfind("{-#")
    if start < 0:
        return {}
    return {name: bytes.fromhex(data[8:]) for name, data in
            re.findall(r'^\s*"?([^\s":]+)"?:\s*"0x([0-9A-Fa-f]*)"', text[start:], re.M)}


def _blob(blobs: dict[str, bytes], printed: str) -> bytes:
    name = re.match(r'dense_resource<"?([^">]+)"?>', printed).group(1)
    if name not in blobs:
        raise NotInterpretable(f"dense_resource<{name}> has no data in the module")
    return blobs[name]




def _from_bytes(data: bytes, elem: str, shape) -> np.ndarray:
    if elem == "bf16":
        bits = np.frombuffer(data, np.uint16).astype(np.uint32) << 16
        return bits.view(np.float32).reshape(shape)
    if elem not in NUMPY_STORAGE:
        raise NotInterpretable(f"dense_resource of {elem}")
    return cast_to(np.frombuffer(data, NUMPY_STORAGE[elem]).reshape(shape), elem)


def _scalar(attr: ir.Attribute, elem: str):
    if isinstance(attr, ir.FloatAttr):
        return cast_to(np.float32(ir.FloatAttr(attr).value), elem)[()]
    if isinstance(attr, ir.IntegerAttr):
        v = ir.IntegerAttr(attr).value
        return np.bool_(v & 1) if elem == "i1" else np.int64(v)
    if isinstance(attr, ir.BoolAttr):
        return np.bool_(ir.BoolAttr(attr).value)
    raise NotInterpretable(f"constant of type {elem}")
