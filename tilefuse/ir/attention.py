"""An attention op's iteration space by role (batch, M, K1, K2, N), read with IREE's own attention-map analysis:
the fact every layer above reads of an attention (the config heuristic, the program stages, the causal proof, the
work estimate)."""

from __future__ import annotations

from dataclasses import dataclass

import iree.compiler.ir as ir
from iree.compiler.dialects import iree_codegen

from ..errors import Unsupported
from .facts import ONLINE_ATTENTION
from .irutil import indexing_maps


@dataclass(frozen=True)
class AttentionShape:
    """The online_attention iteration space, by role, from IREE's own attention-map analysis."""

    sizes: tuple[int, ...]
    batch: tuple[int, ...]
    m: tuple[int, ...]
    k1: tuple[int, ...]
    k2: tuple[int, ...]
    n: tuple[int, ...]
    element_type: str
    # Batch dims Q does not index: flash-decoding's split of K2 (split-k2), which K, V and the partial results
    # index; () for any other attention.
    splits: tuple[int, ...] = ()
    kv_element_type: str | None = None  # K's, where it is not Q's (an fp8 KV cache); None: element_type
    # Dims whose size is known only at run time (a K2 of run-time length, a prompt of run-time length, a batch):
    # `sizes` holds RUN_TIME_KEYS at a K2 dim, RUN_TIME_ROWS at a query dim, RUN_TIME_BATCH at a batch dim,
    # RUN_TIME_HEAD at a head dim (K1, N).
    run_time: tuple[int, ...] = ()


# The size a run-time K2 is configured for: a long aligned one (whole K2 steps; the k2-tail stage pads the last
# step in the kernel), so its config is the one of a long sequence of the same head dims.
RUN_TIME_KEYS = 4096
# The size a run-time M (query rows) is configured for: a long aligned one (whole workgroup tiles; the m-tail
# stage pads the last tile's rows in the kernel and guards their stores).
RUN_TIME_ROWS = 4096
# The size a run-time batch dim is configured for: every batch entry is its own workgroups (tiled by 1), so no
# choice of the config depends on how many there are.
RUN_TIME_BATCH = 1
# The size a run-time head dim (K1, N) is configured for. K1 (QK's reduction, whole in every tile) is bounded by it:
# the m-tail stage pads Q's and K's K1 to it with zeros (exact) and poisons the result (NaN) where the launch's K1
# is larger, so the kernel is correct for every K1 up to it and never silently wrong past it. N is tiled by one PV
# MMA tile per workgroup (the grid follows the run-time N), whose last tile m-tail pads and writes masked.
RUN_TIME_HEAD = 128


def attention_shape(op: ir.Operation, operand_shapes: list[tuple[int, ...]] | None = None) -> AttentionShape:
    """`operand_shapes`: Q's, K's and V's shapes at a launch (interp/shapes.py) in place of their types' (then no
    dim is a run-time one)."""
    maps = indexing_maps(op)
    # attention: [Q, K, V, scale, (mask,) O]; online_attention adds the running max and sum after O.
    o = maps[-3] if op.name == ONLINE_ATTENTION else maps[-1]
    q, k, v = maps[0], maps[1], maps[2]
    detail = iree_codegen.get_attention_op_detail(q, k, v, o)
    sizes = [0] * detail.domain_rank
    for i, (amap, operand) in enumerate(zip((q, k, v), list(op.operands)[:3])):
        shape = operand_shapes[i] if operand_shapes else ir.ShapedType(operand.type).shape
        for expr, size in zip(amap.results, shape):
            sizes[ir.AffineDimExpr(expr).position] = size
    run_time = tuple(d for d, size in enumerate(sizes) if size < 0)
    if any(d not in detail.k2_dims + detail.batch_dims + detail.k1_dims + detail.n_dims and d != detail.m_dims[-1]
           for d in run_time):
        raise Unsupported("a run-time outer query dim is not built (run-time sizes: batch, K2, the innermost M, K1, "
                          "N)")
    for d in run_time:
        sizes[d] = (RUN_TIME_KEYS if d in detail.k2_dims else RUN_TIME_ROWS if d in detail.m_dims else
                    RUN_TIME_HEAD if d in detail.k1_dims or d in detail.n_dims else RUN_TIME_BATCH)
    elem, kv_elem = (str(ir.ShapedType(op.operands[i].type).element_type) for i in (0, 1))
    q_dims = {ir.AffineDimExpr(e).position for e in q.results}
    return AttentionShape(tuple(sizes), *(tuple(getattr(detail, f"{r}_dims")) for r in ("batch", "m", "k1", "k2", "n")),
                          elem, tuple(d for d in detail.batch_dims if d not in q_dims),
                          kv_elem if kv_elem != elem else None, run_time)
