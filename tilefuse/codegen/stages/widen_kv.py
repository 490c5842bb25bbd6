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
exactly (every fp8 value is an f16 and a bf16 value), in 16-bit ints where the query's type has the normal
values for it. Each lane holds a step's decoded K and V, which the plan's K2 step is sized for
(codegen/heuristics.py, `decoded_step`).
"""

from __future__ import annotations

import iree.compiler.ir as ir
import ml_dtypes
import numpy as np
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


# The 16-bit float types a cache is widened to, and f32 (`_decoded`'s work type where f16's normals are too few)
_FLOATS = {"f16": np.float16, "bf16": ml_dtypes.bfloat16, "f32": np.float32}


def _decoded(x: ir.Value, elem: ir.Type) -> ir.Value:
    """fp8 `x` as `elem` from its bits, exact, with integer ops and float arithmetic on normal values only (IREE
    flushes f32 subnormals, bf16 math runs in f32). E5M2 under f16 is the f16's upper byte (the same exponent
    bits and bias). Otherwise in `work`, `elem` where its normal values hold every value of the format (else f32:
    E5M2FNUZ's 2^-17 under f16): exponent and mantissa placed into work's fields by an integer shift, the exponent
    rebiased by an integer add; a subnormal (e = 0) placed as e = 1, less the implicit one (normal values, a
    normal or zero difference); the sign; the format's NaN (and E5M2's infinity); truncated to `elem` (exact)
    where work is f32."""
    name = str(x.type)
    raw = arith.BitcastOp(ir.IntegerType.get_signless(8), x).result
    if name == "f8E5M2" and str(elem) == "f16":
        i16 = ir.IntegerType.get_signless(16)
        return arith.BitcastOp(elem, arith.ShLIOp(arith.ExtUIOp(i16, raw).result, b.constant(i16, 8)).result).result
    fp8 = ml_dtypes.finfo(NUMPY_STORAGE[name])
    mant_bits, bias = fp8.nmant, 1 - fp8.minexp
    normal = ml_dtypes.finfo(_FLOATS[str(elem)]).smallest_normal
    work = elem if float(fp8.smallest_subnormal) >= float(normal) else ir.F32Type.get()
    w = ml_dtypes.finfo(_FLOATS[str(work)])
    iw = ir.IntegerType.get_signless(w.bits)

    def c(v):
        return b.constant(iw, v)

    def cmp(predicate, a, v):
        return arith.CmpIOp(predicate, a, c(v)).result

    bits = arith.ExtUIOp(iw, raw).result
    field = arith.AndIOp(bits, c(0x7F)).result  # exponent and mantissa
    subnormal = cmp(arith.CmpIPredicate.ult, field, 1 << mant_bits)
    rebias = (1 - w.minexp - bias) << w.nmant
    placed = arith.AddIOp(arith.ShLIOp(field, c(w.nmant - mant_bits)).result,
                          b.select(subnormal, c(rebias + (1 << w.nmant)), c(rebias))).result
    magnitude = arith.BitcastOp(work, placed).result
    magnitude = b.select(subnormal, arith.SubFOp(magnitude, b.constant(work, 2.0 ** (1 - bias))).result, magnitude)
    negative = cmp(arith.CmpIPredicate.ugt, bits, 0x7F)
    value = b.select(negative, arith.NegFOp(magnitude).result, magnitude)
    top = ((1 << fp8.nexp) - 1) << mant_bits  # the field of the top exponent, mantissa 0
    if name.endswith("FNUZ"):  # one NaN, the negative zero's bits
        value = b.select(cmp(arith.CmpIPredicate.eq, bits, 0x80), b.constant(work, float("nan")), value)
    elif name == "f8E4M3FN":  # no infinity; NaN is every bit of e and m set
        value = b.select(cmp(arith.CmpIPredicate.eq, field, 0x7F), b.constant(work, float("nan")), value)
    else:  # E5M2 (under bf16): IEEE's top exponent
        special = b.select(cmp(arith.CmpIPredicate.eq, field, top), b.constant(work, float("inf")),
                           b.constant(work, float("nan")))
        signed = b.select(negative, arith.NegFOp(special).result, special)
        value = b.select(cmp(arith.CmpIPredicate.uge, field, top), signed, value)
    return value if work == elem else arith.TruncFOp(elem, value).result
