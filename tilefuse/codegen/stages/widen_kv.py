"""Program stage `widen-kv` of the tilefuse paths: an attention whose K and V are fp8 under a 16-bit query (an fp8
KV cache, the common serving form) reads them through an elementwise `arith.extf` to the query's type, and is an
attention of one type.

An MMA takes both operands in one type (IREE's intrinsics pair fp8 with fp8, f16 with f16), and the query is not
rounded to fp8: that would lose most of its precision, where the cache's values are exact in f16. IREE's dispatch
creation clones such an extension into the attention's dispatch (a dequantization-like producer), so the
dispatch still reads the cache's fp8 bytes; share-kv stages the fp8 tile in workgroup memory and each lane
extends its fragment. Stock IREE 3.13 fails on the mixed op itself (`vector.contract` operand types differ).

On NVIDIA targets IREE 3.13 lowers no fp8 cast (an fp8 `arith.extf` leaves an `unrealized_conversion_cast` that
LLVM cannot translate; stock fails so on the widened program too), and on AMD only the formats the chip has MMA
intrinsics for (gfx942: FNUZ; gfx950: OCP; "only supported on gfx950" otherwise), but it does lower
`arith.bitcast` of fp8 to i8: there the extension decodes the format's bits with integer ops (`_decoded`),
exactly (every fp8 value is an f16 and a bf16 value). Each lane holds a step's decoded K and V, which the plan's
K2 step is sized for (codegen/heuristics.py, `decoded_step`).
"""

from __future__ import annotations

import iree.compiler.ir as ir
import ml_dtypes
from iree.compiler.dialects import arith, linalg

from ...ir import irbuild as b
from ...ir.facts import ATTENTION_OPS, FP8_FLOATS, HALF_FLOATS, NUMPY_STORAGE
from ..program_stage import rewrite_attention_ops
from ..stage import StageInput, StageResult
from ...target.targets import Target


def widen_kv(module: ir.Module, stage_input: StageInput) -> StageResult:
    # online_attention too: split-k2 writes one (a decode of an fp8 cache is split before it is widened)
    target = stage_input.target
    return rewrite_attention_ops(module, stage_input, lambda op, shape: _widen(op, target), ATTENTION_OPS)


def _widen(op, target: Target) -> dict | None:
    q, k, v = (str(b.element_type(x)) for x in list(op.operands)[:3])
    if q not in HALF_FLOATS or k not in FP8_FLOATS or v not in FP8_FLOATS:
        return None
    elem = b.element_type(op.operands[0])
    decode = target.decodes_fp8(k, v)
    with ir.InsertionPoint(op):
        for i in (1, 2):
            op.operands[i] = _extended(op.operands[i], elem, decode)
    return {"attention": str(op.location), "kv": f"{k}/{v} -> {q}", **({"cast": "integer decode"} if decode else {})}


def _extended(value: ir.Value, elem: ir.Type, decode: bool) -> ir.Value:
    """`value` with every element extended to `elem` (exact: every fp8 value is an f16 / bf16 value)."""
    rank = len(b.shape(value))
    identity = ir.AffineMapAttr.get(ir.AffineMap.get_identity(rank))
    out = b.empty_like(value, elem)  # a run-time length (an fp8 cache of K2 = ?) kept
    op = linalg.GenericOp([out.type], [value], [out], ir.ArrayAttr.get([identity] * 2),
                          [linalg.IteratorType.parallel] * rank)
    block = op.regions[0].blocks.append(b.element_type(value), elem)
    with ir.InsertionPoint(block):
        x = block.arguments[0]
        linalg.YieldOp([_decoded(x, elem) if decode else arith.ExtFOp(elem, x).result])
    return op.result


def _decoded(x: ir.Value, elem: ir.Type) -> ir.Value:
    """fp8 `x` as `elem`, from its bits. E5M2 under f16 is the f16's upper byte (the same sign, exponent bits and
    bias: one shift). Otherwise sign, exponent e and mantissa m placed into an f32's (e rebiased; e = 0, a
    subnormal, as e = 1 less the implicit one), then the format's NaN (and E5M2's infinity), truncated to `elem`
    (exact). (The same in 16-bit ints, E4M3 rebiased into f16's fields, took gfx942's OCP d=128 decode from 409 to
    134 VGPRs but made sm_80's d=64 decode at its 64-key step spill 1616 B where this holds it in 255 registers:
    the plan's decoded step is calibrated on this one.)"""
    name = str(x.type)
    if name == "f8E5M2" and str(elem) == "f16":
        i16 = ir.IntegerType.get_signless(16)
        raw = arith.BitcastOp(ir.IntegerType.get_signless(8), x).result
        return arith.BitcastOp(elem, arith.ShLIOp(arith.ExtUIOp(i16, raw).result, b.constant(i16, 8)).result).result
    info = ml_dtypes.finfo(NUMPY_STORAGE[name])
    exp_bits, mant_bits, bias = info.nexp, info.nmant, 1 - info.minexp
    i32, f32 = ir.IntegerType.get_signless(32), ir.F32Type.get()

    def c(v):
        return b.constant(i32, v)

    def eq(a, v):
        return arith.CmpIOp(arith.CmpIPredicate.eq, a, c(v)).result

    bits = arith.ExtUIOp(i32, arith.BitcastOp(ir.IntegerType.get_signless(8), x).result).result
    e = arith.AndIOp(arith.ShRUIOp(bits, c(mant_bits)).result, c((1 << exp_bits) - 1)).result
    m = arith.AndIOp(bits, c((1 << mant_bits) - 1)).result
    subnormal = eq(e, 0)
    e1 = b.select(subnormal, c(1), e)
    f32_bits = arith.OrIOp(arith.ShLIOp(arith.AddIOp(e1, c(127 - bias)).result, c(23)).result,
                           arith.ShLIOp(m, c(23 - mant_bits)).result).result
    magnitude = arith.BitcastOp(f32, f32_bits).result
    magnitude = b.select(subnormal, arith.SubFOp(magnitude, b.constant(f32, 2.0 ** (1 - bias))).result, magnitude)
    negative = eq(arith.ShRUIOp(bits, c(7)).result, 1)
    value = b.select(negative, arith.NegFOp(magnitude).result, magnitude)
    top = (1 << exp_bits) - 1
    if name.endswith("FNUZ"):  # one NaN, the negative zero's bits
        value = b.select(eq(bits, 0x80), b.constant(f32, float("nan")), value)
    elif name == "f8E4M3FN":  # no infinity; NaN is every bit of e and m set
        nan = arith.AndIOp(eq(e, top), eq(m, (1 << mant_bits) - 1)).result
        value = b.select(nan, b.constant(f32, float("nan")), value)
    else:  # E5M2: IEEE's top exponent
        special = b.select(eq(m, 0), b.constant(f32, float("inf")), b.constant(f32, float("nan")))
        signed = b.select(negative, arith.NegFOp(special).result, special)
        value = b.select(eq(e, top), signed, value)
    return arith.TruncFOp(elem, value).result
