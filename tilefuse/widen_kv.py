"""Program stage `widen-kv` of the tilefuse paths: an attention whose K and V are fp8 under a 16-bit query (an fp8
KV cache, the common serving form) reads them through an elementwise `arith.extf` to the query's type, and is an
attention of one type.

An MMA takes both operands in one type (IREE's intrinsics pair fp8 with fp8, f16 with f16), and the query is not
rounded to fp8: that would lose most of its precision, where the cache's values are exact in f16. IREE's dispatch
creation clones such an extension into the attention's dispatch (a dequantization-like producer), so the
dispatch still reads the cache's fp8 bytes; share-kv stages the fp8 tile in workgroup memory and each lane
extends its fragment. Stock IREE 3.13 fails on the mixed op itself (`vector.contract` operand types differ).
"""

from __future__ import annotations

import iree.compiler.ir as ir
from iree.compiler.dialects import arith, linalg

from . import irbuild as b
from .ir_facts import ATTENTION_OPS, FP8_FLOATS, HALF_FLOATS
from .program_stage import rewrite_attention_ops


def widen_kv(module: ir.Module, stage_ctx) -> None:
    # online_attention too: split-k2 writes one (a decode of an fp8 cache is split before it is widened)
    rewrite_attention_ops(module, stage_ctx, _widen, ATTENTION_OPS)


def _widen(op, shape) -> dict | None:
    q, k, v = (str(b.element_type(x)) for x in list(op.operands)[:3])
    if q not in HALF_FLOATS or k not in FP8_FLOATS or v not in FP8_FLOATS:
        return None
    elem = b.element_type(op.operands[0])
    with ir.InsertionPoint(op):
        for i in (1, 2):
            op.operands[i] = _extended(op.operands[i], elem)
    return {"attention": str(op.location), "kv": f"{k}/{v} -> {q}"}


def _extended(value: ir.Value, elem: ir.Type) -> ir.Value:
    """`value` with every element extended to `elem` (exact: every fp8 value is an f16 / bf16 value)."""
    rank = len(b.shape(value))
    identity = ir.AffineMapAttr.get(ir.AffineMap.get_identity(rank))
    out = b.empty(b.shape(value), elem)
    op = linalg.GenericOp([out.type], [value], [out], ir.ArrayAttr.get([identity] * 2),
                          [linalg.IteratorType.parallel] * rank)
    block = op.regions[0].blocks.append(b.element_type(value), elem)
    with ir.InsertionPoint(block):
        linalg.YieldOp([arith.ExtFOp(elem, block.arguments[0]).result])
    return op.result
