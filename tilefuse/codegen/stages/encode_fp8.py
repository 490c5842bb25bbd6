"""Dispatch stage `encode-fp8` of the tilefuse paths (after decompose): a rounding to an fp8 type IREE 3.13 does not
lower on the target becomes integer ops on the value's bits.

IREE's decomposition of an fp8 attention truncates P (scaled by the format's largest value and clamped to it) to
fp8 for the PV matmul with `arith.truncf`. On NVIDIA targets IREE lowers no fp8 cast (it leaves an
`unrealized_conversion_cast` LLVM cannot translate: stock fails so on sm_89) but does lower `arith.bitcast` from
i8, as widen-kv's decode relies on (`widen_kv._decoded`). `_encoded` computes the same value `arith.truncf`
means (round to nearest, ties to even, as APFloat and ml_dtypes round), exactly, from the f32's bits: a normal
result rounds the f32's mantissa to the format's at its bit position, the carry running into the exponent; a
subnormal one rounds the mantissa with its implicit one shifted to the format's subnormal unit; past the
largest finite value the format's overflow (E4M3FN: NaN; E5M2: infinity; FNUZ: its NaN), a NaN the format's NaN,
and no negative zero where the format has none. Every constant is read from ml_dtypes' description of the format.
"""

from __future__ import annotations

import iree.compiler.ir as ir
import ml_dtypes
import numpy as np
from iree.compiler.dialects import arith

from ...errors import TilefuseError
from ...ir import irbuild as b
from ...ir.facts import FP8_FLOATS, NUMPY_STORAGE
from ...ir.irutil import walk
from ..stage import StageInput, StageResult


def encode_fp8(module: ir.Module, stage_input: StageInput) -> StageResult:
    native = stage_input.target.converted_fp8
    truncs = [op for op in walk(module.operation)
              if op.name == "arith.truncf" and _element(op.results[0]) in FP8_FLOATS
              and _element(op.results[0]) not in native]
    with module.context:
        for op in truncs:
            if isinstance(op.results[0].type, ir.ShapedType):
                raise TilefuseError(f"encode-fp8: a truncation to {op.results[0].type} outside an elementwise body "
                                    "(IREE lowers no fp8 cast on the target; only scalar ones are encoded)")
            with ir.InsertionPoint(op), op.location:
                op.results[0].replace_all_uses_with(encoded(op.operands[0], op.results[0].type))
            op.erase()
    return StageResult(module)


def _element(value: ir.Value) -> str:
    return str(value.type.element_type if isinstance(value.type, ir.ShapedType) else value.type)


def _bits(fp8: str, value: float) -> int:
    return int(np.array(value, np.float32).astype(NUMPY_STORAGE[fp8]).view(np.uint8))


def encoded(x: ir.Value, fp8: ir.Type) -> ir.Value:
    """Float `x` rounded to the fp8 type `fp8` with integer ops: what `arith.truncf x : ... to fp8` means."""
    name = str(fp8)
    info = ml_dtypes.finfo(NUMPY_STORAGE[name])
    mant, bias = info.nmant, 1 - info.minexp
    shift = 23 - mant  # the f32 mantissa bits the format drops
    rebias = (127 - bias) << mant  # the exponent difference, at the format's exponent position
    i32, f32 = ir.IntegerType.get_signless(32), ir.F32Type.get()

    def c(v):
        return b.constant(i32, v)

    def op2(cls, lhs, rhs):
        return cls(lhs, rhs if isinstance(rhs, ir.Value) else c(rhs)).result

    def cmp(pred, lhs, rhs):
        return arith.CmpIOp(getattr(arith.CmpIPredicate, pred), lhs, rhs if isinstance(rhs, ir.Value) else c(rhs)).result

    def rounded(m, s):
        """m >> s, to nearest, ties to even (1 <= s <= 31)."""
        q = op2(arith.ShRUIOp, m, s)
        rest = op2(arith.SubIOp, m, op2(arith.ShLIOp, q, s))
        half = op2(arith.ShLIOp, c(1), op2(arith.SubIOp, s, 1))
        tie_up = arith.AndIOp(cmp("eq", rest, half), cmp("eq", op2(arith.AndIOp, q, 1), 1)).result
        up = arith.OrIOp(cmp("ugt", rest, half), tie_up).result
        return op2(arith.AddIOp, q, arith.ExtUIOp(i32, up).result)

    if x.type != f32:
        x = arith.ExtFOp(f32, x).result  # exact: one rounding, from the f32
    bits = arith.BitcastOp(i32, x).result
    sign = op2(arith.AndIOp, op2(arith.ShRUIOp, bits, 24), 0x80)
    a = op2(arith.AndIOp, bits, 0x7FFFFFFF)
    e = op2(arith.SubIOp, op2(arith.ShRUIOp, a, 23), 127 - bias)  # the format's biased exponent
    normal = op2(arith.SubIOp, rounded(a, c(shift)), rebias)
    # subnormal in the format (e <= 0): the mantissa with its implicit one, in units of the subnormal step
    m = op2(arith.OrIOp, op2(arith.AndIOp, a, 0x7FFFFF), 0x800000)
    s = arith.MinSIOp(arith.MaxSIOp(op2(arith.SubIOp, c(shift + 1), e), c(1)).result, c(31)).result
    code = b.select(cmp("sge", e, 1), normal, rounded(m, s))
    code = b.select(cmp("ugt", code, _bits(name, info.max)), c(_bits(name, float("inf"))), code)
    code = b.select(cmp("ugt", a, 0x7F800000), c(_bits(name, float("nan"))), code)
    if _bits(name, -0.0) == 0:  # FNUZ: no negative zero (0x80 is its NaN)
        sign = b.select(cmp("eq", code, 0), c(0), sign)
    i8 = ir.IntegerType.get_signless(8)
    return arith.BitcastOp(fp8, arith.TruncIOp(i8, op2(arith.OrIOp, code, sign)).result).result
